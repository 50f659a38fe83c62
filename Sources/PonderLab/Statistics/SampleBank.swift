/// One sample of a bank: a full completion drawn once and reused for every k.
public struct BankSample: Sendable, Hashable, Codable {
    /// The extracted answer; nil when none was extracted or the sample did not finish, which is
    /// how PonderSearch's `Voting` treats it: such a sample casts no vote.
    public var answer: String?
    /// The verifier's verdict on this sample's answer. A correct sample without an answer
    /// counts for pass@k but can never win a vote, so maj@1 equals pass@1 only when every
    /// correct sample has an answer (always, for tasks whose verifier reads the answer).
    public var correct: Bool
    /// The value head's score, when there is one (0 in a weighted vote when nil, as in `Voting`).
    public var value: Double?
    /// FLOPs this sample cost beyond the problem's shared prompt prefill.
    public var flops: Double
    /// Tokens generated for this sample.
    public var tokens: Int

    public init(answer: String?, correct: Bool, value: Double? = nil, flops: Double, tokens: Int) {
        self.answer = answer
        self.correct = correct
        self.value = value
        self.flops = flops
        self.tokens = tokens
    }
}

/// The bank of one problem: k_max samples plus the cost every k shares.
public struct BankProblem: Sendable, Hashable, Codable {
    /// The problem's index in the task: it seeds the problem's subset draws, so a problem's
    /// numbers do not change when other problems are added or filtered out.
    public var problemIndex: Int
    /// The samples in generation order (the order breaks "first seen" vote ties).
    public var samples: [BankSample]
    /// FLOPs paid once however many samples are used (the prompt prefill, shared by forks).
    public var sharedFlops: Double

    public init(problemIndex: Int, samples: [BankSample], sharedFlops: Double) {
        self.problemIndex = problemIndex
        self.samples = samples
        self.sharedFlops = sharedFlops
    }

    /// c/n: the unbiased pass@1 of the bank, used as a held-out difficulty estimate for
    /// strategies run as separate trials (nil for an empty bank).
    public var passAt1: Double? {
        samples.isEmpty ? nil : Double(samples.lazy.filter(\.correct).count) / Double(samples.count)
    }
}

/// Settings for bank estimates.
public struct SampleBankOptions: Sendable, Hashable {
    /// Random k-subsets drawn per problem for maj@k and weighted@k (shared by all sampled ks).
    ///
    /// 500 by default: the Monte Carlo variance it adds to a problem's estimate is at most
    /// 0.25 / 500, under 1 % of the spread between problems that the bootstrap interval
    /// measures, and 1,000 problems × 256 samples × 9 ks then take about a second.
    public var subsets: Int
    /// When a problem has at most this many k-subsets they are all enumerated instead of
    /// sampled, which is exact and about as fast (defaults to the larger of `subsets` and 1,024,
    /// which covers every k of a bank of 12).
    public var enumerateUpTo: Int
    /// Seed of the subset draws (`SeededRNG.derived(seed:, problemIndex, draw)`).
    public var seed: UInt64
    /// The intervals over problems.
    public var bootstrap: BootstrapOptions

    public init(subsets: Int = 500, enumerateUpTo: Int? = nil, seed: UInt64 = 0,
                bootstrap: BootstrapOptions = BootstrapOptions()) {
        self.subsets = subsets
        self.enumerateUpTo = enumerateUpTo ?? max(subsets, 1024)
        self.seed = seed
        self.bootstrap = bootstrap
    }
}

/// One problem's estimates at one k.
public struct BankProblemEstimate: Sendable, Hashable, Codable {
    public var problemIndex: Int
    public var k: Int
    /// Unbiased pass@k: P(some sample of a random k-subset is correct).
    public var passAtK: Double
    /// Expected accuracy of the majority vote over a random k-subset.
    public var majorityAtK: Double
    /// Expected accuracy of the value-weighted vote over a random k-subset.
    public var weightedAtK: Double
    /// sharedFlops + k × mean per-sample FLOPs.
    public var flops: Double
    /// k × mean per-sample tokens.
    public var tokens: Double
}

/// One point of the bank's curves: every metric at one k, averaged over problems.
public struct BankCurvePoint: Sendable, Hashable, Codable {
    public var k: Int
    /// Problems averaged (the bootstrap's units).
    public var problems: Int
    /// Each with a percentile-bootstrap interval over problems.
    public var passAtK: Interval
    public var majorityAtK: Interval
    public var weightedAtK: Interval
    /// Mean over problems of sharedFlops + k × mean per-sample FLOPs.
    public var meanFlops: Double
    /// Mean over problems of k × mean per-sample tokens.
    public var meanTokens: Double
}

/// Input a bank estimate cannot use, with what to change.
public enum SampleBankError: Error, Sendable, Equatable, CustomStringConvertible {
    case noProblems
    case noKs
    case emptyBank(problemIndex: Int)
    case invalidK(Int)
    case kExceedsSamples(k: Int, problemIndex: Int, samples: Int)
    case invalidSubsets(Int)
    case nonFinite(problemIndex: Int, sample: Int?, field: String)

    public var description: String {
        switch self {
        case .noProblems:
            return "sample bank: no problems to estimate over"
        case .noKs:
            return "sample bank: no k values requested (try SampleBank.defaultKs(maxK:))"
        case .emptyBank(let p):
            return "sample bank: problem \(p) has no samples; draw its bank or leave the problem out"
        case .invalidK(let k):
            return "sample bank: k must be at least 1 (got \(k))"
        case .kExceedsSamples(let k, let p, let n):
            return "sample bank: k=\(k) needs at least \(k) samples but problem \(p) has \(n); lower k_max to \(n) or draw more samples"
        case .invalidSubsets(let s):
            return "sample bank: subsets per problem must be at least 1 (got \(s))"
        case .nonFinite(let p, let sample, let field):
            let place = sample.map { "sample \($0) of problem \(p)" } ?? "problem \(p)"
            return "sample bank: \(field) of \(place) is not a finite number"
        }
    }
}

