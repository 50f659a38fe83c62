import Foundation

/// How well predicted success probabilities rank and match outcomes.
public enum CalibrationMetrics {
    /// The area under the ROC curve: the probability that a random success scores above a
    /// random failure (ties count half), by the rank-sum formula. Nil when either class is
    /// missing.
    public static func auroc(predictions: [Double], labels: [Bool]) -> Double? {
        precondition(predictions.count == labels.count, "one label per prediction")
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        // Average ranks over ties, then the Mann–Whitney U statistic.
        let order = predictions.indices.sorted { predictions[$0] < predictions[$1] }
        var ranks = [Double](repeating: 0, count: predictions.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, predictions[order[end + 1]] == predictions[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = rank }
            start = end + 1
        }
        let positiveRankSum = zip(ranks, labels).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) }
        let u = positiveRankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }

    /// One bin of a reliability table.
    public struct ReliabilityBin: Sendable, Equatable, Codable {
        /// The bin's range of predicted probability, [lower, upper).
        public var lower: Double
        public var upper: Double
        /// Predictions that fell in it.
        public var count: Int
        /// Their mean predicted probability.
        public var meanPrediction: Double
        /// The share of them that succeeded.
        public var observedRate: Double

        enum CodingKeys: String, CodingKey {
            case lower, upper, count
            case meanPrediction = "mean_prediction"
            case observedRate = "observed_rate"
        }
    }

    /// Equal-width reliability bins over [0, 1] (empty bins included, with zeros).
    public static func reliability(predictions: [Double], labels: [Bool], bins: Int = 10) -> [ReliabilityBin] {
        precondition(predictions.count == labels.count && bins > 0, "one label per prediction, at least one bin")
        var sums = [Double](repeating: 0, count: bins), hits = [Int](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        for (p, label) in zip(predictions, labels) {
            let bin = min(bins - 1, max(0, Int(p * Double(bins))))
            sums[bin] += p
            counts[bin] += 1
            if label { hits[bin] += 1 }
        }
        return (0..<bins).map { b in
            ReliabilityBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), count: counts[b],
                           meanPrediction: counts[b] > 0 ? sums[b] / Double(counts[b]) : 0,
                           observedRate: counts[b] > 0 ? Double(hits[b]) / Double(counts[b]) : 0)
        }
    }

    /// Expected calibration error: the count-weighted mean |mean prediction − observed rate|
    /// over the reliability bins.
    public static func expectedCalibrationError(predictions: [Double], labels: [Bool], bins: Int = 10) -> Double {
        guard !predictions.isEmpty else { return 0 }
        let table = reliability(predictions: predictions, labels: labels, bins: bins)
        let total = Double(predictions.count)
        return table.reduce(0) { $0 + Double($1.count) / total * abs($1.meanPrediction - $1.observedRate) }
    }

    /// Mean binary cross-entropy of probabilities against labels (clamped away from 0 and 1).
    public static func binaryCrossEntropy(predictions: [Double], labels: [Bool]) -> Double {
        guard !predictions.isEmpty else { return 0 }
        let total = zip(predictions, labels).reduce(0.0) { sum, pair in
            let p = min(max(pair.0, 1e-12), 1 - 1e-12)
            return sum - (pair.1 ? log(p) : log(1 - p))
        }
        return total / Double(predictions.count)
    }
}
