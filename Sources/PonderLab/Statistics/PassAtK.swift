/// The unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models
/// Trained on Code"): the probability that at least one of k samples drawn without
/// replacement from n, of which c are correct, is correct.
public enum PassAtK {
    /// 1 − C(n−c, k) / C(n, k), computed as 1 − ∏_{i=n−c+1}^{n} (1 − k/i).
    ///
    /// The product form never forms the binomial coefficients, which overflow a Double for
    /// n in the hundreds.
    public static func estimate(samples n: Int, correct c: Int, k: Int) throws -> Double {
        guard n >= 1, (0...n).contains(c), (1...n).contains(k) else {
            throw StatisticsError.invalidArgument("pass@k needs n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=\(n), c=\(c), k=\(k))")
        }
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        // The product telescopes to c/n at k = 1, but in floating point only nearly; the
        // closed form keeps pass@1 equal to the share of correct samples to the last bit.
        if k == 1 { return Double(c) / Double(n) }
        var product = 1.0
        for i in (n - c + 1)...n {
            product *= 1 - Double(k) / Double(i)
        }
        return 1 - product
    }

    /// The mean of per-problem pass@k estimates; each element is (samples, correct).
    /// Problems with fewer than k samples are an error rather than silently dropped.
    public static func mean(_ problems: [(samples: Int, correct: Int)], k: Int) throws -> Double {
        guard !problems.isEmpty else { throw StatisticsError.invalidArgument("pass@k over no problems") }
        var sum = 0.0
        for problem in problems {
            sum += try estimate(samples: problem.samples, correct: problem.correct, k: k)
        }
        return sum / Double(problems.count)
    }
}
