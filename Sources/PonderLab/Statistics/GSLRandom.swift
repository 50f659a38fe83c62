import CGSL

/// A GSL Mersenne Twister (`gsl_rng_mt19937`) with a fixed seed, owned by one caller.
///
/// Bootstrap resampling draws from GSL rather than `SeededRNG` so that intervals can be
/// cross-checked against any GSL-based tool given the same seed. Not `Sendable`: each
/// statistic makes its own generator, so results never depend on thread interleaving.
final class GSLRandom {
    private let rng: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded with `seed` (GSL maps seed 0 to its default seed 4357).
    init(seed: UInt) throws {
        GSLRandom.prepareOnce
        guard let rng = gsl_rng_alloc(ponder_gsl_rng_mt19937()) else {
            throw StatisticsError.gslFailure("gsl_rng_alloc returned NULL (out of memory)")
        }
        gsl_rng_set(rng, seed)
        self.rng = rng
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// A uniform integer in `0..<bound`; `bound` must be positive.
    func uniformInt(below bound: Int) -> Int {
        Int(gsl_rng_uniform_int(rng, UInt(bound)))
    }

    /// Swift's lazy globals run this once, thread-safely, before the first GSL call.
    private static let prepareOnce: Void = ponder_gsl_disable_abort()
}

/// Thin, input-checked wrappers over the GSL routines the statistics use.
enum GSL {
    /// Sorts in place with `gsl_sort`.
    static func sort(_ values: inout [Double]) {
        let count = values.count
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, count > 1 else { return }
            gsl_sort(base, 1, count)
        }
    }

    /// The `fraction` quantile of already-sorted data (linear interpolation, GSL's rule).
    static func quantile(sorted values: [Double], fraction: Double) -> Double {
        precondition(!values.isEmpty, "quantile of no data")
        return values.withUnsafeBufferPointer { buffer in
            gsl_stats_quantile_from_sorted_data(buffer.baseAddress, 1, buffer.count, fraction)
        }
    }

    /// The standard normal quantile, e.g. 1.95996… for 0.975.
    static func normalQuantile(_ probability: Double) -> Double {
        gsl_cdf_ugaussian_Pinv(probability)
    }

    /// P(X ≤ k) for X ~ Binomial(n, p).
    static func binomialLower(_ k: Int, p: Double, n: Int) -> Double {
        gsl_cdf_binomial_P(UInt32(k), p, UInt32(n))
    }

    /// P(X > k) for X ~ Binomial(n, p).
    static func binomialUpper(_ k: Int, p: Double, n: Int) -> Double {
        gsl_cdf_binomial_Q(UInt32(k), p, UInt32(n))
    }
}

/// Statistics that cannot be computed from the given data.
public enum StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case gslFailure(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): return "statistics: \(message)"
        case .gslFailure(let message): return "statistics (GSL): \(message)"
        }
    }
}
