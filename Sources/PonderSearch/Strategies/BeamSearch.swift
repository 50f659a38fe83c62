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
/// Fill mode (`fill`, the default) with a finite budget makes the budget the target. A first
/// beam search runs at `beam_width`; its cost is measured, and while budget remains further
/// independent searches run from the same prompt (forked from the one prefilled root, never
/// re-encoded), each as wide as the rest of the budget pays for at the observed cost per
/// beam (`width × remaining / cost`, at least one beam), so the second search is usually the
/// wide one and later ones fill the tail. Every finished candidate of every search goes into
/// one pool and `selection` chooses over the pool. Growing one wide search (rather than many
/// restarts at the configured width) is search-and-learn's way of scaling N; the tail
/// searches only keep the last fraction of the budget from being left unspent. With fill
/// off, or an unlimited budget, beam search costs what its shape costs (about
/// `width × expansions` steps per iteration until every beam has finished) and a budget is
/// only a cap: on the quickstart, width 2 × 2 expansions finish in about 190 generated
/// tokens, so caps of 288 and 864 tokens then give the same search.
///
/// Values come from `valueSource`: the head, or (verifier-charged mode) the oracle.
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
    /// Spend a finite budget on further (wider) searches once the first one ends.
    public var fill: Bool
    /// Where beam values come from.
    public var valueSource: ValueSource

    /// The widest search fill mode starts (the registry's `beam_width` bound).
    static let maxFillWidth = 4096

    /// Beam search with every knob given.
    public init(width: Int = 4, expansions: Int = 4, diverse: Bool = false, maxSteps: Int = 40,
                selection: AnswerSelection = .maxValue, fill: Bool = true, valueSource: ValueSource = .head) {
        self.width = width
        self.expansions = expansions
        self.diverse = diverse
        self.maxSteps = maxSteps
        self.selection = selection
        self.fill = fill
        self.valueSource = valueSource
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
            .bool("fill", default: true, "with a finite budget, run further searches sized from the observed cost until it is spent"),
        ] + ValueSource.parameters
    ) { p in
        BeamSearch(width: try p.int("beam_width"), expansions: try p.int("expansions"),
                   diverse: try p.bool("diverse"), maxSteps: try p.int("max_steps"),
                   selection: try p.choice("selection", as: AnswerSelection.self), fill: try p.bool("fill"),
                   valueSource: try ValueSource.from(p))
    }

    private struct Beam {
        var sequence: SequenceID
        var subtree: Int
        var logprob: Double
    }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        context.valueSource = valueSource
        try context.requireValueFunction(for: name, reason: "beams are ranked by value")
        let root = try context.policy.start(prompt: problem.prompt)
        var pool: [ScoredCandidate] = []
        let filling = BudgetFill.isActive(fill, context.budget)
        let prefill = context.budget.used(context.policy.flushCost([root]))
        var steps = try run(width: width, from: root, into: &pool, in: context)
        var searches = 1, beams = width, widest = width
        if filling {
            // The first search's cost, minus the root's one prefill, prices a beam.
            var spent = context.budget.used(context.ledger) - prefill
            while !context.isExhausted, spent > 0 {
                let remaining = context.budget.remaining(context.ledger)
                let perBeam = spent / Double(beams)
                let next = max(1, min(Self.maxFillWidth, Int(remaining / perBeam)))
                let before = context.budget.used(context.ledger)
                steps += try run(width: next, from: root, into: &pool, in: context)
                let cost = context.budget.used(context.ledger) - before
                // A search that spent nothing cannot be priced; stop rather than loop.
                if cost <= 0 { break }
                spent += cost
                beams += next
                searches += 1
                widest = max(widest, next)
            }
        }
        let chosen = Voting.select(pool, by: selection)
        var statistics = ["iterations": Double(steps)]
        if filling {
            statistics["searches"] = Double(searches)
            statistics["beams"] = Double(beams)
            statistics["widest"] = Double(widest)
        }
        return context.finish(problem, strategy: name, candidates: pool, chosen: chosen, statistics: statistics)
    }

    /// One beam search of `width` beams from `root` (which stays live and is never extended):
    /// appends its finished candidates, and its cut beams as unfinished ones, to `pool`.
    /// Returns the iterations it ran.
    private func run(width: Int, from root: SequenceID, into pool: inout [ScoredCandidate],
                     in context: SearchContext) throws -> Int {
        var active = diverse
            ? (0..<width).map { Beam(sequence: root, subtree: $0, logprob: 0) }
            : [Beam(sequence: root, subtree: 0, logprob: 0)]
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
            context.policy.release(beam.sequence)
        }
        return steps
    }
}
