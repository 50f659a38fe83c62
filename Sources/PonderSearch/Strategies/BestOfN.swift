import PonderModel

/// Best-of-N: N samples decoded in lockstep from one prompt (one prefill, N forks), then one
/// of them selected by majority vote, value-weighted vote, highest value, or — in
/// verifier-charged mode only — the checker.
///
/// Cost: one prefill of the prompt, N× one sample's decode, plus N value calls when the rule
/// reads values (each also feeds its sample's final token once), plus N verifier calls for
/// the checker rule. Samples are decoded in waves of `batch`; lanes the budget cuts are
/// reported as unfinished candidates.
///
/// Fill mode (`fill`, the default) with a finite budget makes the budget the target: waves
/// are drawn until the budget is spent, so N follows the budget and `n` is ignored. Waves are
/// sized by `WavePlanner` (a probe lane first, then as many lanes as the rest pays for at the
/// observed cost per lane), so a binding budget is spent on finished samples; `batch` > 0
/// caps a wave. With fill off, or an unlimited budget, N = `n` and a budget is only a cap.
///
/// Values come from `valueSource`: the head, or (verifier-charged mode) the oracle, for which
/// a finished sample's value is its own check.
public struct BestOfN: SearchStrategy {
    public let name = "best-of-n"
    /// How many samples (without fill, or with an unlimited budget).
    public var n: Int
    /// How one is chosen.
    public var selection: AnswerSelection
    /// Lanes decoded at once (0: all N in one wave; under fill, the planner decides).
    public var batch: Int
    /// Spend a finite budget rather than stopping at `n` samples.
    public var fill: Bool
    /// Where values come from (for the rules that read them).
    public var valueSource: ValueSource

    /// Best-of-`n` with a selection rule.
    public init(n: Int = 8, selection: AnswerSelection = .majority, batch: Int = 0, fill: Bool = true,
                valueSource: ValueSource = .head) {
        self.n = n
        self.selection = selection
        self.batch = batch
        self.fill = fill
        self.valueSource = valueSource
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "best-of-n", summary: "N samples from one forked prompt, then a selection rule",
        parameters: [
            .int("n", 1...65_536, default: 8, "samples to draw (ignored under fill with a finite budget)"),
            .choice("selection", AnswerSelection.allCases.map(\.rawValue), default: "majority",
                    "majority | weighted-vote | max-value | checker (verifier-charged only)"),
            .int("batch", 0...65_536, default: 0, "lanes decoded at once; 0 means all n (under fill: the planner decides)"),
            .bool("fill", default: true, "with a finite budget, sample until the budget is spent (N follows the budget)"),
        ] + ValueSource.parameters
    ) { p in
        BestOfN(n: try p.int("n"), selection: try p.choice("selection", as: AnswerSelection.self),
                batch: try p.int("batch"), fill: try p.bool("fill"), valueSource: try ValueSource.from(p))
    }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        context.valueSource = valueSource
        if selection.needsValue { try context.requireValueFunction(for: name, reason: "selection \(selection.rawValue)") }
        if selection == .checker { try context.requireChecker(for: name, use: "selection checker") }
        let root = try context.policy.start(prompt: problem.prompt)
        let candidates = try context.sampleInWaves(from: root, samples: n, wave: batch, fill: fill) { wave in
            if selection.needsValue, !wave.finished.isEmpty {
                let values = try context.values(wave.finishedSequences, for: name)
                for (i, v) in zip(wave.finished, values) { wave.candidates[i].value = v }
            }
            if selection == .checker {
                for i in wave.finished {
                    wave.candidates[i].verified = try context.check(completion: wave.candidates[i].text, for: name)
                }
            }
            return .keepSampling
        }
        let chosen = Voting.select(candidates, by: selection)
        let finished = candidates.filter(\.isFinished).count
        return context.finish(problem, strategy: name, candidates: candidates, chosen: chosen,
                              statistics: ["finished": Double(finished)])
    }
}
