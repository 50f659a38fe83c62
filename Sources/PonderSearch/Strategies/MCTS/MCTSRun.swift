import Foundation
import PonderModel

/// A child an expansion proposes: its own forked sequence and the action that led to it.
struct ChildProposal {
    var sequence: SequenceID
    var tokens: [Int]
    var text: String
    var logprob: Double
    /// Unnormalized prior; the tree normalizes over siblings.
    var priorWeight: Double
    var end: LaneEnd
}

/// The one part that differs between step- and token-level MCTS: how a leaf's children are
/// created. Everything else (selection, virtual loss, evaluation, backup, commits, the root
/// rule, the final answer, export) is shared in `MCTSRun`.
protocol MCTSExpander {
    /// New children for each leaf (`count` wanted per leaf), created in one batched step. An
    /// empty list means nothing new could be proposed, or the budget ended.
    func expand(_ leaves: [(node: Int, count: Int)], in tree: MCTSTree,
                context: SearchContext) throws -> [[ChildProposal]]
}

/// One MCTS search: simulations in batches with virtual loss, leaf evaluation, backup of
/// mean value, committing actions with subtree reuse, and the final-answer rule.
final class MCTSRun {
    let strategy: String
    let config: MCTSConfiguration
    let expander: any MCTSExpander
    let context: SearchContext
    let problem: SearchProblem
    /// The tree being searched (under fill, the latest of several).
    var tree: MCTSTree
    /// Trees finished before `tree` (fill mode's restarts), oldest first.
    var finishedTrees: [MCTSTree] = []
    /// Whether this run treats its budget as a target (`MCTSConfiguration.fill`).
    let filling: Bool
    var simulations = 0
    private(set) var collisions = 0
    private(set) var expansions = 0
    var moves = 0

    init(strategy: String, config: MCTSConfiguration, expander: any MCTSExpander,
         problem: SearchProblem, context: SearchContext) throws {
        context.valueSource = config.valueSource
        let needsValue = config.leaf != .rollout || config.terminalReward == .value
        if needsValue {
            try context.requireValueFunction(for: strategy, reason: "leaf = \(config.leaf.rawValue), terminal = \(config.terminalReward.rawValue)")
        }
        if config.terminalReward == .checker { try context.requireChecker(for: strategy, use: "terminal = checker") }
        if config.root == .gumbel, config.dirichletWeight > 0 {
            throw SearchError.invalidConfiguration(strategy: strategy, message:
                "Dirichlet noise applies to root = visits only; with root = gumbel set dirichlet_weight to 0")
        }
        self.strategy = strategy
        self.config = config
        self.expander = expander
        self.context = context
        self.problem = problem
        filling = BudgetFill.isActive(config.fill, context.budget)
        tree = MCTSTree(rootSequence: try context.policy.start(prompt: problem.prompt), config: config)
    }

    /// Searches, committing one action per move, until a terminal root, the budget, or the
    /// length cap; then applies the final-answer rule.
    func search() throws -> SearchResult {
        if filling { return try fillSearch() }
        let maxMoves = context.policy.stopConditions.maxNewTokens + 1
        while !tree[tree.root].terminal, moves < maxMoves, !context.isExhausted {
            let choice: Int?
            switch config.root {
            case .visits:
                try runSimulations(forced: [Int?](repeating: nil, count: config.simulations))
                choice = tree.mostVisitedChild(of: tree.root)
            case .gumbel:
                choice = try gumbelMove { self.config.simulations }
            }
            // A move the budget cut short is not committed; the final rule reads the tree as is.
            if context.isExhausted { break }
            guard let next = choice else { break }
            for s in tree.commit(to: next) { context.policy.release(s) }
            tree.refreshRootNoise(using: &context.searchRNG)
            moves += 1
        }
        return result()
    }

    /// Runs simulations in batches of `config.batch`; `forced[i]` pins simulation i's root child.
    func runSimulations(forced: [Int?]) throws {
        var done = 0
        while done < forced.count, !context.isExhausted {
            let slots = min(max(1, config.batch), forced.count - done)
            let before = expansions
            try runBatch(forced: Array(forced[done..<(done + slots)]))
            done += slots
            // Under fill the count comes from the budget; once nothing below the root can grow,
            // the rest would only revisit finished paths at no cost.
            if filling, expansions == before, !tree.canGrow(below: tree.root) { break }
        }
    }

