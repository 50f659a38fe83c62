import XCTest
import PonderModel
@testable import PonderSearch

/// Majority vote, weighted vote, max value, the checker rule, and rejection sampling behave as
/// documented.
final class SelectionTests: XCTestCase {
    private func c(_ answer: String?, _ value: Double? = nil, end: LaneEnd = .eos,
                   verified: Bool? = nil) -> ScoredCandidate {
        ScoredCandidate(text: "Answer: \(answer ?? "-")", answer: answer, tokens: 3, logprob: -1, end: end,
                        value: value, verified: verified)
    }

    func testMajorityCountsVotesThenValueThenFirstSeen() {
        XCTAssertEqual(Voting.select([c("1"), c("2"), c("2"), c("3")], by: .majority), 1)
        // A tie on votes goes to the larger value sum; the representative is the best-valued one.
        XCTAssertEqual(Voting.select([c("1", 0.2), c("2", 0.1), c("1", 0.3), c("2", 0.9)], by: .majority), 3)
        // A full tie goes to the answer seen first.
        XCTAssertEqual(Voting.select([c("4"), c("5"), c("5"), c("4")], by: .majority), 0)
        // Unfinished candidates and candidates without an answer do not vote.
        XCTAssertEqual(Voting.select([c("1", end: .budget), c("1", end: .budget), c("2"), c(nil), c(nil)],
                                     by: .majority), 2)
        XCTAssertNil(Voting.select([c("1", end: .budget)], by: .majority))
    }

    func testWeightedVoteFollowsValueMassAgainstMoreVotes() {
        let pool = [c("1", 0.1), c("1", 0.1), c("1", 0.1), c("2", 0.8)]
        XCTAssertEqual(Voting.select(pool, by: .majority), 0)
        XCTAssertEqual(Voting.select(pool, by: .weightedVote), 3)
        let tallies = Voting.tally(pool)
        XCTAssertEqual(tallies.map(\.answer), ["1", "2"])
        XCTAssertEqual(tallies[0].count, 3)
        XCTAssertEqual(tallies[0].valueSum, 0.3, accuracy: 1e-12)
    }

    func testMaxValueAndCheckerRules() {
        let pool = [c("1", 0.4), c("2", 0.95, end: .budget), c("3", 0.7), c("3", 0.2, verified: true)]
        XCTAssertEqual(Voting.select(pool, by: .maxValue), 2, "an unfinished candidate never wins")
        XCTAssertEqual(Voting.select(pool, by: .checker), 3)
        XCTAssertEqual(Voting.select([c("1"), c("2"), c("2")], by: .checker), 1, "no verified one: majority")
    }

    func testMajorityVoteFindsTheAnswerThatGreedyDecodingMisses() throws {
        let policy = try Fixture.handBuilt()
        let problem = SearchProblem(id: "vote", prompt: "vote")
        let greedy = try Greedy().search(problem, in: SearchContext(policy: policy, task: Fixture.handHooks()))
        XCTAssertEqual(greedy.answer, "9", "the single most likely path ends in 9")
        for seed in UInt64(1)...3 {
            let context = try SearchContext(policy: policy, seed: seed, task: Fixture.handHooks())
            let result = try BestOfN(n: 300, selection: .majority).search(problem, in: context)
            XCTAssertEqual(result.answer, "7", "7 has half the probability mass, spread over two paths")
            let share = Double(result.candidates.filter { $0.answer == "7" }.count) / 300
            XCTAssertEqual(share, 0.5, accuracy: 0.1)
        }
    }

    func testValueSelectionWithAPerfectHeadIsRightWheneverAnySampleIs() throws {
        let toy = try Fixture.toy(problems: 8)
        for k in 0..<8 {
            for rule in [AnswerSelection.weightedVote, .maxValue] {
                let result = try BestOfN(n: 6, selection: rule).search(toy.problems[k], in: Fixture.context(toy, k))
                let anyCorrect = result.candidates.contains { $0.answer == toy.correctAnswers[k] }
                XCTAssertEqual(Fixture.correct(result, toy, k), anyCorrect, "\(rule) on problem \(k)")
                // A perfect head scores finished completions 0 or 1 (up to the logit clamp).
                for cand in result.candidates {
                    XCTAssertEqual(cand.value ?? -1, cand.answer == toy.correctAnswers[k] ? 1 : 0, accuracy: 1e-3)
                }
            }
        }
    }

    func testRejectionAcceptanceRateMatchesTheExactSuccessProbability() throws {
        let toy = try Fixture.toy(problems: 3)
        for k in 0..<3 {
            let strategy = Rejection(maxSamples: 400, threshold: 0.5, batch: 50, acceptedTarget: 400)
            let result = try strategy.search(toy.problems[k], in: Fixture.context(toy, k))
            let exact = toy.policy.successProbability(problem: k, node: TabularTree.root)
            let rate = result.statistics["acceptance_rate"] ?? -1
            // 400 draws: the standard error is at most 0.025.
            XCTAssertEqual(rate, exact, accuracy: 0.1, "problem \(k)")
            XCTAssertEqual(result.statistics["judged"], 400)
            let correct = Double(result.candidates.filter { $0.answer == toy.correctAnswers[k] }.count)
            XCTAssertEqual(result.statistics["accepted"], correct, "a perfect head accepts exactly the correct ones")
        }
    }

    func testRejectionStopsAtTheFirstAcceptanceAndChoosesIt() throws {
        let toy = try Fixture.toy(problems: 6)
        for k in 0..<6 {
            let result = try Rejection(maxSamples: 50).search(toy.problems[k], in: Fixture.context(toy, k))
            guard let chosen = result.chosen else { return XCTFail("nothing chosen") }
            if result.statistics["accepted"] == 1 {
                XCTAssertEqual(chosen, result.candidates.count - 1)
                XCTAssertTrue(Fixture.correct(result, toy, k))
                XCTAssertEqual(result.candidates.dropLast().filter { $0.score == 1 }.count, 0)
                XCTAssertEqual(result.statistics["acceptance_rate"] ?? 0, 1 / Double(result.candidates.count), accuracy: 1e-12)
            } else {
                XCTAssertEqual(result.candidates.count, 50)
            }
        }
    }
}
