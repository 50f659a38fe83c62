import Foundation

/// What a run says about scaling beyond its strategy curves: the sample bank's pass@k,
/// majority@k and weighted@k, the compute-optimal strategy per held-out difficulty bin, and
/// curves that fall as their budget grows.
public struct ScalingAnalysis: Sendable {
    /// One bank per problem (every seed's samples of the problem pooled), in problem order.
    public var bankProblems: [BankProblem]
    /// The bank's curves at k = 1, 2, 4, … up to the smallest bank (empty without a bank).
    public var bankCurve: [BankCurvePoint]
    /// Per-bin strategy choice against the best single strategy, binned by the bank's
    /// held-out difficulty (nil without a bank, or when no budget has two strategies).
    public var difficultyFrontier: DifficultyFrontierReport?
    /// Strategy families whose accuracy falls beyond noise as the budget grows.
    public var monotonicity: [MonotonicityFinding]

    /// Computes everything from a run's trials and its strategy curve points.
    public init(trials: [TrialRecord], curves: [CurvePoint], options: AnalysisOptions = AnalysisOptions()) throws {
        var byProblem: [Int: BankProblem] = [:]
        for trial in trials {
            guard let samples = trial.bankSamples, !samples.isEmpty else { continue }
            // What the samples' own shares do not account for was paid once: the prefill.
            let shared = max(0, trial.ledger.flops - samples.reduce(0) { $0 + $1.flops })
            var problem = byProblem[trial.problemIndex]
                ?? BankProblem(problemIndex: trial.problemIndex, samples: [], sharedFlops: shared)
            problem.samples += samples
            problem.sharedFlops = min(problem.sharedFlops, shared)
            byProblem[trial.problemIndex] = problem
        }
        bankProblems = byProblem.keys.sorted().compactMap { byProblem[$0] }
        if let smallest = bankProblems.map(\.samples.count).min() {
            bankCurve = try SampleBank.curve(bankProblems, ks: SampleBank.defaultKs(maxK: smallest),
                                             options: SampleBankOptions(bootstrap: options.bootstrap))
        } else {
            bankCurve = []
        }
        let strategyTrials = trials.filter { !$0.isBank }
        let strategies = Set(strategyTrials.map(\.strategy))
        if !bankProblems.isEmpty, strategies.count > 1 {
            difficultyFrontier = try DifficultyFrontier.analyze(
                strategyTrials, difficulty: SampleBank.heldOutDifficulty(bankProblems),
                options: DifficultyFrontierOptions(quantileBins: options.difficultyBins, bootstrap: options.bootstrap))
        } else {
            difficultyFrontier = nil
        }
        monotonicity = try MonotonicityCheck.findings(curves)
    }

    /// The bank's votes as frontier candidates: majority@k and weighted@k are verifier-hidden
    /// strategies (self-consistency) at the cost of k samples; pass@k needs the checker, so it
    /// is not one.
    var frontierPoints: [FrontierPoint] {
        bankCurve.flatMap { p in [
            FrontierPoint(strategy: "bank majority@\(p.k)", budget: BudgetPoint(kind: .samples, value: Double(p.k)),
                          meanFlops: p.meanFlops, accuracy: p.majorityAtK.estimate),
            FrontierPoint(strategy: "bank weighted@\(p.k)", budget: BudgetPoint(kind: .samples, value: Double(p.k)),
                          meanFlops: p.meanFlops, accuracy: p.weightedAtK.estimate),
        ] }
    }

    /// The bank's three curves as plot series against FLOPs or tokens (nil for seconds: the
    /// bank's samples are decoded together, so a subset has no wall time of its own).
    func series(axis: CostAxis) -> [PlotSeries] {
        guard !bankCurve.isEmpty, axis != .seconds else { return [] }
        func x(_ p: BankCurvePoint) -> Double { axis == .flops ? p.meanFlops : p.meanTokens }
        func line(_ label: String, _ metric: (BankCurvePoint) -> Interval, color: String, dashed: Bool) -> PlotSeries {
            PlotSeries(label: label, points: bankCurve.map { p in
                let m = metric(p)
                return PlotSeries.Point(x: x(p), y: m.estimate, low: dashed ? nil : m.low, high: dashed ? nil : m.high,
                                        note: "\(label) at k=\(p.k): \(Format.percent(m.estimate)) \(Format.interval(m))")
            }, color: color, dashed: dashed, family: label)
        }
        // Colours outside the strategies' palette, so the bank never shares one with a strategy.
        return [
            line("bank majority@k", \.majorityAtK, color: "#111111", dashed: false),
            line("bank weighted@k", \.weightedAtK, color: "#17becf", dashed: false),
            line("bank pass@k (oracle upper bound)", \.passAtK, color: "#111111", dashed: true),
        ]
    }
}

extension EqualAccuracySaving: CustomStringConvertible {
    /// `4.00×`, `≤ 1.30×` (the single curve starts above it), `not reached (best single 31.0%)`.
    public var description: String {
        switch self {
        case .reached(_, let factor): return String(format: "%.2f×", factor)
        case .belowCurve(_, let factor): return String(format: "≤ %.2f×", factor)
        case .notReached(let best): return "not reached (best single \(Format.percent(best)))"
        }
    }
}