    /// Selects up to `forced.count` leaves with virtual loss, expands them in one batched
    /// step, evaluates every new child in one batch, and backs the values up.
    func runBatch(forced: [Int?]) throws {
        var leaves: [(node: Int, path: [Int])] = []
        var claimed = Set<Int>()
        for f in forced {
            simulations += 1
            let path = tree.selectPath(forced: f)
            guard let leaf = path.last else { continue }
            if tree[leaf].terminal || !tree.needsExpansion(leaf) {
                // A finished (or dead-end) node: re-back-up its own evaluation; costs nothing.
                if let v = tree[leaf].evaluation { tree.backup(path, visits: 1, valueSum: v) }
                continue
            }
            if !claimed.insert(leaf).inserted {
                collisions += 1
                continue
            }
            tree.addPending(path)
            leaves.append((leaf, path))
        }
        guard !leaves.isEmpty else { return }
        let proposals = try expander.expand(leaves.map { ($0.node, tree.expansionCount($0.node)) },
                                            in: tree, context: context)
        var created: [[Int]] = []
        for (k, leaf) in leaves.enumerated() {
            var ids: [Int] = []
            for p in k < proposals.count ? proposals[k] : [] {
                let id = tree.addChild(of: leaf.node, sequence: p.sequence, tokens: p.tokens, text: p.text,
                                       logprob: p.logprob, priorWeight: p.priorWeight, end: p.end, answer: nil)
                if p.end.isTerminal { tree.setAnswer(id, context.answer(in: tree.completion(of: id).text)) }
                ids.append(id)
            }
            if !ids.isEmpty {
                tree.markExpanded(leaf.node)
                expansions += 1
            } else if !context.isExhausted {
                tree.markExpanded(leaf.node)
                tree.markSaturated(leaf.node)
            }
            created.append(ids)
        }
        let values = try evaluate(created.flatMap { $0 })
        for (k, leaf) in leaves.enumerated() {
            tree.removePending(leaf.path)
            var n = 0, sum = 0.0
            for id in created[k] {
                guard let v = values[id] else { continue }
                tree.setEvaluation(id, v)
                n += 1
                sum += v
            }
            if n > 0 { tree.backup(leaf.path, visits: n, valueSum: sum) }
        }
        if leaves.contains(where: { $0.node == tree.root }) { tree.refreshRootNoise(using: &context.searchRNG) }
    }

    /// Values of new nodes: the checker for terminals (when charged), rollouts for `rollout`
    /// and `mix`, and one value-head batch for everything else.
    private func evaluate(_ ids: [Int]) throws -> [Int: Double] {
        var result: [Int: Double] = [:]
        if config.terminalReward == .checker {
            for id in ids where tree[id].terminal {
                result[id] = try context.check(completion: tree.completion(of: id).text, for: strategy) ? 1 : 0
            }
        }
        let open = ids.filter { result[$0] == nil }
        var rollouts: [(node: Int, lane: LaneOutcome)] = []
        var reward: [Int: Double] = [:]
        if config.leaf != .value {
            let targets = open.filter { !tree[$0].terminal && tree[$0].sequence != nil }
            if !targets.isEmpty, !context.isExhausted {
                let requests = targets.compactMap { tree[$0].sequence.map { GenerationRequest($0) } }
                let lanes = try context.generate(requests, until: .completion)
                for lane in lanes where lane.sequence != nil && lane.end.isTerminal {
                    rollouts.append((targets[lane.request], lane))
                }
                if config.terminalReward == .checker {
                    for r in rollouts {
                        reward[r.node] = try context.check(completion: context.candidate(from: r.lane).text,
                                                           for: strategy) ? 1 : 0
                    }
                }
            }
        }
        var sequences: [SequenceID] = [], owners: [(node: Int, rollout: Bool)] = []
        for id in open {
            let wantsOwn = tree[id].terminal ? config.terminalReward == .value : config.leaf != .rollout
            if wantsOwn, let s = tree[id].sequence { sequences.append(s); owners.append((id, false)) }
        }
        if config.terminalReward == .value {
            for r in rollouts { if let s = r.lane.sequence { sequences.append(s); owners.append((r.node, true)) } }
        }
        let values = sequences.isEmpty ? [] : try context.values(sequences, for: strategy)
        var own: [Int: Double] = [:]
        for (owner, v) in zip(owners, values) {
            if owner.rollout { reward[owner.node] = v } else { own[owner.node] = v }
        }
        for r in rollouts { if let s = r.lane.sequence { context.policy.release(s) } }
        for id in open {
            if tree[id].terminal { result[id] = own[id]; continue }
            switch config.leaf {
            case .value: result[id] = own[id]
            case .rollout: result[id] = reward[id]
            case .mix:
                if let v = own[id] { result[id] = reward[id].map { (1 - config.lambda) * v + config.lambda * $0 } ?? v }
            }
        }
        return result
    }
}
