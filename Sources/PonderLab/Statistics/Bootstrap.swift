/// Settings for percentile-bootstrap intervals.
public struct BootstrapOptions: Sendable, Hashable {
    /// Number of resamples.
    public var resamples: Int
    /// Seed of the GSL mt19937 generator: a fixed seed makes every report reproducible.
    public var seed: UInt
    /// Confidence level of the interval.
    public var level: Double

    public init(resamples: Int = 2000, seed: UInt = 5489, level: Double = 0.95) {
        self.resamples = resamples
        self.seed = seed
        self.level = level
    }
}

/// Percentile-bootstrap intervals over independent units (problems).
///
/// The unit is the problem, not the trial: with several seeds per problem the caller first
/// averages each problem's trials, so the interval reflects how much the result would move
/// with a different draw of problems, which is the uncertainty that matters for a comparison.
public enum Bootstrap {
    /// The mean of `values` with a percentile-bootstrap interval.
    public static func meanInterval(_ values: [Double], options: BootstrapOptions = BootstrapOptions()) throws -> Interval {
        try meanIntervals([values], options: options)[0]
    }

    /// One interval per column, all from the same resamples of units: column j's interval is
    /// the one `meanInterval(columns[j])` gives with the same options, but the draws are made
    /// once, which matters when dozens of statistics share the same problems.
    public static func meanIntervals(_ columns: [[Double]], options: BootstrapOptions = BootstrapOptions()) throws -> [Interval] {
        guard let count = columns.first?.count, count > 0 else {
            throw StatisticsError.invalidArgument("bootstrap of an empty sample")
        }
        guard columns.allSatisfy({ $0.count == count }) else {
            throw StatisticsError.invalidArgument("bootstrap columns must have one value per unit (got lengths \(columns.map(\.count)))")
        }
        guard options.resamples >= 1, options.level > 0, options.level < 1 else {
            throw StatisticsError.invalidArgument("bootstrap needs resamples ≥ 1 and a level in (0, 1)")
        }
        let rng = try GSLRandom(seed: options.seed)
        var means = [[Double]](repeating: [Double](repeating: 0, count: options.resamples), count: columns.count)
        var draws = [Int](repeating: 0, count: count)
        for r in 0..<options.resamples {
            // one resample = `count` draws of units with replacement, shared by every column
            for i in 0..<count { draws[i] = rng.uniformInt(below: count) }
            for (j, column) in columns.enumerated() {
                var sum = 0.0
                for i in draws { sum += column[i] }
                means[j][r] = sum / Double(count)
            }
        }
        let tail = (1 - options.level) / 2
        return columns.enumerated().map { j, column in
            GSL.sort(&means[j])
            return Interval(estimate: column.reduce(0, +) / Double(count),
                            low: GSL.quantile(sorted: means[j], fraction: tail),
                            high: GSL.quantile(sorted: means[j], fraction: 1 - tail))
        }
    }
}
