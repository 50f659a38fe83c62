import XCTest
import PonderModel
@testable import PonderSearch

/// Fill mode: with a finite budget every built-in strategy that can use more compute spends
/// the budget (within one completion's worth), so spend grows with the cap; `fill: false`
/// and unlimited budgets keep the fixed-size searches; fill searches replay exactly.
final class BudgetFillTests: XCTestCase {
    /// Strategies in fill mode (the registry default), small settings. Rejection's threshold
    /// of 1 is never reached (values are below 1), so it draws until the budget ends.
    static let fillStrategies: [(String, [String: ParameterValue])] = [
        ("best-of-n", ["n": .int(4)]),
        ("best-of-n", ["n": .int(4), "selection": .string("max-value"), "batch": .int(3)]),
        ("rejection", ["max_samples": .int(2), "threshold": .double(1)]),
        ("beam", ["beam_width": .int(2), "expansions": .int(2)]),
        ("beam", ["beam_width": .int(2), "expansions": .int(2), "diverse": .bool(true)]),
        ("mcts-step", ["simulations": .int(4), "width": .int(3), "batch": .int(2)]),
        ("mcts-step", ["simulations": .int(4), "width": .int(3), "root": .string("gumbel")]),
        ("mcts-token", ["simulations": .int(3), "width": .int(2)]),
    ]

    func testEveryFillStrategySpendsItsCapWithinOneCompletionAndSpendGrowsWithIt() throws {
        let toy = try Fixture.toy(problems: 4)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        let caps: [[Budget]] = [[.flops(3 * one), .flops(6 * one), .flops(12 * one)],
                                [.tokens(40), .tokens(80), .tokens(160)]]
        for (name, parameters) in Self.fillStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            for series in caps {
                var means: [Double] = []
                for budget in series {
                    var total = 0.0
                    for k in 0..<4 {
                        let context = try Fixture.context(toy, k, budget: budget)
                        let result = try strategy.search(toy.problems[k], in: context)
                        let used = budget.used(result.ledger)
                        // One completion at the length cap from the prompt, plus one batched step.
                        let slack = BudgetFill.completionCost(tokens: context.policy.stopConditions.maxNewTokens,
                                                              startLength: toy.policy.promptLength, in: context)
                            + result.budget.largestStep
                        let label = "\(name) \(parameters) under \(budget), problem \(k)"
                        XCTAssertGreaterThanOrEqual(used, budget.limit - slack, label)
                        XCTAssertLessThanOrEqual(used, budget.limit + result.budget.largestStep, label)
                        XCTAssertEqual(result.ledger.prefillTokens, toy.policy.promptLength, "\(label): one prefill")
                        total += used
                    }
                    means.append(total / 4)
                }
                for (a, b) in zip(means, means.dropFirst()) {
                    XCTAssertGreaterThan(b, a, "\(name) \(parameters): mean spend must grow with the cap: \(means)")
                }
            }
        }
    }

    func testFillRestartsForkThePromptAndPoolCandidates() throws {
        let toy = try Fixture.toy(problems: 3)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        for k in 0..<3 {
            let beam = try BeamSearch(width: 2, expansions: 2)
                .search(toy.problems[k], in: Fixture.context(toy, k, budget: .flops(20 * one)))
            XCTAssertGreaterThan(beam.statistics["searches"] ?? 0, 1, "beam ran further searches")
            XCTAssertGreaterThan(beam.statistics["widest"] ?? 0, 2, "a wider search sized from the observed cost")
            XCTAssertEqual(beam.ledger.prefillTokens, toy.policy.promptLength)
            var config = MCTSConfiguration()
            config.width = 3
            let mcts = try MCTSStep(configuration: config)
                .search(toy.problems[k], in: Fixture.context(toy, k, budget: .flops(20 * one)))
            XCTAssertGreaterThan(mcts.statistics["trees"] ?? 0, 1, "small trees are restarted")
            XCTAssertEqual(mcts.ledger.prefillTokens, toy.policy.promptLength, "restarts fork the prompt")
            guard let tree = mcts.tree else { return XCTFail("no tree") }
            // Every tree is exported: one parentless root per tree, every terminal a candidate.
            XCTAssertEqual(tree.nodes.filter { $0.parent == nil }.count, Int(mcts.statistics["trees"] ?? 0))
            XCTAssertEqual(tree.nodes.filter(\.terminal).count, mcts.candidates.count)
            if let chosen = mcts.chosen {
                XCTAssertEqual(tree.text(to: tree.nodes.filter(\.terminal)[chosen].id), mcts.completion)
            }
        }
    }

    func testUnlimitedBudgetFallsBackToTheFixedSizeSearch() throws {
        let toy = try Fixture.toy(problems: 2)
        for (name, parameters) in Self.fillStrategies {
            var off = parameters
            off["fill"] = .bool(false)
            let on = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            let fixed = try StrategyRegistry.builtIn.make(name, parameters: off)
            for k in 0..<2 {
                let a = try on.search(toy.problems[k], in: Fixture.context(toy, k))
                let b = try fixed.search(toy.problems[k], in: Fixture.context(toy, k))
                XCTAssertEqual(try Fixture.replayBytes(a), try Fixture.replayBytes(b), "\(name) \(parameters), problem \(k)")
            }
        }
    }

    func testFillSearchesReplayByteForByte() throws {
        let toy = try Fixture.toy(problems: 2)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        for (name, parameters) in Self.fillStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            for k in 0..<2 {
                for budget in [Budget.flops(7 * one), .tokens(90)] {
                    let a = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, budget: budget, seed: 5))
                    let b = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, budget: budget, seed: 5))
                    XCTAssertEqual(try Fixture.replayBytes(a), try Fixture.replayBytes(b), "\(name) \(parameters) under \(budget), problem \(k)")
                }
            }
        }
    }

    func testAllotmentAndMovesLeft() {
        XCTAssertEqual(BudgetFill.allotment(remaining: 100, movesLeft: 4), 25)
        XCTAssertEqual(BudgetFill.allotment(remaining: 100, movesLeft: 1), 100, "the last move gets everything")
        XCTAssertEqual(BudgetFill.allotment(remaining: 0, movesLeft: 3), 0)
        // Before any terminal: the length cap over the mean action length.
        XCTAssertEqual(BudgetFill.movesLeft(committed: 0, terminalDepths: [], meanActionTokens: 4, maxNewTokens: 64), 16)
        // Afterwards: the mean terminal depth minus the moves made, at least one.
        XCTAssertEqual(BudgetFill.movesLeft(committed: 1, terminalDepths: [4, 4, 5], meanActionTokens: 3, maxNewTokens: 64), 3)
        XCTAssertEqual(BudgetFill.movesLeft(committed: 6, terminalDepths: [4], meanActionTokens: 3, maxNewTokens: 64), 1)
        XCTAssertFalse(BudgetFill.isActive(true, .unlimited))
        XCTAssertFalse(BudgetFill.isActive(false, .tokens(10)))
        XCTAssertTrue(BudgetFill.isActive(true, .tokens(10)))
    }
}
