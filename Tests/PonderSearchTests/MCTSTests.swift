import XCTest
import PonderModel
@testable import PonderSearch

/// Step- and token-level MCTS: finding the best answer with a perfect value function, scaling
/// with budget, virtual loss, commits with subtree reuse, root rules and tree export.
final class MCTSTests: XCTestCase {
    private func config(_ edit: (inout MCTSConfiguration) -> Void) -> MCTSConfiguration {
        var c = MCTSConfiguration()
        edit(&c)
        return c
    }

    func testPerfectValueStepMCTSFindsTheAnswerAndNeverGetsWorseWithBudget() throws {
        let toy = try Fixture.toy(problems: 10)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        for root in [RootSelection.visits, .gumbel] {
            let strategy = MCTSStep(configuration: config { $0.simulations = 1000; $0.width = 4; $0.root = root })
            var accuracies: [Double] = []
            for multiple in [2.0, 6, 18, 54] {
                var correct = 0
                for k in 0..<10 {
                    for seed in UInt64(1)...2 {
                        let context = try Fixture.context(toy, k, budget: .flops(multiple * one), seed: seed)
                        if Fixture.correct(try strategy.search(toy.problems[k], in: context), toy, k) { correct += 1 }
                    }
                }
                accuracies.append(Double(correct) / 20)
            }
            for (a, b) in zip(accuracies, accuracies.dropFirst()) {
                XCTAssertGreaterThanOrEqual(b, a, "\(root): accuracy fell as the budget grew: \(accuracies)")
            }
            XCTAssertEqual(accuracies.last, 1, "\(root): a perfect value function finds every answer: \(accuracies)")
        }
    }

    /// Root visit shares by first token (operation), averaged over seeds.
    private func rootVisitShares(_ toy: TabularToy, _ k: Int, batch: Int, seeds: ClosedRange<UInt64>) throws -> [Int: Double] {
        var shares: [Int: Double] = [:]
        for seed in seeds {
            let run = try MCTSRun(strategy: "mcts-step", config: config { $0.simulations = 48; $0.batch = batch },
                                  expander: StepExpander(), problem: toy.problems[k],
                                  context: Fixture.context(toy, k, seed: seed))
            try run.runSimulations(forced: [Int?](repeating: nil, count: 48))
            let children = run.tree[run.tree.root].children
            let total = Double(children.reduce(0) { $0 + run.tree[$1].visits })
            for c in children { shares[run.tree[c].tokens[0], default: 0] += Double(run.tree[c].visits) / total / Double(seeds.count) }
        }
        return shares
    }

    private func totalVariation(_ a: [Int: Double], _ b: [Int: Double]) -> Double {
        Set(a.keys).union(b.keys).reduce(0) { $0 + abs((a[$1] ?? 0) - (b[$1] ?? 0)) } / 2
    }

    func testBatchedSimulationsWithVirtualLossMatchSequentialVisitStatistics() throws {
        let toy = try Fixture.toy(problems: 10)
        var batched = 0.0, baseline = 0.0
        for k in 0..<10 {
            let sequential = try rootVisitShares(toy, k, batch: 1, seeds: 1...4)
            // Baseline: sequential search with other seeds (how much the statistic varies anyway).
            baseline += totalVariation(sequential, try rootVisitShares(toy, k, batch: 1, seeds: 5...8)) / 10
            batched += totalVariation(sequential, try rootVisitShares(toy, k, batch: 8, seeds: 1...4)) / 10
        }
        // The yardstick is reseeding: batching may move root visits about as much as a change
        // of seed does, not more. (A fixed threshold would depend on the toy's random draw.)
        XCTAssertLessThan(batched, 0.25, "mean total variation, batch 8 vs sequential")
        XCTAssertLessThan(batched, baseline + 0.05, "batching moves visits no more than reseeding does (baseline \(baseline))")
    }

