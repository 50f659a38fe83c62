import Foundation
import PonderSearch

/// Fits the search layer's `LinearValueHead`, P(success | state) = σ(w · h + b) on the
/// policy's final hidden state h (after the last RMSNorm), by logistic regression. The fit
/// runs in Double; the head it returns is the F32 one that strategies apply and that
/// `LinearValueHead.write` stores with TRL's names.
public enum LinearValueHeadFit {
    /// Logistic-regression settings.
    public struct Settings: Sendable, Equatable {
        public var learningRate = 0.01
        public var maxEpochs = 3_000
        /// Stop when the validation loss has not improved for this many epochs.
        public var patience = 100
        /// L2 penalty on the (standardized) weights.
        public var l2 = 1e-4

        public init() {}
    }

    /// Fits the head by full-batch Adam on mean binary cross-entropy with targets in [0, 1]
    /// (Monte-Carlo returns or λ-returns), keeping the epoch with the lowest validation loss.
    /// Features are standardized while fitting and the scaling is folded back into w and b,
    /// so the stored head applies to raw hidden states.
    public static func fit(features: [[Float]], targets: [Double], validationFeatures: [[Float]],
                           validationTargets: [Double], settings: Settings = Settings())
        -> (head: LinearValueHead, epochs: Int, validationLoss: Double) {
        guard let dimension = features.first?.count else { return (LinearValueHead(weight: [], bias: 0), 0, 0) }
        // Per-feature mean and standard deviation of the training set.
        var mean = [Double](repeating: 0, count: dimension), std = [Double](repeating: 0, count: dimension)
        for row in features { for j in 0..<dimension { mean[j] += Double(row[j]) } }
        for j in 0..<dimension { mean[j] /= Double(features.count) }
        for row in features { for j in 0..<dimension { std[j] += pow(Double(row[j]) - mean[j], 2) } }
        for j in 0..<dimension { std[j] = max(sqrt(std[j] / Double(features.count)), 1e-6) }
        func standardized(_ rows: [[Float]]) -> [[Double]] {
            rows.map { row in (0..<dimension).map { (Double(row[$0]) - mean[$0]) / std[$0] } }
        }
        let x = standardized(features), xv = standardized(validationFeatures)
        func loss(_ w: [Double], _ b: Double, _ rows: [[Double]], _ y: [Double]) -> Double {
            var total = 0.0
            for (row, target) in zip(rows, y) {
                var z = b
                for j in 0..<dimension { z += w[j] * row[j] }
                // log(1 + e^z) − y z, computed stably.
                total += max(z, 0) + log(1 + exp(-abs(z))) - target * z
            }
            return total / Double(max(rows.count, 1))
        }
        var w = [Double](repeating: 0, count: dimension), b = 0.0
        var m = [Double](repeating: 0, count: dimension + 1), v = m
        var best = (w: w, b: b, loss: loss(w, b, xv, validationTargets), epoch: 0)
        let n = Double(x.count)
        for epoch in 1...max(1, settings.maxEpochs) {
            var gradient = [Double](repeating: 0, count: dimension + 1)
            for (row, target) in zip(x, targets) {
                var z = b
                for j in 0..<dimension { z += w[j] * row[j] }
                let error = 1 / (1 + exp(-z)) - target
                for j in 0..<dimension { gradient[j] += error * row[j] }
                gradient[dimension] += error
            }
            for j in 0..<dimension { gradient[j] = gradient[j] / n + settings.l2 * w[j] }
            gradient[dimension] /= n
            let t = Double(epoch)
            for j in 0...dimension {
                m[j] = 0.9 * m[j] + 0.1 * gradient[j]
                v[j] = 0.999 * v[j] + 0.001 * gradient[j] * gradient[j]
                let step = settings.learningRate * (m[j] / (1 - pow(0.9, t))) / (sqrt(v[j] / (1 - pow(0.999, t))) + 1e-8)
                if j < dimension { w[j] -= step } else { b -= step }
            }
            let validation = loss(w, b, xv, validationTargets)
            if validation < best.loss {
                best = (w, b, validation, epoch)
            } else if epoch - best.epoch >= settings.patience {
                break
            }
        }
        // Fold the standardization in: w·(h − μ)/σ + b = (w/σ)·h + (b − Σ w μ/σ), then round to
        // the F32 the head is stored and applied in.
        let weight = (0..<dimension).map { Float(best.w[$0] / std[$0]) }
        let bias = best.b - (0..<dimension).reduce(0.0) { $0 + best.w[$1] * mean[$1] / std[$1] }
        return (LinearValueHead(weight: weight, bias: Float(bias)), best.epoch, best.loss)
    }
}
