import XCTest
import PonderModel
@testable import PonderSearch

/// The same seed replays a search exactly; verifier-hidden mode never consults the checker;
/// verifier-charged mode charges every call.
final class ReplayAndModeTests: XCTestCase {
    func testTheSameSeedGivesIdenticalResultsAndAnotherSeedDoesNot() throws {
        let toy = try Fixture.toy(problems: 3)
        for (name, parameters) in smallStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            var differs = false
            for k in 0..<3 {
                let a = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, seed: 11))
                let b = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, seed: 11))
                XCTAssertEqual(try Fixture.replayBytes(a), try Fixture.replayBytes(b), "\(name) \(parameters) replay, problem \(k)")
                let c = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, seed: 12))
                if try Fixture.replayBytes(a) != Fixture.replayBytes(c) { differs = true }
            }
            // Greedy and token-level MCTS without root noise (top-k expansion) draw nothing at random.
            if name != "greedy" && name != "mcts-token" {
                XCTAssertTrue(differs, "\(name) \(parameters) ignores its seed")
            }
        }
    }

    func testVerifierHiddenModeNeverCallsTheChecker() throws {
        let toy = try Fixture.toy(problems: 3)
        for (name, parameters) in smallStrategies {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            for k in 0..<3 {
                let checker = CountingChecker(correct: toy.correctAnswers[k])
                let result = try strategy.search(toy.problems[k], in: Fixture.context(toy, k, checker: checker))
                XCTAssertEqual(checker.calls, 0, "\(name) \(parameters) called the checker in verifier-hidden mode")
                XCTAssertEqual(result.ledger.verifierCalls, 0)
            }
        }
    }

    func testCheckerRulesAreRefusedInVerifierHiddenMode() throws {
        let toy = try Fixture.toy(problems: 1)
        let checker = CountingChecker(correct: toy.correctAnswers[0])
        let hidden = try Fixture.context(toy, 0, checker: checker)
        for (name, parameters) in [("best-of-n", ["selection": ParameterValue.string("checker")]),
                                   ("rejection", ["accept": .string("checker")]),
                                   ("mcts-step", ["terminal": .string("checker")])] {
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: parameters)
            XCTAssertThrowsError(try strategy.search(toy.problems[0], in: hidden)) { error in
                guard case SearchError.verifierHidden(let s, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(s, name)
                XCTAssertTrue("\(error)".contains("verifier-charged"))
            }
        }
        XCTAssertThrowsError(try hidden.check(completion: "Answer: 1", for: "custom"))
        XCTAssertEqual(checker.calls, 0)
    }

    func testVerifierChargedModeChargesEveryCheckerCall() throws {
        let toy = try Fixture.toy(problems: 4)
        for k in 0..<4 {
            let checker = CountingChecker(correct: toy.correctAnswers[k])
            let context = try Fixture.context(toy, k, value: nil, mode: .verifierCharged, checker: checker)
            let result = try BestOfN(n: 8, selection: .checker).search(toy.problems[k], in: context)
            XCTAssertEqual(checker.calls, 8)
            XCTAssertEqual(result.ledger.verifierCalls, 8)
            // The checker rule is pass@8: right whenever any sample is.
            XCTAssertEqual(Fixture.correct(result, toy, k), result.candidates.contains { $0.verified == true })

            let rejectionChecker = CountingChecker(correct: toy.correctAnswers[k])
            let r = try Rejection(maxSamples: 20, accept: .checker)
                .search(toy.problems[k], in: Fixture.context(toy, k, value: nil, mode: .verifierCharged, checker: rejectionChecker))
            XCTAssertEqual(rejectionChecker.calls, r.candidates.count)
            XCTAssertEqual(r.ledger.verifierCalls, r.candidates.count)
        }
    }

    func testVerifierChargedModeWithoutACheckerIsAClearError() throws {
        let toy = try Fixture.toy(problems: 1)
        let context = try SearchContext(policy: toy.policy, mode: .verifierCharged,
                                        task: TaskHooks(answerExtractor: TabularToy.extractor))
        XCTAssertThrowsError(try BestOfN(selection: .checker).search(toy.problems[0], in: context)) { error in
            XCTAssertEqual(error as? SearchError, .noChecker(strategy: "best-of-n"))
        }
    }
}
