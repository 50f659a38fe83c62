import XCTest
@testable import PonderTasks

/// JSONL math: answer extraction, normalization, exact equivalence and loading.
final class MathTaskTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tasks")

    func testBoxedExtractionHandlesNestingTruncationAndTheBracelessForm() {
        XCTAssertEqual(MathAnswerExtraction.lastBoxed(in: "so $\\boxed{\\frac{1}{2}}$."), "\\frac{1}{2}")
        XCTAssertEqual(MathAnswerExtraction.lastBoxed(in: "\\boxed{1} then \\boxed{{2}+{3}}"), "{2}+{3}")
        XCTAssertEqual(MathAnswerExtraction.lastBoxed(in: "\\boxed{3} and finally \\boxed{\\frac{1"), "3",
                       "a cut-off last box falls back to the previous one")
        XCTAssertEqual(MathAnswerExtraction.lastBoxed(in: "answer: \\boxed 5$"), "5")
        XCTAssertEqual(MathAnswerExtraction.lastBoxed(in: "\\fbox{7}"), "7")
        XCTAssertNil(MathAnswerExtraction.lastBoxed(in: "no box here"))
    }

    func testExtractionOrderTagThenBoxedThenLastNumber() {
        XCTAssertEqual(MathAnswerExtraction.extract(from: "<think>\\boxed{1}</think><answer> 42 </answer>"),
                       ExtractedAnswer(text: "42", source: .answerTag))
        XCTAssertEqual(MathAnswerExtraction.extract(from: "<answer>The result is \\boxed{7}.</answer>")?.text, "7")
        XCTAssertEqual(MathAnswerExtraction.extract(from: "…</think>\nThus \\boxed{\\dfrac{3}{4}}."),
                       ExtractedAnswer(text: "\\dfrac{3}{4}", source: .boxed))
        XCTAssertEqual(MathAnswerExtraction.extract(from: "I think 3 then 7.</think> The total is 1,234.5 dollars."),
                       ExtractedAnswer(text: "1,234.5", source: .lastNumber))
        XCTAssertEqual(MathAnswerExtraction.lastNumber(in: "from 10 - 3 we get -4 or 3/4"), "3/4")
        XCTAssertEqual(MathAnswerExtraction.lastNumber(in: "it is -4."), "-4")
        XCTAssertEqual(MathAnswerExtraction.lastNumber(in: "10-3"), "3", "a minus between numbers is not a sign")
        XCTAssertNil(MathAnswerExtraction.extract(from: "I cannot solve this."))
        XCTAssertEqual(MathAnswerExtraction.gsm8kFinal("work\n#### 1,000 "), "1,000")
    }

    func testNormalizationAndEquivalence() {
        let equal: [(String, String)] = [
            ("1,000", "1000"), ("$50$", "50"), ("\\dfrac{1}{2}", "0.5"), ("\\frac12", "1/2"),
            ("-\\frac{3}{4}", "-0.75"), ("\\frac{-3}{4}", "-.75"), ("\\left(2, 3\\right)", "(2,3)"),
            ("42.0", "42"), ("42.000", "42"), ("50\\%", "50"), ("x = 5", "5"), ("10^\\circ", "10"),
            ("\u{2212}3", "-3"), ("\\text{(A)}", "(A)"), ("\\boxed{7}", "7"), ("\\tfrac{2}{4}", "\\frac{1}{2}"),
            ("\\sqrt2", "\\sqrt{2}"), ("007", "7"), ("2.50", "2.5"), ("5.", "5"), ("1,234,567.5", "1234567.5"),
            ("123456789012345678901234567890", "123456789012345678901234567890"),
        ]
        for (a, b) in equal {
            XCTAssertTrue(MathAnswerNormalization.equivalent(a, b), "\(a) ≡ \(b)")
            XCTAssertTrue(MathAnswerNormalization.equivalent(b, a), "\(b) ≡ \(a)")
        }
        let different: [(String, String)] = [
            ("0.333", "\\frac{1}{3}"), ("2", "3"), ("(1,234)", "1234"), ("\\sqrt{2}", "2"),
            ("123456789012345678901234567890", "123456789012345678901234567891"),
            ("99999999999999999999/3", "33333333333333333333"), ("1/0", "2/0"), ("\\frac{1}{0}", "0"),
            ("", "0"),
        ]
        for (a, b) in different {
            XCTAssertFalse(MathAnswerNormalization.equivalent(a, b), "\(a) ≢ \(b)")
        }
        XCTAssertEqual(MathAnswerNormalization.normalize("(1,234)"), "(1,234)", "a tuple keeps its comma")
        XCTAssertEqual(Rational.parse("-6/8"), Rational(-3, 4))
        XCTAssertNil(Rational.parse("9223372036854775808"), "beyond Int64 is nil, not a trap")
        XCTAssertNil(Rational.parse("1.2.3"))
        XCTAssertNil(Rational.parse("."))
    }

    func testGSM8KLoadingAndReferenceCompletions() throws {
        let task = try JSONLMathTask(name: "gsm8k", loading: Self.fixtures.appendingPathComponent("gsm8k-mini.jsonl"),
                                     split: .test)
        let problems = try task.problems(split: .test, count: nil, seed: 0)
        XCTAssertEqual(problems.map(\.id), ["gsm8k-mini:1", "gsm8k-mini:2", "gsm8k-mini:3"])
        guard case .math(_, let answer, let solution) = problems[1].content else { return XCTFail() }
        XCTAssertEqual(answer, "5,000")
        XCTAssertEqual(solution, "In 4 days it sells 1,250 * 4 = 5,000 eggs.", "calculator notes removed")
        XCTAssertEqual(task.verify(answer: "5000", for: problems[1]), .correct)
        XCTAssertEqual(task.verify(answer: "9/4", for: problems[2]), .correct, "2.25 = 9/4 exactly")
        XCTAssertFalse(task.verify(answer: "2.2", for: problems[2]).isCorrect)
        XCTAssertTrue(try task.userMessage(for: problems[0]).hasSuffix(JSONLMathTask.boxedInstruction))
        let reference = try XCTUnwrap(task.referenceCompletion(for: problems[0], startsInsideThink: true))
        XCTAssertEqual(task.steps(in: reference), ["She starts with 3 * 12 = 36 pencils.",
                                                    "After giving away 7 she has 36 - 7 = 29 pencils."])
    }

    func testMATHLoadingLevelsIdsAndAnswers() throws {
        let problems = try JSONLMathTask.loadJSONL(Self.fixtures.appendingPathComponent("math-mini.jsonl"), split: .test)
        XCTAssertEqual(problems.map(\.id), ["math-mini:1", "test/algebra/1.json", "test/algebra/2.json", "math-mini:4"])
        XCTAssertEqual(problems.map(\.difficulty.bin), ["level 1", "level 1", "level 2", "level 3"])
        let answers: [String] = problems.compactMap {
            if case .math(_, let answer, _) = $0.content { return answer } else { return nil }
        }
        XCTAssertEqual(answers, ["\\frac{3}{4}", "4", "\\frac{3}{2}", "(1, 2)"])
        let task = JSONLMathTask(problems: problems)
        let score = task.score("<think>\nhalf plus a quarter\n</think>\nThe sum is $\\boxed{\\dfrac{3}{4}}$.",
                               for: problems[0], startsInsideThink: false)
        XCTAssertEqual(score.accuracy, 1)
        XCTAssertEqual(score.answer?.source, .boxed)
        XCTAssertEqual(score.format, 0, "no <answer> tag: not R1 format")
        XCTAssertEqual(score.tinyZero, 0)
        XCTAssertEqual(task.verify(answer: "1.5", for: problems[2]), .correct)
        XCTAssertEqual(task.verify(answer: "(1,2)", for: problems[3]), .correct)
        guard case .invalid = task.verify(answer: "  $ $ ", for: problems[3]) else {
            return XCTFail("an empty answer is invalid")
        }
    }

    func testCustomFieldNames() throws {
        let url = try temporaryFile("{\"q\": \"2+2?\", \"final\": 4, \"key\": \"k1\"}\n")
        let fields = MathFields(question: ["q"], answer: ["final"], solution: [], id: ["key"], level: [])
        let problems = try JSONLMathTask.loadJSONL(url, split: .train, fields: fields)
        XCTAssertEqual(problems.first?.id, "k1")
        XCTAssertEqual(problems.first?.content, .math(question: "2+2?", answer: "4", solution: nil))
    }

    /// Datasets store some final answers as JSON numbers; they read as their usual text.
    func testNumericAnswersReadAsText() throws {
        let url = try temporaryFile("{\"question\": \"a\", \"answer\": 42.0}\n{\"question\": \"b\", \"answer\": 0.25}\n"
            + "{\"question\": \"c\", \"answer\": -0, \"level\": 3}\n")
        let problems = try JSONLMathTask.loadJSONL(url, split: .test)
        XCTAssertEqual(problems.map(\.content), [.math(question: "a", answer: "42", solution: nil),
                                                  .math(question: "b", answer: "0.25", solution: nil),
                                                  .math(question: "c", answer: "0", solution: nil)])
        XCTAssertEqual(problems.last?.difficulty.bin, "level 3")
    }

    func testMalformedLinesNameFileAndLine() throws {
        let cases: [(String, String)] = [
            ("{\"question\": \"a\", \"answer\": \"#### 1\"}\n{\"answer\": \"#### 2\"}\n",
             ":2: missing the question: expected one of the fields \"question\" or \"problem\""),
            ("{\"question\": \"a\"}\n", ":1: no answer: expected a field \"answer\""),
            ("{\"problem\": \"a\", \"solution\": \"it is 4\"}\n", ":1: no answer: the solution has no \\boxed{…}"),
            ("{\"question\": \"a\", \"answer\": \"work ####  \"}\n", ":1: the answer has '####' but nothing after it"),
            ("{\"question\": [\"a\"], \"answer\": \"1\"}\n", ":1: expected field \"question\" to be a string, found an array"),
            ("{\"question\": \"a\", \"answer\": \"1\"\n", ":1: not valid JSON"),
        ]
        for (text, expected) in cases {
            let url = try temporaryFile(text)
            XCTAssertThrowsError(try JSONLMathTask.loadJSONL(url, split: .train)) { error in
                XCTAssertTrue("\(error)".contains(url.path + expected), "\(error) should contain \(expected)")
            }
        }
    }

    private func temporaryFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-math-\(UInt64.random(in: 0...UInt64.max)).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