    func testVirtualLossSpreadsABatchOverDistinctLeaves() throws {
        let toy = try Fixture.toy(problems: 8)
        var spread = 0, branching = 0
        for k in 0..<8 {
            var collisions: [Int] = [], children = 0
            for loss in [0, 3] {
                let run = try MCTSRun(strategy: "mcts-step", config: config { $0.batch = 3; $0.width = 3; $0.virtualLoss = loss },
                                      expander: StepExpander(), problem: toy.problems[k],
                                      context: Fixture.context(toy, k))
                try run.runSimulations(forced: [nil])            // expands the root
                children = run.tree[run.tree.root].children.count
                try run.runSimulations(forced: [nil, nil, nil])  // one batch of three
                collisions.append(run.collisions)
            }
            XCTAssertEqual(collisions[0], 2, "without virtual loss the whole batch piles onto one leaf")
            // A child whose prior dwarfs its siblings' can still win a second slot after a
            // virtual loss, so "one slot per leaf" is the usual outcome, not a law.
            XCTAssertGreaterThanOrEqual(collisions[1], max(0, 3 - children), "\(children) root children")
            XCTAssertLessThanOrEqual(collisions[1], collisions[0], "virtual loss never piles up more (\(children) root children)")
            // Only a root with a choice of leaves tells whether virtual loss spreads the batch.
            if children > 1 {
                branching += 1
                if collisions[1] == 3 - min(children, 3) { spread += 1 }
            }
        }
        XCTAssertGreaterThan(branching, 0)
        XCTAssertGreaterThan(Double(spread), Double(branching) / 2,
                             "virtual loss sends each slot to its own leaf on most branching roots")
    }

    func testTreeExportsToJSONAndDecodesBack() throws {
        let toy = try Fixture.toy(problems: 2)
        let result = try MCTSStep(configuration: config { $0.simulations = 8; $0.batch = 2 })
            .search(toy.problems[1], in: Fixture.context(toy, 1))
        guard let tree = result.tree, let chosen = result.chosen else { return XCTFail("no tree or no answer") }
        let data = try tree.jsonData(prettyPrinted: true)
        let decoded = try SearchTree.decode(from: data)
        XCTAssertEqual(decoded, tree)
        XCTAssertEqual(try decoded.jsonData(prettyPrinted: true), data)
        XCTAssertEqual(decoded.nodes[decoded.root].parent, nil)
        for node in decoded.nodes {
            for c in node.children {
                XCTAssertEqual(decoded.nodes[c].parent, node.id)
                XCTAssertEqual(decoded.nodes[c].tokenStart, node.tokenEnd, "spans chain along the tree")
            }
            if !node.children.isEmpty {
                XCTAssertEqual(node.children.reduce(0) { $0 + decoded.nodes[$1].prior }, 1, accuracy: 1e-9)
            }
        }
        XCTAssertFalse(decoded.committed.isEmpty)
        for (a, b) in zip(decoded.committed, decoded.committed.dropFirst()) { XCTAssertEqual(decoded.nodes[b].parent, a) }
        // The chosen completion is the text from the root to its terminal node.
        let terminals = decoded.nodes.filter(\.terminal)
        XCTAssertEqual(decoded.text(to: terminals[chosen].id), result.completion)
        XCTAssertEqual(terminals.count, result.candidates.count)
    }

    func testSubtreeReuseKeepsTheCommittedChildsSubtree() throws {
        let toy = try Fixture.toy(problems: 6)
        var expansions: [Bool: Double] = [:]
        for reuse in [true, false] {
            for k in 0..<6 {
                let result = try MCTSStep(configuration: config { $0.simulations = 12; $0.reuse = reuse })
                    .search(toy.problems[k], in: Fixture.context(toy, k))
                guard let tree = result.tree else { return XCTFail("no tree") }
                let committed = Set(tree.committed)
                // Without reuse, the committed node's old children are cut off (still exported).
                let orphans = tree.nodes.filter { n in n.parent.map { committed.contains($0) && !tree.nodes[$0].children.contains(n.id) } ?? false }
                XCTAssertEqual(orphans.isEmpty, reuse, "reuse \(reuse), problem \(k)")
                expansions[reuse, default: 0] += result.statistics["expansions"] ?? 0
            }
        }
        XCTAssertGreaterThan(expansions[false] ?? 0, expansions[true] ?? 0, "rebuilding subtrees costs more expansions")
    }

    func testTokenLevelMCTSWithAPerfectValueFindsTheAnswer() throws {
        let toy = try Fixture.toy(problems: 8)
        var correct = 0
        for k in 0..<8 {
            let result = try MCTSToken(configuration: config { $0.simulations = 6; $0.width = 3 })
                .search(toy.problems[k], in: Fixture.context(toy, k))
            if Fixture.correct(result, toy, k) { correct += 1 }
            XCTAssertEqual(result.ledger.prefillTokens, toy.policy.promptLength)
            XCTAssertGreaterThan(result.statistics["moves"] ?? 0, 5, "one committed token per move")
            // Every node is scored by the value head once, and each new token is computed once.
            XCTAssertEqual(result.ledger.valueCalls, (result.tree?.nodes.count ?? 0) - 1)
        }
        XCTAssertGreaterThanOrEqual(correct, 7)
    }

