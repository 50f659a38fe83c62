import Foundation
import PonderModel

/// One node of an MCTS tree: an action (a step or a token) taken from its parent.
struct MCTSNode {
    var parent: Int?
    var children: [Int] = []
    /// The state after this action (released once the node leaves the live tree).
    var sequence: SequenceID?
    var tokens: [Int]
    var text: String
    /// Completion position of the action's first token.
    var tokenStart: Int
    /// Sum of the action's token log-probabilities.
    var logprob: Double
    /// Normalized prior among siblings.
    var prior: Double
    /// Unnormalized prior weight (kept so that widening can renormalize).
    var priorWeight: Double
    var visits = 0
    var valueSum = 0.0
    var pending = 0
    var end: LaneEnd?
    var answer: String?
    var expanded = false
    /// Set when an expansion found no new action (every candidate already a child), so that
    /// widening stops trying.
    var saturated = false
    /// The node's own evaluation (what a revisit of a terminal backs up).
    var evaluation: Double?

    var terminal: Bool { end?.isTerminal ?? false }
    var tokenEnd: Int { tokenStart + tokens.count }
}

/// The tree shared by step- and token-level MCTS: PUCT selection with virtual loss, backup of
/// mean value, root noise, commits with subtree reuse, and export.
final class MCTSTree {
    private(set) var nodes: [MCTSNode]
    private(set) var root = 0
    private(set) var committed: [Int] = []
    /// Noisy root priors by child index (Dirichlet root noise), recomputed when the root's
    /// children change.
    private var rootPriors: [Int: Double] = [:]
    let config: MCTSConfiguration

    init(rootSequence: SequenceID, config: MCTSConfiguration) {
        self.config = config
        nodes = [MCTSNode(sequence: rootSequence, tokens: [], text: "", tokenStart: 0, logprob: 0, prior: 1,
                          priorWeight: 1)]
    }

    subscript(_ i: Int) -> MCTSNode { nodes[i] }

    /// Mean backed-up value, or `nil` before any evaluation.
    func q(_ i: Int) -> Double? { nodes[i].visits > 0 ? nodes[i].valueSum / Double(nodes[i].visits) : nil }

    /// Whether selection should stop here and expand: never expanded, or due for widening.
    func needsExpansion(_ i: Int) -> Bool {
        let n = nodes[i]
        if n.terminal { return false }
        if !n.expanded { return true }
        // Widening only when asked for (cap above width): a node left with fewer children by
        // duplicates or the budget is not re-expanded by default.
        return config.expansionCap > config.width && !n.saturated
            && n.children.count < config.expansionCap && n.visits >= n.children.count * n.children.count
    }

    /// How many children an expansion of `i` should add.
    func expansionCount(_ i: Int) -> Int {
        nodes[i].expanded ? min(config.width, config.expansionCap - nodes[i].children.count) : config.width
    }

    /// PUCT with virtual loss: Q + c(s)·P·√N(s)/(1 + N(a)), pending visits counted at value 0.
    func puct(_ child: Int, of parent: Int) -> Double {
        let vl = Double(config.virtualLoss)
        let p = nodes[parent], c = nodes[child]
        let parentN = Double(p.visits) + vl * Double(p.pending)
        let childN = Double(c.visits) + vl * Double(c.pending)
        let fpu = q(parent) ?? 0
        let value = childN > 0 ? c.valueSum / childN : fpu
        let prior = parent == root ? (rootPriors[child] ?? c.prior) : c.prior
        let cs = config.cInit + log((parentN + config.cBase + 1) / config.cBase)
        return value + cs * prior * parentN.squareRoot() / (1 + childN)
    }

    /// The path from the root (through `forced`, a root child, if given) down to a node that is
    /// terminal or needs expansion.
    func selectPath(forced: Int? = nil) -> [Int] {
        var path = [root]
        var node = root
        if let forced, nodes[root].children.contains(forced) {
            path.append(forced)
            node = forced
        }
        while !nodes[node].terminal, !needsExpansion(node), !nodes[node].children.isEmpty {
            var best = nodes[node].children[0], bestScore = -Double.infinity
            for c in nodes[node].children {
                let s = puct(c, of: node)
                if s > bestScore { best = c; bestScore = s }
            }
            path.append(best)
            node = best
        }
        return path
    }

    func addPending(_ path: [Int]) { for i in path { nodes[i].pending += 1 } }
    func removePending(_ path: [Int]) { for i in path { nodes[i].pending -= 1 } }

    /// Adds `visits` evaluations summing to `valueSum` to every node on `path`.
    func backup(_ path: [Int], visits: Int, valueSum: Double) {
        for i in path {
            nodes[i].visits += visits
            nodes[i].valueSum += valueSum
        }
    }

    /// Appends a child and renormalizes its siblings' priors.
    @discardableResult
    func addChild(of parent: Int, sequence: SequenceID, tokens: [Int], text: String, logprob: Double,
                  priorWeight: Double, end: LaneEnd, answer: String?) -> Int {
        let id = nodes.count
        nodes.append(MCTSNode(parent: parent, sequence: sequence, tokens: tokens, text: text,
                              tokenStart: nodes[parent].tokenEnd, logprob: logprob, prior: 0,
                              priorWeight: priorWeight, end: end, answer: answer))
        nodes[parent].children.append(id)
        let total = nodes[parent].children.reduce(0) { $0 + nodes[$1].priorWeight }
        for c in nodes[parent].children {
            nodes[c].prior = total > 0 ? nodes[c].priorWeight / total : 1 / Double(nodes[parent].children.count)
        }
        return id
    }

