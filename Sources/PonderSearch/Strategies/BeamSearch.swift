import PonderModel

/// Step-level beam search scored by the value head (search-and-learn's PRM beam search), or,
/// with `diverse`, DVTS: `width` independent subtrees that each keep their best child.
///
/// Every iteration generates one reasoning step for each active beam (`expansions` lanes per
/// beam, all in one lockstep batch; the first iteration draws `width × expansions` steps from
/// the prompt), scores every new step with the value head in one batch, and keeps the
/// `width` best (per subtree under DVTS). Children that finish are complete candidates; the
/// last iteration generates to the end. The answer is chosen among finished candidates by
/// `selection`.
///
/// A budget is a cap, not a target: beam search costs what its shape costs (about
/// `width × expansions` steps per iteration until every beam has finished) and stops there,
/// whatever is left of the budget. On the quickstart, width 2 × 2 expansions finish in about
/// 190 generated tokens, so caps of 288 and 864 tokens give the same search. For a curve along
/// which compute really grows, scale `beam_width` with the budget (search-and-learn's N), e.g.
/// one strategy entry per budget with its own `budgets:`, as `Examples/BudgetCurves` does.
public struct BeamSearch: SearchStrategy {
    public let name = "beam"
    /// Beams kept (subtrees under DVTS).
    public var width: Int
    /// Steps sampled per beam per iteration.
    public var expansions: Int
    /// DVTS: independent subtrees, each greedily keeping its best child.
    public var diverse: Bool
    /// Iterations; the last generates to the end.
    public var maxSteps: Int
    /// How the final answer is chosen among finished candidates.
    public var selection: AnswerSelection

    /// Beam search with every knob given.
    public init(width: Int = 4, expansions: Int = 4, diverse: Bool = false, maxSteps: Int = 40,
                selection: AnswerSelection = .maxValue) {
        self.width = width
        self.expansions = expansions
        self.diverse = diverse
        self.maxSteps = maxSteps
        self.selection = selection
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "beam", summary: "step-level beam search scored by the value head (diverse: DVTS)",
        parameters: [
            .int("beam_width", 1...4096, default: 4, "beams kept (subtrees under diverse)"),
            .int("expansions", 1...4096, default: 4, "steps sampled per beam per iteration"),
            .bool("diverse", default: false, "DVTS: independent subtrees that keep their best child"),
            .int("max_steps", 1...4096, default: 40, "iterations; the last generates to the end"),
            .choice("selection", ["max-value", "weighted-vote", "majority"], default: "max-value",
                    "how the answer is chosen among finished candidates"),
        ]
    ) { p in
        BeamSearch(width: try p.int("beam_width"), expansions: try p.int("expansions"),
                   diverse: try p.bool("diverse"), maxSteps: try p.int("max_steps"),
                   selection: try p.choice("selection", as: AnswerSelection.self))
    }

    private struct Beam {
        var sequence: SequenceID
        var subtree: Int
        var logprob: Double
    }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        try context.requireValueFunction(for: name, reason: "beams are ranked by value")
        let root = try context.policy.start(prompt: problem.prompt)
        var active = diverse
            ? (0..<width).map { Beam(sequence: root, subtree: $0, logprob: 0) }
            : [Beam(sequence: root, subtree: 0, logprob: 0)]
        var pool: [ScoredCandidate] = []
        var steps = 0
        while !active.isEmpty, steps < maxSteps, !context.isExhausted {
            let lanesPerBeam = (steps == 0 && !diverse) ? width * expansions : expansions
            let unit: GenerationUnit = steps == maxSteps - 1 ? .completion : .step
            let lanes = try context.generate(active.map { GenerationRequest($0.sequence, lanes: lanesPerBeam) },
                                             until: unit)
            steps += 1
            for beam in active where beam.sequence != root { context.policy.release(beam.sequence) }
            let live = lanes.filter { $0.sequence != nil }
            let values = try context.values(live.compactMap(\.sequence), for: name)
            // Children with their value, parent beam and cumulative log-probability.
            var children: [(lane: LaneOutcome, value: Double, beam: Beam)] = []
            for (lane, v) in zip(live, values) {
                let parent = active[lane.request]
                children.append((lane, v, Beam(sequence: lane.sequence ?? root, subtree: parent.subtree,
                                               logprob: parent.logprob + lane.logprob)))
            }
            for child in children where child.lane.end.isTerminal {
                var c = context.candidate(from: child.lane)
                c.logprob = child.beam.logprob
                c.value = child.value
                pool.append(c)
            }
            // Rank by value (stable: earlier lanes win ties) and keep the best per group.
            let ranked = children.indices.sorted { children[$0].value > children[$1].value || (children[$0].value == children[$1].value && $0 < $1) }
            var kept: [Int] = []
            if diverse {
                var seen = Set<Int>()
                for i in ranked where seen.insert(children[i].beam.subtree).inserted { kept.append(i) }
            } else {
                kept = Array(ranked.prefix(width))
            }
            let keptSet = Set(kept)
            active = kept.compactMap { children[$0].lane.end.isTerminal ? nil : children[$0].beam }
            for (i, child) in children.enumerated() where !keptSet.contains(i) || child.lane.end.isTerminal {
                if let id = child.lane.sequence { context.policy.release(id) }
            }
        }
        // Beams cut by the step cap or the budget are reported, unfinished.
        for beam in active where beam.sequence != root {
            var c = ScoredCandidate(text: try context.policy.completion(of: beam.sequence), answer: nil,
                                    tokens: try context.policy.completionTokens(of: beam.sequence).count,
                                    logprob: beam.logprob, end: .budget)
            c.score = nil
            pool.append(c)
        }
        let chosen = Voting.select(pool, by: selection)
        return context.finish(problem, strategy: name, candidates: pool, chosen: chosen,
                              statistics: ["iterations": Double(steps)])
    }
}