    func testFinalAnswerRules() throws {
        let toy = try Fixture.toy(problems: 8)
        for k in 0..<8 {
            for rule in FinalAnswerRule.allCases {
                let result = try MCTSStep(configuration: config { $0.simulations = 8; $0.final = rule })
                    .search(toy.problems[k], in: Fixture.context(toy, k, budget: rule == .path ? .unlimited : .samples(3)))
                guard let tree = result.tree else { return XCTFail("no tree") }
                let terminals = tree.nodes.filter(\.terminal)
                guard let chosen = result.chosen else { XCTAssertTrue(terminals.isEmpty); continue }
                switch rule {
                case .bestValue:
                    let best = terminals.compactMap(\.value).max() ?? -1
                    XCTAssertEqual(terminals[chosen].value, best)
                case .vote:
                    var weight: [String: Int] = [:]
                    for t in terminals { if let a = t.answer { weight[a, default: 0] += t.visits } }
                    XCTAssertEqual(weight[result.answer ?? ""], weight.values.max())
                case .path:
                    // Unlimited here: the search commits down to a terminal root, which is the answer.
                    XCTAssertEqual(terminals[chosen].id, tree.committed.last)
                    XCTAssertTrue(tree.nodes[tree.committed.last ?? 0].terminal)
                }
            }
        }
    }

    func testDirichletNoiseIsSeededAndChangesTheSearch() throws {
        let toy = try Fixture.toy(problems: 6)
        var changed = false
        for k in 0..<6 {
            let noisy = MCTSStep(configuration: config { $0.simulations = 16; $0.dirichletWeight = 0.5 })
            let a = try noisy.search(toy.problems[k], in: Fixture.context(toy, k))
            let b = try noisy.search(toy.problems[k], in: Fixture.context(toy, k))
            XCTAssertEqual(a.tree, b.tree, "same seed, same noise")
            let plain = try MCTSStep(configuration: config { $0.simulations = 16 }).search(toy.problems[k], in: Fixture.context(toy, k))
            if plain.tree?.nodes.map(\.visits) != a.tree?.nodes.map(\.visits) { changed = true }
        }
        XCTAssertTrue(changed, "root noise must change where simulations go")
    }

    func testConfigurationErrorsAreClear() throws {
        let toy = try Fixture.toy(problems: 1)
        XCTAssertThrowsError(try MCTSStep().search(toy.problems[0], in: Fixture.context(toy, 0, value: nil))) { error in
            guard case SearchError.noValueFunction(let strategy, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(strategy, "mcts-step")
        }
        XCTAssertThrowsError(try MCTSStep(configuration: config { $0.root = .gumbel; $0.dirichletWeight = 0.25 })
            .search(toy.problems[0], in: Fixture.context(toy, 0))) { error in
            XCTAssertTrue("\(error)".contains("dirichlet_weight"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("mcts-step", parameters: ["width": .int(6), "expansion_cap": .int(3)])) { error in
            XCTAssertTrue("\(error)".contains("expansion_cap"), "\(error)")
        }
    }

    func testRolloutLeavesScoredByTheChargedCheckerNeedNoValueHead() throws {
        let toy = try Fixture.toy(problems: 4)
        var correct = 0
        for k in 0..<4 {
            let strategy = MCTSStep(configuration: config { $0.simulations = 8; $0.leaf = .rollout; $0.terminalReward = .checker })
            let context = try Fixture.context(toy, k, value: nil, mode: .verifierCharged)
            let result = try strategy.search(toy.problems[k], in: context)
            XCTAssertEqual(result.ledger.valueCalls, 0)
            XCTAssertGreaterThan(result.ledger.verifierCalls, 0)
            XCTAssertGreaterThan(result.ledger.samples, result.candidates.count, "rollouts finish sequences too")
            if Fixture.correct(result, toy, k) { correct += 1 }
        }
        XCTAssertGreaterThanOrEqual(correct, 3)
    }

    func testWideningAddsChildrenBeyondWidthUpToTheCap() throws {
        let toy = try Fixture.toy(problems: 3)
        for k in 0..<3 {
            let result = try MCTSToken(configuration: config { $0.simulations = 40; $0.width = 1; $0.expansionCap = 3 })
                .search(toy.problems[k], in: Fixture.context(toy, k))
            guard let tree = result.tree else { return XCTFail("no tree") }
            let widest = tree.nodes.map(\.children.count).max() ?? 0
            XCTAssertGreaterThan(widest, 1, "progressive widening went past width 1")
            XCTAssertLessThanOrEqual(widest, 3, "and stopped at the cap")
        }
    }
}
