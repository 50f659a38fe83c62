import XCTest
import PonderModel
@testable import PonderSearch

/// The oracle value source: checker rewards of charged rollouts, a positive control that is
/// refused in verifier-hidden mode and beats a noisy head at matched compute.
final class OracleValueTests: XCTestCase {
    /// Every value-reading strategy, set to read oracle values.
    static let oracleStrategies: [(String, [String: ParameterValue])] = [
        ("best-of-n", ["n": .int(4), "selection": .string("max-value"), "value": .string("oracle")]),
        ("best-of-n", ["n": .int(4), "selection": .string("weighted-vote"), "value": .string("oracle")]),
        ("rejection", ["max_samples": .int(4), "value": .string("oracle")]),
        ("beam", ["beam_width": .int(2), "expansions": .int(2), "value": .string("oracle"), "oracle_rollouts": .int(2)]),
        ("mcts-step", ["simulations": .int(4), "width": .int(3), "value": .string("oracle")]),
        ("mcts-token", ["simulations": .int(2), "width": .int(2), "value": .string("oracle")]),
    ]

    func testOracleValuesChargeEveryRolloutAndEveryCheck() throws {
        let toy = try Fixture.toy(problems: 2)
        let checker = CountingChecker(correct: toy.correctAnswers[0])
        let context = try Fixture.context(toy, 0, value: nil, mode: .verifierCharged, checker: checker)
        context.valueSource = .oracle(rollouts: 5)
        let root = try context.policy.start(prompt: toy.problems[0].prompt)
        let values = try context.values([root], for: "test")
        // Five rollouts to the end, each charged as generation and checked once.
        XCTAssertEqual(checker.calls, 5)
        XCTAssertEqual(context.ledger.verifierCalls, 5)
        XCTAssertEqual(context.ledger.samples, 5)
        XCTAssertGreaterThan(context.ledger.generatedTokens, 5)
        XCTAssertEqual(context.ledger.valueCalls, 0, "no value head is read")
        XCTAssertEqual(values[0] * 5, (values[0] * 5).rounded(), accuracy: 1e-9, "a mean of five 0/1 rewards")
        XCTAssertEqual(context.policy.liveSequences, 1, "rollouts are released")
        // A finished sequence's oracle value is its own check: one call, no generation.
        let lanes = try context.generate([GenerationRequest(root)], until: .completion)
        guard let done = lanes.first?.sequence else { return XCTFail("no sample") }
        let tokens = context.ledger.generatedTokens
        let own = try context.values([done], for: "test")
        XCTAssertEqual(checker.calls, 6)
        XCTAssertEqual(context.ledger.generatedTokens, tokens)
        let correct = context.answer(in: try context.policy.completion(of: done)) == toy.correctAnswers[0]
        XCTAssertEqual(own, [correct ? 1 : 0])
    }

    func testEveryValueReadingStrategyChargesOracleCallsAndNeedsNoHead() throws {
        let toy = try Fixture.toy(problems: 2)
        for (name, parameters) in Self.oracleStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            for k in 0..<2 {
                let checker = CountingChecker(correct: toy.correctAnswers[k])
                let context = try Fixture.context(toy, k, value: nil, mode: .verifierCharged, checker: checker)
                let result = try strategy.search(toy.problems[k], in: context)
                XCTAssertGreaterThan(checker.calls, 0, "\(name) \(parameters)")
                XCTAssertEqual(result.ledger.verifierCalls, checker.calls, "\(name) \(parameters)")
                XCTAssertEqual(result.ledger.valueCalls, 0, "\(name) \(parameters)")
            }
        }
    }

    func testOracleIsRefusedInVerifierHiddenModeAndWithoutAChecker() throws {
        let toy = try Fixture.toy(problems: 1)
        for (name, parameters) in Self.oracleStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            let checker = CountingChecker(correct: toy.correctAnswers[0])
            let hidden = try Fixture.context(toy, 0, checker: checker)
            XCTAssertThrowsError(try strategy.search(toy.problems[0], in: hidden)) { error in
                guard case SearchError.verifierHidden(let s, let use) = error else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(s, name)
                XCTAssertTrue(use.contains("oracle"), use)
            }
            XCTAssertEqual(checker.calls, 0, "\(name) reached the checker in verifier-hidden mode")
            XCTAssertEqual(hidden.ledger.generatedTokens, 0, "\(name) spent before refusing")
            let charged = try SearchContext(policy: toy.policy, mode: .verifierCharged,
                                            task: TaskHooks(answerExtractor: TabularToy.extractor))
            XCTAssertThrowsError(try strategy.search(toy.problems[0], in: charged)) { error in
                XCTAssertEqual(error as? SearchError, .noChecker(strategy: name))
            }
        }
        // Directly, too: the context never reaches the checker in verifier-hidden mode.
        let checker = CountingChecker(correct: toy.correctAnswers[0])
        let context = try Fixture.context(toy, 0, checker: checker)
        context.valueSource = .oracle(rollouts: 2)
        let root = try context.policy.start(prompt: toy.problems[0].prompt)
        XCTAssertThrowsError(try context.values([root], for: "test")) { error in
            guard case SearchError.verifierHidden = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(checker.calls, 0)
        XCTAssertEqual(context.ledger.generatedTokens, 0)
    }

    func testOracleValueBeatsTheNoisyHeadAtMatchedCompute() throws {
        let toy = try Fixture.toy(problems: 16)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        let budget = Budget.flops(6 * one)
        let rows: [(String, [String: ParameterValue])] = [
            ("beam", ["beam_width": .int(2), "expansions": .int(3)]),
            ("mcts-step", ["width": .int(3)]),
        ]
        for (name, parameters) in rows {
            var accuracy: [String: Double] = [:]
            for source in ["head", "oracle"] {
                var given = parameters
                given["value"] = .string(source)
                let strategy = try StrategyRegistry.builtIn.make(name, parameters: given)
                var correct = 0, runs = 0
                for k in 0..<16 {
                    for seed in UInt64(1)...2 {
                        let context = try Fixture.context(toy, k, budget: budget, seed: seed,
                                                          value: TabularPolicy.noisyValueHead(), mode: .verifierCharged,
                                                          checker: CountingChecker(correct: toy.correctAnswers[k]))
                        if Fixture.correct(try strategy.search(toy.problems[k], in: context), toy, k) { correct += 1 }
                        runs += 1
                    }
                }
                accuracy[source] = Double(correct) / Double(runs)
            }
            print("oracle vs noisy head, \(name) at 6 samples' FLOPs: \(accuracy)")
            XCTAssertGreaterThan(accuracy["oracle"] ?? 0, accuracy["head"] ?? 1,
                                        "\(name): the oracle is a positive control: \(accuracy)")
        }
    }
}
