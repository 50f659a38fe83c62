import Foundation

/// The final-answer rule and the result of an MCTS run, over every tree the run built: one
/// tree normally, several under fill mode's restarts. Terminal nodes are pooled in tree
/// order (then node order), and the candidates of the result follow that order.
///
/// Across trees the rules read: `path` — each tree nominates the terminal its committed path
/// leads to (continued by most visits when the budget stopped it, else its best-valued
/// terminal), and the nominee with the highest mean value wins (ties: more visits, then the
/// earlier tree); `best-value` — the terminal with the highest mean value in any tree;
/// `vote` — visits summed per answer over the terminals of all trees. With one tree these
/// are exactly the single-tree rules.
extension MCTSRun {
    /// One terminal node of one tree.
    struct TerminalRef: Equatable {
        var tree: Int
        var node: Int
    }

    /// Every tree of the run, oldest first.
    var allTrees: [MCTSTree] { finishedTrees + [tree] }

    /// Terminal nodes of every tree, in tree order then node order.
    func pooledTerminals() -> [TerminalRef] {
        allTrees.enumerated().flatMap { k, t in t.terminals.map { TerminalRef(tree: k, node: $0) } }
    }

    /// The index (into `pooledTerminals()`) the final-answer rule picks, or `nil` when no
    /// terminal node exists.
    func finalChoice() -> Int? {
        let trees = allTrees
        let pool = pooledTerminals()
        let visited = pool.indices.filter { trees[pool[$0].tree][pool[$0].node].visits > 0 }
        switch config.final {
        case .path:
            var nominees: [Int] = []
            for (k, t) in trees.enumerated() {
                var node = t.root
                while !t[node].terminal, let next = t.mostVisitedChild(of: node) { node = next }
                if t[node].terminal, let i = pool.firstIndex(of: TerminalRef(tree: k, node: node)) {
                    nominees.append(i)
                } else if let i = bestValue(among: visited.filter { pool[$0].tree == k }, pool, trees) {
                    nominees.append(i)
                }
            }
            return bestValue(among: nominees, pool, trees)
        case .bestValue:
            return bestValue(among: visited, pool, trees)
        case .vote:
            var weight: [String: Int] = [:], order: [String] = []
            for i in visited {
                let n = trees[pool[i].tree][pool[i].node]
                guard let a = n.answer else { continue }
                if weight[a] == nil { order.append(a) }
                weight[a, default: 0] += n.visits
            }
            var winner: String?
            for a in order where winner == nil || (weight[a] ?? 0) > (weight[winner ?? a] ?? 0) { winner = a }
            guard let winner else { return bestValue(among: visited, pool, trees) }
            return visited.filter { trees[pool[$0].tree][pool[$0].node].answer == winner }
                .max { (q(pool[$0], trees) ?? 0, -$0) < (q(pool[$1], trees) ?? 0, -$1) }
        }
    }

    private func q(_ ref: TerminalRef, _ trees: [MCTSTree]) -> Double? { trees[ref.tree].q(ref.node) }

    /// The highest mean value among `candidates` (ties: more visits, then the earlier one).
    private func bestValue(among candidates: [Int], _ pool: [TerminalRef], _ trees: [MCTSTree]) -> Int? {
        candidates.max { a, b in
            let qa = q(pool[a], trees) ?? 0, qb = q(pool[b], trees) ?? 0
            if qa != qb { return qa < qb }
            let va = trees[pool[a].tree][pool[a].node].visits, vb = trees[pool[b].tree][pool[b].node].visits
            if va != vb { return va < vb }
            return a > b
        }
    }

    /// The search result: every pooled terminal as a candidate, the final rule's choice, the
    /// exported tree (several trees are exported one after another, each from its own
    /// parentless root) and statistics.
    func result() -> SearchResult {
        let trees = allTrees
        let pool = pooledTerminals()
        let candidates = pool.map { ref -> ScoredCandidate in
            let t = trees[ref.tree]
            let c = t.completion(of: ref.node)
            return ScoredCandidate(text: c.text, answer: t[ref.node].answer, tokens: c.tokens, logprob: c.logprob,
                                   end: t[ref.node].end ?? .eos, value: t.q(ref.node), score: Double(t[ref.node].visits))
        }
        var stats: [String: Double] = [
            "simulations": Double(simulations), "collisions": Double(collisions),
            "expansions": Double(expansions), "moves": Double(moves),
            "nodes": Double(trees.reduce(0) { $0 + $1.nodes.count }),
        ]
        let exported: SearchTree
        if trees.count == 1 {
            exported = tree.export(strategy: strategy)
        } else {
            var nodes: [SearchTreeNode] = [], committed: [Int] = []
            for t in trees {
                committed += t.committed.map { $0 + nodes.count }
                nodes += t.exportNodes(offset: nodes.count)
            }
            exported = SearchTree(strategy: strategy, root: 0, nodes: nodes, committed: committed)
        }
        if filling { stats["trees"] = Double(trees.count) }
        return context.finish(problem, strategy: strategy, candidates: candidates, chosen: finalChoice(),
                              tree: exported, statistics: stats)
    }
}
