import PonderSearch

/// One strategy at one budget cap: accuracy with intervals and what it cost.
public struct CurvePoint: Sendable, Hashable, Codable {
    /// The strategy label (`best-of-n (n=4)`): what tables and tooltips name.
    public var strategy: String
    /// The family the label belongs to (`best-of-n`): plots draw one curve per family through
    /// its points, so a sweep over a parameter reads as one compute curve.
    public var family: String
    public var strategyName: String
    public var budget: BudgetPoint
    /// Trials aggregated (problems × seeds).
    public var n: Int
    /// Distinct problems (the bootstrap's units).
    public var problems: Int
    public var correct: Int
    /// Accuracy with the Wilson 95 % interval over trials.
    public var accuracy: Interval
    /// Accuracy with the percentile-bootstrap interval over problems.
    public var bootstrap: Interval
    public var meanFlops: Double
    public var meanGeneratedTokens: Double
    public var meanSeconds: Double
    public var meanPrefillTokens: Double
    public var meanDecodeTokens: Double
    public var meanReusedTokens: Double
    public var meanValueCalls: Double
    public var meanVerifierCalls: Double
    public var meanRewards: RewardComponents
    /// Oracle pass@N: the share of trials where any candidate was correct. Present only when
    /// every trial recorded its candidates; an upper bound no selection rule can beat.
    public var oraclePassAtN: Double?
    /// Mean fraction of correct candidates: the unbiased pass@1 from the same samples.
    public var passAt1: Double?
}

/// Accuracy by difficulty bin for every strategy and budget.
public struct DifficultyBreakdown: Sendable, Hashable, Codable {
    public var bin: DifficultyBin
    public var curves: [CurvePoint]
}

/// Settings for `RunAnalysis`.
public struct AnalysisOptions: Sendable, Hashable {
    public var bootstrap: BootstrapOptions
    /// Quantile bins used when difficulties are continuous.
    public var difficultyBins: Int

    public init(bootstrap: BootstrapOptions = BootstrapOptions(), difficultyBins: Int = 5) {
        self.bootstrap = bootstrap
        self.difficultyBins = difficultyBins
    }
}

/// Everything the reports show, computed once from a run's trials.
public struct RunAnalysis: Sendable {
    public var run: RunInfo?
    /// Every trial of the run, the bank's included.
    public var trials: [TrialRecord]
    /// Strategy labels in order of first appearance (the config's order for a full run).
    public var strategies: [String]
    /// One point per (strategy, budget), in strategy order then budget order.
    public var curves: [CurvePoint]
    /// The compute-optimal frontier over the verifier-hidden curve points (by mean FLOPs).
    public var frontier: [FrontierPoint]
    /// Strategies that called the checker during search (verifier-charged positive controls),
    /// in strategy order.
    public var chargedStrategies: [String]
    /// Every pair of strategies at every shared budget cap.
    public var comparisons: [PairedComparison]
    public var bins: [DifficultyBin]
    public var byDifficulty: [DifficultyBreakdown]
    /// The bank's pass@k / majority@k / weighted@k, the compute-optimal choice per held-out
    /// difficulty bin, and the monotonicity check.
    public var scaling: ScalingAnalysis

    public init(trials all: [TrialRecord], run: RunInfo? = nil, options: AnalysisOptions = AnalysisOptions()) throws {
        self.run = run
        self.trials = all
        // The bank's trials are not a strategy of the comparison: they feed pass@k, maj@k,
        // weighted@k and the held-out difficulty instead.
        let trials = all.filter { !$0.isBank }
        var order: [String] = []
        for trial in trials where !order.contains(trial.strategy) { order.append(trial.strategy) }
        strategies = order
        curves = try RunAnalysis.curvePoints(trials, strategies: order, options: options)
        // Positive controls consulted the checker: they bound what search can buy, so they are
        // kept out of the verifier-hidden frontier (they are still plotted and tabled).
        let charged = Set(trials.filter { $0.ledger.verifierCalls > 0 }.map(\.strategy))
        chargedStrategies = order.filter(charged.contains)
        let scaling = try ScalingAnalysis(trials: all.filter { !charged.contains($0.strategy) }, curves: curves,
                                          options: options)
        self.scaling = scaling
        frontier = ComputeFrontier.envelope(curves.filter { !charged.contains($0.strategy) }.map {
            FrontierPoint(strategy: $0.strategy, budget: $0.budget, meanFlops: $0.meanFlops,
                          accuracy: $0.accuracy.estimate)
        } + scaling.frontierPoints)
        var comparisons: [PairedComparison] = []
        let groups = Dictionary(grouping: trials) { GroupKey(strategy: $0.strategy, budget: $0.budget) }
        let budgets = Set(groups.keys.map(\.budget)).sorted(by: RunAnalysis.budgetOrder)
        for budget in budgets {
            for (i, a) in order.enumerated() {
                for b in order[(i + 1)...] {
                    guard let left = groups[GroupKey(strategy: a, budget: budget)],
                          let right = groups[GroupKey(strategy: b, budget: budget)],
                          let comparison = try PairedComparison.compare(first: left, second: right,
                                                                        options: options.bootstrap) else { continue }
                    comparisons.append(comparison)
                }
            }
        }
        self.comparisons = comparisons
        var difficultyByProblem: [Int: Double] = [:]
        for trial in trials { if let d = trial.difficulty { difficultyByProblem[trial.problemIndex] = d } }
        let bins = DifficultyBinning.bins(for: Array(difficultyByProblem.values), quantileBins: options.difficultyBins)
        self.bins = bins
        var breakdowns: [DifficultyBreakdown] = []
        for bin in bins {
            let inBin = trials.filter { DifficultyBinning.bin(of: $0.difficulty, in: bins) == bin }
            breakdowns.append(DifficultyBreakdown(bin: bin, curves: try RunAnalysis.curvePoints(inBin, strategies: order, options: options)))
        }
        byDifficulty = breakdowns
    }

