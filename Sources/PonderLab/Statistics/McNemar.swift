/// The exact (binomial) McNemar test for paired binary outcomes.
public struct McNemarResult: Sendable, Hashable, Codable {
    /// Pairs where only the first strategy was correct.
    public var onlyFirst: Int
    /// Pairs where only the second strategy was correct.
    public var onlySecond: Int
    /// Two-sided exact p-value.
    public var pValue: Double
}

public enum McNemar {
    /// The exact two-sided McNemar test from the discordant counts.
    ///
    /// Under the null hypothesis each discordant pair is equally likely to go either way, so
    /// `onlyFirst` ~ Binomial(b + c, ½); the p-value adds both tails at least as extreme as
    /// observed, P(X ≤ min) + P(X ≥ max), capped at 1. Exact rather than χ² because the
    /// discordant counts in a 50-problem comparison are often in single digits.
    public static func test(onlyFirst b: Int, onlySecond c: Int) throws -> McNemarResult {
        guard b >= 0, c >= 0 else {
            throw StatisticsError.invalidArgument("McNemar counts must be non-negative (got \(b), \(c))")
        }
        let n = b + c
        guard n > 0 else { return McNemarResult(onlyFirst: b, onlySecond: c, pValue: 1) }
        let k = min(b, c)
        let lower = GSL.binomialLower(k, p: 0.5, n: n)            // P(X ≤ k)
        let upper = GSL.binomialUpper(n - k - 1, p: 0.5, n: n)    // P(X ≥ n − k)
        return McNemarResult(onlyFirst: b, onlySecond: c, pValue: min(1, lower + upper))
    }
}
