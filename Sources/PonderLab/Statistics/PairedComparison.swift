/// Two strategies compared on the same problems and seeds at the same budget cap.
public struct PairedComparison: Sendable, Hashable, Codable {
    public var first: String
    public var second: String
    public var budget: BudgetPoint
    /// Matched (problem, seed) pairs.
    public var pairs: Int
    /// Distinct problems among the pairs (the bootstrap's units).
    public var problems: Int
    public var firstAccuracy: Double
    public var secondAccuracy: Double
    /// First minus second accuracy, with a paired percentile-bootstrap interval over problems.
    public var difference: Interval
    /// Exact McNemar test on the discordant pairs.
    public var mcnemar: McNemarResult
    /// Mean FLOPs each side actually spent (a cap is not spend: read these before concluding).
    public var firstMeanFlops: Double
    public var secondMeanFlops: Double

    /// Pairs the trials of two strategies by (problem index, seed); nil when none match.
    ///
    /// The bootstrap resamples problems and carries both strategies' results for a problem
    /// together, which is what makes it paired: problem difficulty cancels out of the
    /// difference instead of widening its interval.
    public static func compare(first: [TrialRecord], second: [TrialRecord],
                               options: BootstrapOptions = BootstrapOptions()) throws -> PairedComparison? {
        struct PairKey: Hashable { var problem: Int; var seed: Int }
        var secondByKey: [PairKey: TrialRecord] = [:]
        for trial in second { secondByKey[PairKey(problem: trial.problemIndex, seed: trial.seed)] = trial }
        var onlyFirst = 0, onlySecond = 0, firstCorrect = 0, secondCorrect = 0
        var firstFlops = 0.0, secondFlops = 0.0
        var perProblem: [Int: (sum: Double, count: Int)] = [:]
        var pairs = 0
        for trial in first {
            guard let other = secondByKey[PairKey(problem: trial.problemIndex, seed: trial.seed)] else { continue }
            pairs += 1
            if trial.correct { firstCorrect += 1 }
            if other.correct { secondCorrect += 1 }
            if trial.correct && !other.correct { onlyFirst += 1 }
            if other.correct && !trial.correct { onlySecond += 1 }
            firstFlops += trial.ledger.flops
            secondFlops += other.ledger.flops
            let delta = (trial.correct ? 1.0 : 0.0) - (other.correct ? 1.0 : 0.0)
            let entry = perProblem[trial.problemIndex] ?? (0, 0)
            perProblem[trial.problemIndex] = (entry.sum + delta, entry.count + 1)
        }
        guard pairs > 0, let a = first.first, let b = second.first else { return nil }
        let differences = perProblem.keys.sorted().compactMap { key in
            perProblem[key].map { $0.sum / Double($0.count) }
        }
        var difference = try Bootstrap.meanInterval(differences, options: options)
        // The point estimate is over pairs (equal to the per-problem mean when every problem
        // has the same number of seeds).
        difference.estimate = Double(firstCorrect - secondCorrect) / Double(pairs)
        return PairedComparison(
            first: a.strategy, second: b.strategy, budget: a.budget, pairs: pairs,
            problems: perProblem.count,
            firstAccuracy: Double(firstCorrect) / Double(pairs),
            secondAccuracy: Double(secondCorrect) / Double(pairs),
            difference: difference,
            mcnemar: try McNemar.test(onlyFirst: onlyFirst, onlySecond: onlySecond),
            firstMeanFlops: firstFlops / Double(pairs), secondMeanFlops: secondFlops / Double(pairs))
    }
}
