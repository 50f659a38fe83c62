import XCTest
import PonderModel
@testable import PonderSearch

/// Budgets are caps: every strategy stops cleanly, never overshooting by more than one batched
/// step, and with a budget of one sample every sampling strategy is exactly `sample`.
final class BudgetTests: XCTestCase {
    func testFlopTokenAndSampleCapsAreRespectedByEveryStrategy() throws {
        let toy = try Fixture.toy(problems: 4)
        let oneSample = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        let budgets: [Budget] = [.flops(0.5 * oneSample), .flops(2.5 * oneSample), .tokens(7), .tokens(40),
                                 .samples(1), .samples(3)]
        for (name, parameters) in smallStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            for budget in budgets {
                var cutSomewhere = false
                for k in 0..<4 {
                    let result = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, budget: budget))
                    let used = budget.used(result.ledger)
                    let label = "\(name) \(parameters) under \(budget) on problem \(k)"
                    XCTAssertEqual(result.budget.used, used, label)
                    switch budget.unit {
                    case .flops:
                        // Only one batched step (a value-head batch) may cross a FLOP cap.
                        XCTAssertLessThanOrEqual(used, budget.limit + result.budget.largestStep, label)
                        XCTAssertLessThan(result.budget.largestStep, oneSample, label)
                    case .tokens, .samples:
                        XCTAssertLessThanOrEqual(used, budget.limit, label)
                    }
                    cutSomewhere = cutSomewhere || result.budget.exhausted
                    // Every finished sequence is a sample; MCTS rollouts finish sequences that are not candidates.
                    let finished = result.candidates.filter(\.isFinished).count
                    if result.tree == nil {
                        XCTAssertEqual(result.ledger.samples, finished, label)
                    } else {
                        XCTAssertGreaterThanOrEqual(result.ledger.samples, finished, label)
                    }
                }
                // Below the cost of one sample every strategy must have been cut.
                if budget == .flops(0.5 * oneSample) || budget == .tokens(7) {
                    XCTAssertTrue(cutSomewhere, "\(name) under \(budget) should have hit the cap")
                }
            }
        }
    }

    func testWithBudgetForOneSampleEverySamplingStrategyEqualsSampling() throws {
        let toy = try Fixture.toy(problems: 5)
        let sampling: [(String, [String: ParameterValue])] = [
            ("best-of-n", ["n": .int(8)]),
            ("best-of-n", ["n": .int(8), "selection": .string("max-value"), "batch": .int(3)]),
            ("rejection", ["max_samples": .int(8), "threshold": .double(0.99)]),
            ("beam", ["beam_width": .int(3), "expansions": .int(2)]),
            ("beam", ["beam_width": .int(3), "expansions": .int(2), "diverse": .bool(true)]),
            ("mcts-step", ["simulations": .int(5), "width": .int(3), "batch": .int(2)]),
            ("mcts-step", ["simulations": .int(5), "width": .int(3), "root": .string("gumbel")]),
            ("mcts-step", ["simulations": .int(5), "width": .int(3), "dirichlet_weight": .double(0.25)]),
        ]
        for k in 0..<5 {
            for seed in UInt64(1)...3 {
                let reference = try Sample().search(toy.problems[k], in: Fixture.context(toy, k, seed: seed))
                XCTAssertNotNil(reference.completion)
                for (name, parameters) in sampling {
                    let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
                    let context = try Fixture.context(toy, k, budget: .samples(1), seed: seed)
                    let result = try strategy.search(toy.problems[k], in: context)
                    XCTAssertEqual(result.completion, reference.completion, "\(name) \(parameters), problem \(k), seed \(seed)")
                    XCTAssertEqual(result.ledger.samples, 1)
                    XCTAssertEqual(result.ledger.generatedTokens, reference.ledger.generatedTokens)
                }
            }
        }
    }

    func testAStrategyThatAsksForMoreAfterTheCapIsRefusedWithAClearError() throws {
        let toy = try Fixture.toy(problems: 1)
        let context = try Fixture.context(toy, 0, budget: .flops(1))
        let root = try context.policy.start(prompt: toy.problems[0].prompt)
        // The prompt's prefill alone crosses a 1-FLOP cap: generate refuses to start it...
        let lanes = try context.generate([GenerationRequest(root, lanes: 2)], until: .completion)
        XCTAssertEqual(lanes.map(\.end), [.budget, .budget])
        XCTAssertTrue(context.isExhausted)
        XCTAssertEqual(context.ledger.forwardBatches, 0)
        // ...a value call may run once (one step past the cap), and then nothing more may.
        _ = try context.values([root], for: "test")
        XCTAssertGreaterThan(context.ledger.flops, 1)
        XCTAssertThrowsError(try context.values([root], for: "test")) { error in
            guard case SearchError.budgetExhausted = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("isExhausted"))
        }
    }

    func testWavePlannerSpendsABindingBudgetOnFinishedSamples() throws {
        let toy = try Fixture.toy(problems: 3)
        let oneSample = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        for k in 0..<3 {
            // Budget for about 3.5 samples: all 64 lanes at once would all be cut.
            let context = try Fixture.context(toy, k, budget: .flops(1.6 * oneSample))
            let result = try BestOfN(n: 64, selection: .majority).search(toy.problems[k], in: context)
            XCTAssertGreaterThanOrEqual(result.candidates.filter(\.isFinished).count, 2)
            XCTAssertTrue(result.budget.exhausted)
            XCTAssertNotNil(result.answer)
        }
    }
}