    func markExpanded(_ i: Int) { nodes[i].expanded = true }
    func markSaturated(_ i: Int) { nodes[i].saturated = true }
    func setAnswer(_ i: Int, _ answer: String?) { nodes[i].answer = answer }

    /// Records a new node's own evaluation as its first visit.
    func setEvaluation(_ i: Int, _ value: Double) {
        nodes[i].evaluation = value
        nodes[i].visits = 1
        nodes[i].valueSum = value
    }

    /// Redraws Dirichlet noise over the root's children (no-op when the weight is 0).
    func refreshRootNoise(using rng: inout SeededRNG) {
        rootPriors = [:]
        let children = nodes[root].children
        guard config.dirichletWeight > 0, config.root == .visits, children.count > 1 else { return }
        let noise = rng.nextDirichlet(alpha: config.dirichletAlpha, count: children.count)
        for (c, eta) in zip(children, noise) {
            rootPriors[c] = (1 - config.dirichletWeight) * nodes[c].prior + config.dirichletWeight * eta
        }
    }

    /// Makes `child` the root. Sequences of every node outside its subtree are handed back for
    /// release; without reuse the child's own subtree is cut off as well.
    func commit(to child: Int) -> [SequenceID] {
        var freed: [SequenceID] = []
        func detach(_ i: Int) {
            if let s = nodes[i].sequence { freed.append(s) }
            nodes[i].sequence = nil
            for c in nodes[i].children { detach(c) }
        }
        for c in nodes[root].children where c != child { detach(c) }
        if let s = nodes[root].sequence { freed.append(s) }
        nodes[root].sequence = nil
        if !config.reuse {
            for c in nodes[child].children { detach(c) }
            nodes[child].children = []
            nodes[child].expanded = false
            nodes[child].visits = nodes[child].evaluation == nil ? 0 : 1
            nodes[child].valueSum = nodes[child].evaluation ?? 0
        }
        root = child
        committed.append(child)
        rootPriors = [:]
        return freed
    }

    /// The most visited child (ties: higher value, then higher prior, then the earlier child).
    func mostVisitedChild(of i: Int) -> Int? {
        nodes[i].children.max { a, b in
            let na = nodes[a], nb = nodes[b]
            if na.visits != nb.visits { return na.visits < nb.visits }
            let qa = q(a) ?? -1, qb = q(b) ?? -1
            if qa != qb { return qa < qb }
            if na.prior != nb.prior { return na.prior < nb.prior }
            return a > b
        }
    }

    /// Every terminal node ever created, live or detached.
    var terminals: [Int] { nodes.indices.filter { nodes[$0].terminal } }

    /// The completion a node stands for, and its summed log-probability.
    func completion(of i: Int) -> (text: String, tokens: Int, logprob: Double) {
        var parts: [String] = [], logprob = 0.0
        var current: Int? = i
        while let c = current {
            parts.append(nodes[c].text)
            logprob += nodes[c].logprob
            current = nodes[c].parent
        }
        return (parts.reversed().joined(), nodes[i].tokenEnd, logprob)
    }

    /// The exportable tree.
    func export(strategy: String) -> SearchTree {
        SearchTree(strategy: strategy, root: 0, nodes: exportNodes(offset: 0), committed: committed)
    }

    /// Exported nodes with every index shifted by `offset` (to place several trees in one export).
    func exportNodes(offset: Int) -> [SearchTreeNode] {
        nodes.indices.map { i in
            let n = nodes[i]
            return SearchTreeNode(id: i + offset, parent: n.parent.map { $0 + offset }, children: n.children.map { $0 + offset },
                                  text: n.text, tokenStart: n.tokenStart, tokenEnd: n.tokenEnd, prior: n.prior,
                                  visits: n.visits, value: q(i), terminal: n.terminal, answer: n.answer)
        }
    }

    // MARK: Fill mode

    /// Whether any live node at or below `i` can still be expanded (fill mode stops a move's
    /// simulations once none can: further simulations would only revisit finished paths).
    func canGrow(below i: Int) -> Bool {
        var stack = [i]
        while let n = stack.popLast() {
            if nodes[n].sequence != nil, needsExpansion(n) { return true }
            stack += nodes[n].children
        }
        return false
    }

    /// Actions from the original root (node 0) to `i`.
    func depth(of i: Int) -> Int {
        var d = 0, current = nodes[i].parent
        while let c = current {
            d += 1
            current = nodes[c].parent
        }
        return d
    }

    /// Detaches every live sequence (the tree's statistics stay readable) and hands them back
    /// for release: fill mode calls this on a tree it is done with before starting the next.
    func detachAll() -> [SequenceID] {
        var freed: [SequenceID] = []
        for i in nodes.indices {
            if let s = nodes[i].sequence { freed.append(s) }
            nodes[i].sequence = nil
        }
        return freed
    }
}