/// pass@k, maj@k and weighted@k from banks of samples drawn once per problem (the
/// search-and-learn / Snell et al. way of drawing every k from one bank instead of one run per k).
public enum SampleBank {
    /// Powers of two up to `maxK`, plus `maxK` itself: the usual x-axis of a bank curve.
    public static func defaultKs(maxK: Int) -> [Int] {
        guard maxK >= 1 else { return [] }
        var ks: [Int] = []
        var k = 1
        while k < maxK { ks.append(k); k *= 2 }
        ks.append(maxK)
        return ks
    }

    /// One problem's estimates at every k in `ks` (in the order given).
    ///
    /// k = 1 and k = n are computed exactly (one vote per sample; one vote over the whole bank),
    /// as is any k whose subsets number no more than `options.enumerateUpTo`; other ks average
    /// the vote over `options.subsets` seeded random k-subsets.
    public static func estimates(_ problem: BankProblem, ks: [Int],
                                 options: SampleBankOptions = SampleBankOptions()) throws -> [BankProblemEstimate] {
        try validate(ks: ks, options: options)
        try validate(problem, maxK: ks.max() ?? 1)
        let bank = EncodedBank(problem)
        let n = problem.samples.count
        let correct = problem.samples.lazy.filter(\.correct).count
        let meanFlops = problem.samples.reduce(0) { $0 + $1.flops } / Double(n)
        let meanTokens = Double(problem.samples.reduce(0) { $0 + $1.tokens }) / Double(n)
        let votes = bank.expectedVoteAccuracy(ks: ks, options: options)
        return try zip(ks, votes).map { k, votes in
            BankProblemEstimate(
                problemIndex: problem.problemIndex, k: k,
                passAtK: try PassAtK.estimate(samples: n, correct: correct, k: k),
                majorityAtK: votes.majority, weightedAtK: votes.weighted,
                flops: problem.sharedFlops + Double(k) * meanFlops, tokens: Double(k) * meanTokens)
        }
    }

    /// The bank curves: every metric at every k in `ks`, averaged over problems, with
    /// percentile-bootstrap intervals over problems.
    ///
    /// All intervals at all ks share one bootstrap draw of problems, so they move together
    /// (and each equals `Bootstrap.meanInterval` of its column with the same options).
    public static func curve(_ problems: [BankProblem], ks: [Int],
                             options: SampleBankOptions = SampleBankOptions()) throws -> [BankCurvePoint] {
        guard !problems.isEmpty else { throw SampleBankError.noProblems }
        let perProblem = try problems.map { try estimates($0, ks: ks, options: options) }
        var columns: [[Double]] = []
        for (i, _) in ks.enumerated() {
            columns.append(perProblem.map { $0[i].passAtK })
            columns.append(perProblem.map { $0[i].majorityAtK })
            columns.append(perProblem.map { $0[i].weightedAtK })
        }
        let intervals = try Bootstrap.meanIntervals(columns, options: options.bootstrap)
        let count = Double(problems.count)
        return ks.enumerated().map { i, k in
            BankCurvePoint(
                k: k, problems: problems.count,
                passAtK: intervals[3 * i], majorityAtK: intervals[3 * i + 1], weightedAtK: intervals[3 * i + 2],
                meanFlops: perProblem.reduce(0) { $0 + $1[i].flops } / count,
                meanTokens: perProblem.reduce(0) { $0 + $1[i].tokens } / count)
        }
    }

    /// Held-out difficulty per problem index: 1 − c/n, so that higher is harder and
    /// `DifficultyBinning` puts the easiest problems in bin 0.
    public static func heldOutDifficulty(_ problems: [BankProblem]) -> [Int: Double] {
        var difficulty: [Int: Double] = [:]
        for problem in problems { if let p = problem.passAt1 { difficulty[problem.problemIndex] = 1 - p } }
        return difficulty
    }

    static func validate(ks: [Int], options: SampleBankOptions) throws {
        guard !ks.isEmpty else { throw SampleBankError.noKs }
        if let bad = ks.first(where: { $0 < 1 }) { throw SampleBankError.invalidK(bad) }
        guard options.subsets >= 1 else { throw SampleBankError.invalidSubsets(options.subsets) }
    }

    static func validate(_ problem: BankProblem, maxK: Int) throws {
        let p = problem.problemIndex
        guard !problem.samples.isEmpty else { throw SampleBankError.emptyBank(problemIndex: p) }
        guard maxK <= problem.samples.count else {
            throw SampleBankError.kExceedsSamples(k: maxK, problemIndex: p, samples: problem.samples.count)
        }
        guard problem.sharedFlops.isFinite else { throw SampleBankError.nonFinite(problemIndex: p, sample: nil, field: "sharedFlops") }
        for (i, sample) in problem.samples.enumerated() {
            guard sample.flops.isFinite else { throw SampleBankError.nonFinite(problemIndex: p, sample: i, field: "flops") }
            // a NaN value would make every comparison false and the tie-breaks meaningless
            if let v = sample.value, !v.isFinite { throw SampleBankError.nonFinite(problemIndex: p, sample: i, field: "value") }
        }
    }
}
