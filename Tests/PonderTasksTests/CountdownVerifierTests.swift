import XCTest
@testable import PonderTasks

/// The Countdown verifier on hand-written correct, wrong, malformed and adversarial answers.
final class CountdownVerifierTests: XCTestCase {
    private var task: CountdownTask!
    private let problem = CountdownTask.makeProblem(numbers: [3, 5, 7, 2], target: 24, split: .train, id: nil)

    override func setUpWithError() throws {
        task = try CountdownTask()
    }

    private func verdict(_ answer: String, _ p: Problem? = nil) -> Verdict {
        task.verify(answer: answer, for: p ?? problem)
    }

    private func assertInvalid(_ answer: String, mentions needle: String, _ p: Problem? = nil,
                               file: StaticString = #filePath, line: UInt = #line) {
        let v = verdict(answer, p)
        guard case .invalid(let reason) = v else {
            return XCTFail("expected invalid for '\(answer)', got \(v)", file: file, line: line)
        }
        XCTAssertTrue(reason.contains(needle), "reason '\(reason)' should mention '\(needle)'",
                      file: file, line: line)
    }

    func testCorrectAnswers() {
        XCTAssertEqual(verdict("3 * 7 + 5 - 2"), .correct)
        XCTAssertEqual(verdict(" (5 - 2) * 7 + 3 "), .correct)
        XCTAssertEqual(verdict("(3*7)+(5-2)"), .correct, "spaces are optional")
        XCTAssertEqual(verdict("3 * 7 + 5 - 2 = 24"), .correct, "a trailing '= value' is accepted")
        XCTAssertEqual(verdict("03 * 7 + 5 - 2"), .correct, "leading zeros read as the integer")
    }

    func testUnicodeOperatorsAreAccepted() {
        XCTAssertEqual(verdict("3×7+5−2"), .correct)
        let p = CountdownTask.makeProblem(numbers: [8, 4, 6], target: 12, split: .train, id: nil)
        XCTAssertEqual(verdict("8 ÷ 4 × 6", p), .correct)
    }

    func testWrongValueIsIncorrectNotInvalid() {
        XCTAssertEqual(verdict("3 * 7 + 5 + 2"), .incorrect(reason: "the expression equals 28, not the target 24"))
    }

    func testNumberMultisetIsEnforced() {
        assertInvalid("3 * 7 + 3", mentions: "uses 3 twice but it is given once")
        assertInvalid("3 * 7 + 5", mentions: "does not use 2")
        assertInvalid("3 * 8", mentions: "uses 8, which is not one of the given numbers")
        // Duplicates in the given set must each be used.
        let p = CountdownTask.makeProblem(numbers: [4, 4, 6, 1], target: 24, split: .train, id: nil)
        assertInvalid("4 * 6 * 1 + 4 - 4", mentions: "uses 4 3 times but it is given twice", p)
        assertInvalid("4 * 6 * 1", mentions: "uses 4 once but it is given twice", p)
        XCTAssertEqual(verdict("(4 + 4 - 4) * 6 * 1", p).isCorrect, false)
    }

    func testIntegerIntermediateRule() {
        assertInvalid("7 / 2 * 5 + 3", mentions: "non-integer intermediate 7 / 2")
        assertInvalid("2 - 7 + 5 * 3", mentions: "negative intermediate 2 - 7")
        let p = CountdownTask.makeProblem(numbers: [4, 4, 6, 1], target: 7, split: .train, id: nil)
        assertInvalid("6 / (4 - 4) + 1", mentions: "division by zero", p)
        // Grouping decides the intermediates: (3 - 5) comes first here and goes negative,
        // although the whole sum 3 - 5 + 2 + 7 would be fine as real arithmetic.
        assertInvalid("3 - 5 + 2 + 7", mentions: "negative intermediate 3 - 5")
    }

    func testOverflowAndHugeNumbersFailSafely() {
        let big = CountdownTask.makeProblem(numbers: [1_000_000, 1_000_000, 1_000_000, 1_000_000],
                                            target: 1, split: .train, id: nil)
        assertInvalid("1000000 * 1000000 * 1000000 * 1000000", mentions: "overflows", big)
        assertInvalid("99999999999999999999999 - 3 + 5 + 7 + 2", mentions: "too large")
        assertInvalid("3 * 7 + 5 - 2 = 99999999999999999999999", mentions: "too large")
    }

    func testMalformedAnswers() {
        assertInvalid("", mentions: "empty answer")
        assertInvalid("   ", mentions: "empty answer")
        assertInvalid("(3 * 7 + 5 - 2", mentions: "unbalanced parentheses")
        assertInvalid("3 * 7) + 5 - 2", mentions: "unbalanced parentheses")
        assertInvalid("3 * 7 + () 5 - 2", mentions: "empty parentheses")
        assertInvalid("3 x 7 + 5 - 2", mentions: "unexpected character 'x'")
        assertInvalid("3.0 * 7 + 5 - 2", mentions: "unexpected character '.'")
        assertInvalid("-2 + 3 * 7 + 5", mentions: "unary '-'")
        assertInvalid("3 * -7", mentions: "unary '-'")
        assertInvalid("3(7) + 5 - 2", mentions: "implicit multiplication")
        assertInvalid("3 7 + 5 - 2", mentions: "expected an operator")
        assertInvalid("3 * 7 + 5 -", mentions: "ends where a number")
        assertInvalid("3 * 7 + 5 - 2 = 25", mentions: "claims = 25")
        assertInvalid("3 * 7 + 5 - 2 = 24 = 24", mentions: "more than one '='")
        assertInvalid("3 * 7 + 5 - 2 = x", mentions: "after '='")
    }

    func testAdversarialSizesAreRejectedWithoutRecursingForever() {
        let deep = String(repeating: "(", count: 100) + "3" + String(repeating: ")", count: 100)
        assertInvalid(deep, mentions: "nested deeper")
        let long = "3" + String(repeating: " + 3", count: 5_000)
        assertInvalid(long, mentions: "longer than")
    }

    func testReasonIsRecordedWhenScoringCompletions() {
        let score = task.score("<think>\n3 + 5 = 8\n</think>\n<answer>3 / 0</answer>", for: problem,
                               startsInsideThink: false)
        XCTAssertEqual(score.accuracy, 0)
        XCTAssertEqual(score.tinyZero, TinyZeroReward.formatScore)
        XCTAssertNotNil(score.failure)
    }

    func testParserRoundTripsSolverRendering() throws {
        // Every solution the solver renders must parse back to the same value under the
        // same grouping, or reference completions would not verify.
        let numbers = [25, 3, 9, 7]
        let targets = CountdownSolver.reachableValues(numbers).sorted().prefix(15)
        XCTAssertEqual(targets.count, 15)
        for target in targets {
            let solutions = CountdownSolver.solutions(numbers, target: target)
            XCTAssertFalse(solutions.isEmpty, "reachable \(target) must have a solution")
            for expr in solutions {
                let parsed = try CountdownParser.parse(expr.rendered).get()
                XCTAssertEqual(parsed.0, expr, "\(expr.rendered) must re-parse to the same tree")
                XCTAssertEqual(task.verify(answer: expr.rendered, for: CountdownTask.makeProblem(
                    numbers: numbers, target: target, split: .train, id: nil)), .correct)
            }
        }
    }
}
