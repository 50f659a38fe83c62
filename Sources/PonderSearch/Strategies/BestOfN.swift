import PonderModel

/// Best-of-N: N samples decoded in lockstep from one prompt (one prefill, N forks), then one
/// of them selected by majority vote, value-weighted vote, highest value, or — in
/// verifier-charged mode only — the checker.
///
/// Cost: one prefill of the prompt, N× one sample's decode, plus N value calls when the rule
/// reads values (each also feeds its sample's final token once), plus N verifier calls for
/// the checker rule. Under a budget, samples are decoded in waves of `batch` until N are done
/// or the budget ends; lanes the budget cuts are reported as unfinished candidates.
public struct BestOfN: SearchStrategy {
    public let name = "best-of-n"
    /// How many samples.
    public var n: Int
    /// How one is chosen.
    public var selection: AnswerSelection
    /// Lanes decoded at once (0: all N in one wave).
    public var batch: Int

    /// Best-of-`n` with a selection rule.
    public init(n: Int = 8, selection: AnswerSelection = .majority, batch: Int = 0) {
        self.n = n
        self.selection = selection
        self.batch = batch
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "best-of-n", summary: "N samples from one forked prompt, then a selection rule",
        parameters: [
            .int("n", 1...65_536, default: 8, "samples to draw"),
            .choice("selection", AnswerSelection.allCases.map(\.rawValue), default: "majority",
                    "majority | weighted-vote | max-value | checker (verifier-charged only)"),
            .int("batch", 0...65_536, default: 0, "lanes decoded at once; 0 means all n"),
        ]
    ) { p in
        BestOfN(n: try p.int("n"), selection: try p.choice("selection", as: AnswerSelection.self),
                batch: try p.int("batch"))
    }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        if selection.needsValue { try context.requireValueFunction(for: name, reason: "selection \(selection.rawValue)") }
        if selection == .checker { try context.requireChecker(for: name, use: "selection checker") }
        let root = try context.policy.start(prompt: problem.prompt)
        let wave = batch > 0 ? batch : n
        var candidates: [ScoredCandidate] = []
        var drawn = 0
        var planner = WavePlanner()
        while drawn < n, !context.isExhausted {
            let count = planner.begin(min(wave, n - drawn), from: root, in: context)
            let lanes = try context.generate([GenerationRequest(root, lanes: count)], until: .completion)
            defer { planner.end(in: context) }
            drawn += lanes.count
            let started = lanes.filter { !$0.tokens.isEmpty }
            if started.isEmpty { break }
            var scored = started.map { context.candidate(from: $0) }
            let finished = started.indices.filter { started[$0].end.isTerminal && started[$0].sequence != nil }
            if selection.needsValue {
                let values = try context.values(finished.compactMap { started[$0].sequence }, for: name)
                for (i, v) in zip(finished, values) { scored[i].value = v }
            }
            if selection == .checker {
                for i in finished { scored[i].verified = try context.check(completion: scored[i].text, for: name) }
            }
            for lane in started { if let id = lane.sequence { context.policy.release(id) } }
            candidates += scored
        }
        let chosen = Voting.select(candidates, by: selection)
        let finished = candidates.filter(\.isFinished).count
        return context.finish(problem, strategy: name, candidates: candidates, chosen: chosen,
                              statistics: ["finished": Double(finished)])
    }
}