    /// The curve points of one strategy, in budget order.
    public func curve(for strategy: String) -> [CurvePoint] {
        curves.filter { $0.strategy == strategy }
    }

    struct GroupKey: Hashable {
        var strategy: String
        var budget: BudgetPoint
    }

    static func budgetOrder(_ a: BudgetPoint, _ b: BudgetPoint) -> Bool {
        if a.kind != b.kind {
            return Budget.Unit.allCases.firstIndex(of: a.kind) ?? 0 < Budget.Unit.allCases.firstIndex(of: b.kind) ?? 0
        }
        return a.value < b.value
    }

    static func curvePoints(_ trials: [TrialRecord], strategies: [String], options: AnalysisOptions) throws -> [CurvePoint] {
        let groups = Dictionary(grouping: trials) { GroupKey(strategy: $0.strategy, budget: $0.budget) }
        var points: [CurvePoint] = []
        for strategy in strategies {
            let keys = groups.keys.filter { $0.strategy == strategy }.sorted { budgetOrder($0.budget, $1.budget) }
            for key in keys {
                if let group = groups[key] { points.append(try point(group, options: options)) }
            }
        }
        return points
    }

    static func point(_ group: [TrialRecord], options: AnalysisOptions) throws -> CurvePoint {
        let n = Double(group.count)
        func mean(_ value: (TrialRecord) -> Double) -> Double { group.reduce(0) { $0 + value($1) } / n }
        let correct = group.filter(\.correct).count
        var perProblem: [Int: (sum: Double, count: Int)] = [:]
        for trial in group {
            let entry = perProblem[trial.problemIndex] ?? (0, 0)
            perProblem[trial.problemIndex] = (entry.sum + (trial.correct ? 1 : 0), entry.count + 1)
        }
        let problemMeans = perProblem.keys.sorted().compactMap { perProblem[$0].map { $0.sum / Double($0.count) } }
        var oracle: Double?, passAt1: Double?
        if group.allSatisfy({ ($0.candidateCount ?? 0) > 0 && $0.candidatesCorrect != nil }) {
            oracle = mean { ($0.candidatesCorrect ?? 0) > 0 ? 1 : 0 }
            passAt1 = try group.reduce(0.0) { sum, trial in
                sum + (try PassAtK.estimate(samples: trial.candidateCount ?? 1,
                                            correct: min(trial.candidatesCorrect ?? 0, trial.candidateCount ?? 1), k: 1))
            } / n
        }
        let first = group[0]
        return CurvePoint(
            // the label until configs say which labels a sweep made (then its base label)
            strategy: first.strategy, family: first.family, strategyName: first.strategyName, budget: first.budget,
            n: group.count, problems: perProblem.count, correct: correct,
            accuracy: try Proportion.wilson(successes: correct, trials: group.count),
            bootstrap: try Bootstrap.meanInterval(problemMeans, options: options.bootstrap),
            meanFlops: mean { $0.ledger.flops },
            meanGeneratedTokens: mean { Double($0.generatedTokens) },
            meanSeconds: mean { $0.ledger.wallSeconds },
            meanPrefillTokens: mean { Double($0.ledger.prefillTokens) },
            meanDecodeTokens: mean { Double($0.ledger.decodeTokens) },
            meanReusedTokens: mean { Double($0.ledger.reusedTokens) },
            meanValueCalls: mean { Double($0.ledger.valueCalls) },
            meanVerifierCalls: mean { Double($0.ledger.verifierCalls) },
            meanRewards: RewardComponents(accuracy: mean { $0.rewards.accuracy }, format: mean { $0.rewards.format },
                                          language: mean { $0.rewards.language }, combined: mean { $0.rewards.combined }),
            oraclePassAtN: oracle, passAt1: passAt1)
    }
}
