import Foundation
import PonderModel

/// Step-level MCTS: nodes are reasoning steps (split by the task's step splitter). A leaf is
/// expanded by sampling `width` steps from it in one lockstep batch (duplicates merged), with
/// priors from the policy's length-normalized step log-probability; new steps are evaluated by
/// the value head, a rollout, or a λ-mix, and the mean value is backed up. Several leaves are
/// expanded per batched forward under virtual loss (`batch`). After `simulations`, one step is
/// committed (most visits, or Gumbel sequential halving) and its subtree reused.
///
/// The tree machinery is shared with `mcts-token` (`MCTSRun`, `MCTSTree`); only the expansion
/// differs.
///
/// Fill mode (`fill`, the default) with a finite budget makes the budget the target: MCTS
/// is anytime, so each move gets about remaining budget / expected remaining moves of
/// simulations (Gumbel's sequential halving is sized from that share and the observed cost
/// per simulation), and when a small tree is exhausted with budget left, a fresh tree starts
/// from the same forked prompt and the final answer is chosen across trees (see
/// `MCTSConfiguration.fill` and `MCTSFill.swift`). With fill off, or an unlimited budget, a
/// budget is only a cap: with a fixed `simulations` per move the search costs about
/// `simulations × width` steps per committed step and stops when the committed path ends,
/// however much budget is left (on the quickstart, 4 simulations of width 2 stop near 140
/// generated tokens under caps of 288 and 864).
public struct MCTSStep: SearchStrategy {
    public let name = "mcts-step"
    /// Every MCTS knob.
    public var configuration: MCTSConfiguration

    /// Step-level MCTS with a configuration.
    public init(configuration: MCTSConfiguration = MCTSConfiguration()) {
        self.configuration = configuration
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "mcts-step", summary: "MCTS over reasoning steps with PUCT, value-head leaves and virtual loss",
        parameters: MCTSConfiguration.parameters(width: 4, simulations: 16)
    ) { p in MCTSStep(configuration: try MCTSConfiguration.from(p)) }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        try MCTSRun(strategy: name, config: configuration, expander: StepExpander(), problem: problem,
                    context: context).search()
    }
}

/// Creates children by sampling one reasoning step per lane.
struct StepExpander: MCTSExpander {
    func expand(_ leaves: [(node: Int, count: Int)], in tree: MCTSTree,
                context: SearchContext) throws -> [[ChildProposal]] {
        var requests: [GenerationRequest] = [], owner: [Int] = []
        for (k, leaf) in leaves.enumerated() {
            guard let s = tree[leaf.node].sequence, leaf.count > 0 else { continue }
            requests.append(GenerationRequest(s, lanes: leaf.count))
            owner.append(k)
        }
        var out = [[ChildProposal]](repeating: [], count: leaves.count)
        guard !requests.isEmpty else { return out }
        let lanes = try context.generate(requests, until: .step)
        var seen = leaves.map { leaf in Set(tree[leaf.node].children.map { tree[$0].tokens }) }
        for lane in lanes {
            guard let s = lane.sequence else { continue }
            let k = owner[lane.request]
            guard seen[k].insert(lane.tokens).inserted else {
                context.policy.release(s)   // the same step twice: one child
                continue
            }
            out[k].append(ChildProposal(sequence: s, tokens: lane.tokens, text: lane.text, logprob: lane.logprob,
                                        priorWeight: exp(lane.meanLogprob), end: lane.end))
        }
        return out
    }
}
