import Foundation
import PonderModel

/// Token-level MCTS: the same machinery as `mcts-step` with single tokens as actions. A leaf is
/// expanded into its top-`width` tokens by prior (the processed next-token distribution,
/// renormalized over the kept tokens), and the value head scores every new node, in one
/// batched forward over all new tokens. Closest prior art: PPO-MCTS and TS-LLM's RLHF setting.
///
/// As for `mcts-step`, fill mode (the default) spends a finite budget: simulations per token
/// are allotted from the remaining budget and exhausted trees are restarted; with fill off
/// the search stops when the committed path ends, so a budget larger than `simulations` per
/// token can use is not spent (see `MCTSStep`).
public struct MCTSToken: SearchStrategy {
    public let name = "mcts-token"
    /// Every MCTS knob.
    public var configuration: MCTSConfiguration

    /// Token-level MCTS with a configuration.
    public init(configuration: MCTSConfiguration = MCTSConfiguration()) {
        self.configuration = configuration
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "mcts-token", summary: "MCTS over single tokens (top-k children), value head at every node",
        parameters: MCTSConfiguration.parameters(width: 4, simulations: 8)
    ) { p in MCTSToken(configuration: try MCTSConfiguration.from(p)) }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        try MCTSRun(strategy: name, config: configuration, expander: TokenExpander(), problem: problem,
                    context: context).search()
    }
}

/// Creates children from the top tokens of each leaf's next-token distribution.
struct TokenExpander: MCTSExpander {
    func expand(_ leaves: [(node: Int, count: Int)], in tree: MCTSTree,
                context: SearchContext) throws -> [[ChildProposal]] {
        var out = [[ChildProposal]](repeating: [], count: leaves.count)
        let live = leaves.indices.filter { tree[leaves[$0].node].sequence != nil && leaves[$0].count > 0 }
        let sequences = live.compactMap { tree[leaves[$0].node].sequence }
        guard !sequences.isEmpty else { return out }
        // Reading candidates may compute pending tokens: that forward must fit the budget.
        let read = context.policy.flushCost(sequences)
        guard context.budget.allows(context.ledger, plus: read) else {
            context.droppedForBudget = true
            return out
        }
        let widest = live.map { leaves[$0].count + tree[leaves[$0].node].children.count }.max() ?? 1
        let s = context.sampling
        let processor = SamplingChain(temperature: s.isGreedy ? 1 : s.temperature, topK: widest,
                                      topP: s.topP, minP: s.minP)
        let sets = try context.policy.candidates(sequences, processor: processor)
        var samplesLeft = context.remainingSamples ?? Int.max
        let tokenCap = context.budget.unit == .tokens ? context.budget.limit : .infinity
        for (k, var set) in zip(live, sets) {
            guard let parent = tree[leaves[k].node].sequence else { continue }
            set.sort()
            let existing = Set(tree[leaves[k].node].children.compactMap { tree[$0].tokens.first })
            for i in set.ids.indices where out[k].count < leaves[k].count {
                let token = set.ids[i]
                if existing.contains(token) { continue }
                if Double(context.ledger.generatedTokens + 1) > tokenCap {
                    context.droppedForBudget = true
                    break
                }
                if try context.policy.wouldStop(parent, adding: token) != nil {
                    if samplesLeft == 0 { continue }
                    samplesLeft -= 1
                }
                let child = try context.policy.fork(parent)
                let stop = try context.policy.append(child, token: token)
                out[k].append(ChildProposal(sequence: child, tokens: [token], text: context.policy.detokenize([token]),
                                            logprob: Double(set.modelLogprobs[i]), priorWeight: exp(Double(set.logprobs[i])),
                                            end: stop.map { LaneEnd($0) } ?? .tokenLimit))
            }
        }
        return out
    }
}
