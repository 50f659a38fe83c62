import Foundation

/// An estimate with a two-sided confidence interval.
public struct Interval: Sendable, Hashable, Codable {
    public var estimate: Double
    public var low: Double
    public var high: Double

    public init(estimate: Double, low: Double, high: Double) {
        self.estimate = estimate
        self.low = low
        self.high = high
    }
}

/// Confidence intervals for a success proportion.
public enum Proportion {
    /// The Wilson score interval for `successes` out of `trials` at `level` (default 95 %).
    ///
    /// Wilson rather than the normal ("Wald") interval because accuracies near 0 or 1 with a
    /// few dozen problems are the common case here, where Wald collapses to a zero-width or
    /// out-of-range interval. With several seeds per problem the trials are not independent;
    /// the bootstrap over problems (`Bootstrap.meanInterval`) accounts for that.
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) throws -> Interval {
        guard trials > 0, (0...trials).contains(successes) else {
            throw StatisticsError.invalidArgument("Wilson interval needs 0 ≤ successes ≤ trials and trials > 0 (got \(successes)/\(trials))")
        }
        guard level > 0, level < 1 else {
            throw StatisticsError.invalidArgument("confidence level must be in (0, 1), got \(level)")
        }
        let z = GSL.normalQuantile(1 - (1 - level) / 2)
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At 0 or n successes the bound is exactly 0 or 1; rounding would leave 1e-17.
        let low = successes == 0 ? 0 : max(0, center - half)
        let high = successes == trials ? 1 : min(1, center + half)
        return Interval(estimate: p, low: low, high: high)
    }
}
