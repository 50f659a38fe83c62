import Foundation
import PonderModel

/// A linear value head: P(success | state) = σ(w · h + b) on the policy's final hidden state
/// h (after the last RMSNorm). Stored as TRL's `AutoModelForCausalLMWithValueHead` stores its
/// head: `v_head.summary.weight` [1, hidden] and `v_head.summary.bias` [1].
public struct FittedLinearValueHead: Sendable, Equatable {
    /// w, `[hidden]`.
    public var weight: [Double]
    /// b.
    public var bias: Double

    /// The TRL tensor names.
    public static let weightName = "v_head.summary.weight"
    public static let biasName = "v_head.summary.bias"

    /// A head with the given parameters.
    public init(weight: [Double], bias: Double) {
        self.weight = weight
        self.bias = bias
    }

    /// P(success) for one hidden state.
    public func probability(_ hidden: ArraySlice<Float>) -> Double {
        var z = bias
        for (w, h) in zip(weight, hidden) { z += w * Double(h) }
        return 1 / (1 + exp(-z))
    }

    /// Writes the head as safetensors (F32) with TRL's names, atomically.
    public func write(to path: String, metadata: [String: String] = [:]) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"].merging(metadata) { $1 })
        try writer.add(Self.weightName, shape: [1, weight.count], values: weight.map { Float($0) })
        try writer.add(Self.biasName, shape: [1], values: [Float(bias)])
        try writer.write(to: path)
    }

    /// Reads a head written by `write` (or by TRL, for a linear head).
    public static func load(path: String) throws -> FittedLinearValueHead {
        let file = try SafeTensorsFile(path: path)
        let weight = try file.floats(weightName), bias = try file.floats(biasName)
        guard let b = bias.first, bias.count == 1, !weight.isEmpty else {
            throw TrainError.invalidData(source: path, reason: "expected \(weightName) [1, hidden] and \(biasName) [1]")
        }
        return FittedLinearValueHead(weight: weight.map(Double.init), bias: Double(b))
    }

    /// Logistic-regression settings.
    public struct FitSettings: Sendable, Equatable {
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
                           validationTargets: [Double], settings: FitSettings = FitSettings())
        -> (head: FittedLinearValueHead, epochs: Int, validationLoss: Double) {
        guard let dimension = features.first?.count else { return (FittedLinearValueHead(weight: [], bias: 0), 0, 0) }
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
        // Fold the standardization in: w·(h − μ)/σ + b = (w/σ)·h + (b − Σ w μ/σ).
        let weight = (0..<dimension).map { best.w[$0] / std[$0] }
        let bias = best.b - (0..<dimension).reduce(0.0) { $0 + best.w[$1] * mean[$1] / std[$1] }
        return (FittedLinearValueHead(weight: weight, bias: bias), best.epoch, best.loss)
    }
}
