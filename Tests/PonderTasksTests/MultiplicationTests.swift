import XCTest
@testable import PonderTasks

/// Multiplication: the verifier, the decomposition, generation and the split.
final class MultiplicationTests: XCTestCase {
    private var task: MultiplicationTask!
    private let problem = MultiplicationTask.makeProblem(a: 123, b: 45, split: .train)

    override func setUpWithError() throws {
        task = try MultiplicationTask()
    }

    func testVerifierOnCorrectWrongAndMalformedAnswers() {
        XCTAssertEqual(task.verify(answer: "5535", for: problem), .correct)
        XCTAssertEqual(task.verify(answer: " 5,535 ", for: problem), .correct, "thousands separators")
        XCTAssertEqual(task.verify(answer: "+5535", for: problem), .correct)
        XCTAssertEqual(task.verify(answer: "5536", for: problem), .incorrect(reason: "5536 is not 123 * 45"))
        XCTAssertEqual(task.verify(answer: "-5535", for: problem).isCorrect, false)
        for bad in ["", "123 * 45", "5535.0", "55,35", "5 535", "= 5535", "five thousand", "5535 5535", "٥٥٣٥"] {
            guard case .invalid = task.verify(answer: bad, for: problem) else {
                return XCTFail("'\(bad)' should be invalid")
            }
        }
        guard case .invalid(let reason) = task.verify(answer: "99999999999999999999999", for: problem) else {
            return XCTFail("a huge number must be invalid, not a crash")
        }
        XCTAssertTrue(reason.contains("too large"))
        // A hand-made problem beyond 64-bit range fails safely too.
        let huge = MultiplicationTask.makeProblem(a: Int.max / 2, b: 4, split: .train)
        XCTAssertFalse(task.verify(answer: "1", for: huge).isCorrect)
        XCTAssertNil(try task.referenceCompletion(for: huge, startsInsideThink: true))
        XCTAssertNil(MultiplicationTask.decomposition(a: 5, b: -3))
    }

    func testDecompositionIsPartialProductsThenSums() {
        XCTAssertEqual(MultiplicationTask.decomposition(a: 123, b: 45),
                       ["123 * 5 = 615", "123 * 40 = 4920", "615 + 4920 = 5535"])
        XCTAssertEqual(MultiplicationTask.decomposition(a: 12, b: 305),
                       ["12 * 5 = 60", "12 * 300 = 3600", "60 + 3600 = 3660"])
        XCTAssertEqual(MultiplicationTask.decomposition(a: 7, b: 100), ["7 * 100 = 700"])
        XCTAssertEqual(MultiplicationTask.decomposition(a: 7, b: 0), ["7 * 0 = 0"])
        XCTAssertEqual(problem.difficulty.bin, "3x2")
        XCTAssertEqual(problem.difficulty.depth, 3)
    }

    func testReferenceCompletionFormat() throws {
        let text = try XCTUnwrap(task.referenceCompletion(for: problem, startsInsideThink: false))
        XCTAssertEqual(text, "<think>\n123 * 5 = 615\n123 * 40 = 4920\n615 + 4920 = 5535\n</think>\n<answer>5535</answer>")
        XCTAssertEqual(task.steps(in: text), ["123 * 5 = 615", "123 * 40 = 4920", "615 + 4920 = 5535"])
    }

    func testGenerationIsDeterministicWithinDigitsAndSplitsAreDisjoint() throws {
        let train = try task.problems(split: .train, count: 200, seed: 5)
        XCTAssertEqual(train, try task.problems(split: .train, count: 200, seed: 5))
        XCTAssertNotEqual(train, try task.problems(split: .train, count: 200, seed: 6))
        let test = try task.problems(split: .test, count: 50, seed: 5)
        func pair(_ p: Problem) -> [Int] {
            guard case .multiplication(let a, let b) = p.content else { return [] }
            return [min(a, b), max(a, b)]
        }
        XCTAssertTrue(Set(train.map(pair)).isDisjoint(with: Set(test.map(pair))),
                      "a × b and b × a never cross the split")
        for p in train + test {
            guard case .multiplication(let a, let b) = p.content else { return XCTFail() }
            XCTAssertTrue((1...999).contains(a) && (1...999).contains(b))
            XCTAssertEqual(task.config.split(a: a, b: b), p.split)
        }
    }

    func testImpossibleRequestsAreClearErrors() throws {
        XCTAssertThrowsError(try MultiplicationTask(config: MultiplicationConfig(digits: 0...3)))
        XCTAssertThrowsError(try MultiplicationTask(config: MultiplicationConfig(digits: 1...10)))
        let tiny = try MultiplicationTask(config: MultiplicationConfig(digits: 1...1))
        XCTAssertThrowsError(try tiny.problems(split: .train, count: 82, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("only 81 operand pairs exist"), "\(error)")
        }
        // 81 pairs, about 10 % of them held out: every training pair can be drawn, one
        // more cannot.
        let trainPairs = (1...9).flatMap { a in (1...9).map { b in (a, b) } }
            .filter { tiny.config.split(a: $0.0, b: $0.1) == .train }.count
        XCTAssertLessThan(trainPairs, 81)
        XCTAssertEqual(try tiny.problems(split: .train, count: trainPairs, seed: 1).count, trainPairs)
        XCTAssertThrowsError(try tiny.problems(split: .train, count: trainPairs + 1, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("found only"), "\(error)")
        }
    }
}
