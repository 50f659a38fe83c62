import Foundation
import PonderModel

/// Budget-filling MCTS (`MCTSConfiguration.fill` with a finite budget): MCTS is an anytime
/// algorithm, so instead of a fixed `simulations` per move, each move spends a share of what
/// is left.
///
/// - Per move, the share is remaining budget / expected remaining moves
///   (`BudgetFill.movesLeft`: the mean depth of the terminals seen so far, or before any, the
///   length cap over the mean action length; at least 1, and the last expected move gets
///   everything left). Under `root = visits` simulations run in batches until the share is
///   spent; under `root = gumbel` sequential halving is given share / observed cost per
///   simulation simulations.
/// - A move also ends when nothing below the root can be expanded any more (a small tree is
///   exhausted: more simulations would only revisit finished paths), so a tree can finish with
///   budget left. If the committed path ends with more than one completion's worth left, a
///   fresh tree starts from the same prompt — the prompt's sequence is forked once, at the
///   first commit, and every new tree's root is a fork of it, so the prompt is prefilled once —
///   and the final answer is chosen across all trees by `final` (see `MCTSFinal.swift`).
///
/// Restarting rather than growing one tree forever is the choice because a width-limited tree
/// (no progressive widening) runs out of new actions long before a large budget does, and a
/// fresh tree with new samples is the cheapest way to turn more compute into more distinct
/// candidates; on trees that can keep growing, the per-move shares already spend the budget
/// and no restart happens.
extension MCTSRun {
    /// Most simulations one fill move may run (a guard for zero-cost simulations, which a
    /// samples budget sees until a terminal is reached).
    static let maxFillSimulationsPerMove = 1 << 16
    /// Consecutive batches that expanded nothing after which a move stops (PUCT keeps
    /// revisiting finished paths: the move's statistics are settled).
    static let maxIdleBatches = 256
    /// Most trees one fill search builds.
    static let maxFillTrees = 4096

    private var used: Double { context.budget.used(context.ledger) }

    /// Searches under fill mode: allotted moves, then restarts, then the final rule.
    func fillSearch() throws -> SearchResult {
        let maxMoves = context.policy.stopConditions.maxNewTokens + 1
        // The prompt, kept live for restarts (forked at the first commit, when it is computed).
        var prompt: SequenceID?
        var treeMoves = 0, treeStart = 0.0
        while true {
            while !tree[tree.root].terminal, treeMoves < maxMoves, !context.isExhausted {
                let share = BudgetFill.allotment(remaining: context.budget.remaining(context.ledger),
                                                 movesLeft: movesLeft())
                let choice: Int?
                switch config.root {
                case .visits:
                    try simulate(spending: share)
                    choice = tree.mostVisitedChild(of: tree.root)
                case .gumbel:
                    choice = try gumbelMove { self.simulationCount(for: share) }
                }
                // As without fill, a move the budget cut short is not committed.
                if context.isExhausted { break }
                guard let next = choice else { break }
                if prompt == nil, let s = tree[tree.root].sequence { prompt = try context.policy.fork(s) }
                for s in tree.commit(to: next) { context.policy.release(s) }
                tree.refreshRootNoise(using: &context.searchRNG)
                moves += 1
                treeMoves += 1
            }
            if prompt == nil, tree.committed.isEmpty, let s = tree[tree.root].sequence, !context.isExhausted {
                prompt = try context.policy.fork(s)
            }
            guard let prompt, !context.isExhausted, allTrees.count < Self.maxFillTrees,
                  used > treeStart, context.budget.remaining(context.ledger) > completionCost(from: prompt)
            else { break }
            for s in tree.detachAll() { context.policy.release(s) }
            finishedTrees.append(tree)
            tree = MCTSTree(rootSequence: try context.policy.fork(prompt), config: config)
            treeMoves = 0
            treeStart = used
        }
        return result()
    }

    /// Runs simulation batches until `share` is spent, the budget ends, or the tree below the
    /// root can no longer grow (at least one batch, so a fresh root is always expanded).
    private func simulate(spending share: Double) throws {
        let start = used
        var done = 0, idle = 0
        repeat {
            let before = expansions
            let slots = max(1, config.batch)
            try runBatch(forced: [Int?](repeating: nil, count: slots))
            done += slots
            if expansions == before {
                idle += 1
                if idle >= Self.maxIdleBatches || !tree.canGrow(below: tree.root) { break }
            } else {
                idle = 0
            }
        } while used - start < share && done < Self.maxFillSimulationsPerMove && !context.isExhausted
    }

    /// Simulations a Gumbel move gets for `share`: the share over the mean cost of the
    /// simulations so far that expanded a leaf, at least one. (Averaging over every
    /// simulation instead would let free revisits of finished paths shrink the price and
    /// inflate the count without bound.)
    private func simulationCount(for share: Double) -> Int {
        let cost = expansions > 0 ? used / Double(expansions) : 0
        guard cost > 0 else { return Self.maxFillSimulationsPerMove }
        return max(1, min(Self.maxFillSimulationsPerMove, Int(share / cost)))
    }

    /// Expected remaining moves on the current tree, from every tree seen so far.
    private func movesLeft() -> Double {
        var depths: [Int] = [], tokens = 0, actions = 0
        for t in allTrees {
            for i in t.nodes.indices where t[i].parent != nil {
                tokens += t[i].tokens.count
                actions += 1
                if t[i].terminal { depths.append(t.depth(of: i)) }
            }
        }
        return BudgetFill.movesLeft(committed: tree.committed.count, terminalDepths: depths,
                                    meanActionTokens: actions > 0 ? Double(tokens) / Double(actions) : nil,
                                    maxNewTokens: context.policy.stopConditions.maxNewTokens)
    }

    /// One completion's worth of budget: a completion of the mean terminal length seen (the
    /// length cap before any), decoded from the prompt. A restart needs more than this left.
    private func completionCost(from prompt: SequenceID) -> Double {
        var lengths: [Int] = []
        for t in allTrees { for i in t.terminals { lengths.append(t[i].tokenEnd) } }
        let mean = lengths.isEmpty ? context.policy.stopConditions.maxNewTokens
            : Int((Double(lengths.reduce(0, +)) / Double(lengths.count)).rounded(.up))
        let start = (try? context.policy.tokens(of: prompt).count) ?? 0
        return BudgetFill.completionCost(tokens: mean, startLength: start, in: context)
    }
}
