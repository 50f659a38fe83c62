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
        guard !values.isEmpty else {
            throw StatisticsError.invalidArgument("bootstrap of an empty sample")
        }
        guard options.resamples >= 1, options.level > 0, options.level < 1 else {
            throw StatisticsError.invalidArgument("bootstrap needs resamples ≥ 1 and a level in (0, 1)")
        }
        let count = values.count
        let mean = values.reduce(0, +) / Double(count)
        let rng = try GSLRandom(seed: options.seed)
        var means = [Double](repeating: 0, count: options.resamples)
        values.withUnsafeBufferPointer { data in
            // data: [units]; one resample = `count` draws with replacement
            for r in 0..<options.resamples {
                var sum = 0.0
                for _ in 0..<count {
                    sum += data[rng.uniformInt(below: count)]
                }
                means[r] = sum / Double(count)
            }
        }
        GSL.sort(&means)
        let tail = (1 - options.level) / 2
        return Interval(estimate: mean,
                        low: GSL.quantile(sorted: means, fraction: tail),
                        high: GSL.quantile(sorted: means, fraction: 1 - tail))
    }
}
