import Foundation

/// A range of problem difficulty used to break results down (Snell et al. bin by difficulty).
public struct DifficultyBin: Sendable, Hashable, Codable {
    /// 0-based position, easiest first.
    public var index: Int
    /// A short label: `d=3` for a discrete level, `[0.20, 0.45]` for a quantile range.
    public var label: String
    public var lower: Double
    public var upper: Double

    /// Whether `value` falls in this bin (both ends inclusive; bins are checked in order).
    public func contains(_ value: Double) -> Bool {
        value >= lower && value <= upper
    }
}

/// Chooses difficulty bins from the problems' difficulty values.
public enum DifficultyBinning {
    /// Discrete levels (at most `maxLevels` distinct values) get one bin each; otherwise
    /// `quantileBins` bins with (roughly) equal numbers of problems, by rank.
    ///
    /// Pass one value per problem, not per trial, so problems with more trials do not pull the
    /// cut points.
    public static func bins(for difficulties: [Double], maxLevels: Int = 8, quantileBins: Int = 5) -> [DifficultyBin] {
        let values = difficulties.filter(\.isFinite).sorted()
        guard !values.isEmpty else { return [] }
        var distinct: [Double] = []
        for value in values where distinct.last != value { distinct.append(value) }
        if distinct.count <= maxLevels {
            return distinct.enumerated().map { index, level in
                DifficultyBin(index: index, label: "d=\(format(level))", lower: level, upper: level)
            }
        }
        var bins: [DifficultyBin] = []
        var start = 0
        for bin in 0..<quantileBins {
            guard start < values.count else { break }
            var end = max(start, (bin + 1) * values.count / quantileBins - 1)
            if bin == quantileBins - 1 { end = values.count - 1 }
            // keep equal values in one bin so `contains` is unambiguous
            while end + 1 < values.count, values[end + 1] == values[end] { end += 1 }
            bins.append(DifficultyBin(index: bins.count, label: "[\(format(values[start])), \(format(values[end]))]",
                                      lower: values[start], upper: values[end]))
            start = end + 1
        }
        return bins
    }

    /// The bin containing `value`, if any.
    public static func bin(of value: Double?, in bins: [DifficultyBin]) -> DifficultyBin? {
        guard let value else { return nil }
        return bins.first { $0.contains(value) }
    }

    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e9 { return String(Int(value)) }
        return String(format: "%.2f", value)
    }
}
