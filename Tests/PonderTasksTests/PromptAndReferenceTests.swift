import XCTest
@testable import PonderTasks

/// Prompt styles, and reference completions scoring 1.0 on every reward in every style.
final class PromptAndReferenceTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tasks")

    func testR1ZeroPromptIsThePaperTemplate() throws {
        let task = try MultiplicationTask()
        let problem = MultiplicationTask.makeProblem(a: 12, b: 34, split: .train)
        let prompt = try task.prompt(for: problem, style: .r1Zero)
        XCTAssertFalse(prompt.startsInsideThink)
        XCTAssertTrue(prompt.text.hasPrefix("A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: What is 12 * 34?"))
        XCTAssertTrue(prompt.text.hasSuffix("for example <answer> 1234 </answer>. Assistant:"))
        XCTAssertFalse(prompt.text.contains(".."), "a question ending in '.' gets no second full stop")
        XCTAssertEqual(PromptStyle.renderR1Zero(question: "Why?").suffix(17), "User: Why? Assistant:".suffix(17))
        XCTAssertTrue(PromptStyle.renderR1Zero(question: "Add 2 and 3").hasSuffix("User: Add 2 and 3. Assistant:"))
    }

    func testCompactPromptStartsInsideThink() throws {
        let task = try CountdownTask()
        let problem = CountdownTask.makeProblem(numbers: [3, 5, 7, 2], target: 24, split: .train, id: nil)
        let prompt = try task.prompt(for: problem, style: .compact)
        XCTAssertEqual(prompt.text, "3 5 7 2 -> 24\n<think>\n")
        XCTAssertTrue(prompt.startsInsideThink)
        let mult = try MultiplicationTask().prompt(for: MultiplicationTask.makeProblem(a: 12, b: 34, split: .test), style: .compact)
        XCTAssertEqual(mult.text, "12 * 34\n<think>\n")
    }

    func testChatStyleRendersTheUserMessageAndDetectsAnOpenThink() throws {
        let task = try CountdownTask()
        let problem = CountdownTask.makeProblem(numbers: [3, 5, 7, 2], target: 24, split: .train, id: nil)
        let distill = PromptStyle.chat { "<｜User｜>\($0)<｜Assistant｜><think>\n" }
        let prompt = try task.prompt(for: problem, style: distill)
        XCTAssertTrue(prompt.text.contains("Using the numbers [3, 5, 7, 2]"))
        XCTAssertTrue(prompt.startsInsideThink, "R1-Distill templates open <think>")
        let plain = PromptStyle.chat { "<|im_start|>user\n\($0)<|im_end|>\n<|im_start|>assistant\n" }
        XCTAssertFalse(try task.prompt(for: problem, style: plain).startsInsideThink)
        struct TemplateFailure: Error {}
        let failing = PromptStyle.chat { _ in throw TemplateFailure() }
        XCTAssertThrowsError(try task.prompt(for: problem, style: failing))
    }

    func testStyleNames() throws {
        XCTAssertEqual(try PromptStyle(name: "r1-zero").name, "r1-zero")
        XCTAssertEqual(try PromptStyle(name: "compact").name, "compact")
        XCTAssertThrowsError(try PromptStyle(name: "chat")) { XCTAssertTrue("\($0)".contains("chat template")) }
        XCTAssertThrowsError(try PromptStyle(name: "fancy")) { XCTAssertTrue("\($0)".contains("unknown prompt style")) }
    }

    func testWrongProblemKindIsAnErrorOrInvalidNeverACrash() throws {
        let countdown = try CountdownTask()
        let product = MultiplicationTask.makeProblem(a: 2, b: 3, split: .train)
        XCTAssertThrowsError(try countdown.prompt(for: product, style: .compact))
        guard case .invalid = countdown.verify(answer: "6", for: product) else { return XCTFail() }
    }

    /// Every reference completion, in both `<think>` conventions, scores 1 on accuracy,
    /// format, tag count, language, TinyZero and the combined reward.
    func testReferenceCompletionsScoreOneOnEveryReward() throws {
        let countdown = try CountdownTask()
        let multiplication = try MultiplicationTask()
        let gsm8k = try JSONLMathTask(loading: Self.fixtures.appendingPathComponent("gsm8k-mini.jsonl"), split: .test)
        let math = try JSONLMathTask(loading: Self.fixtures.appendingPathComponent("math-mini.jsonl"), split: .test)
        let sets: [(any ReasoningTask, [Problem])] = [
            (countdown, try countdown.problems(split: .train, count: 25, seed: 11)
                + countdown.problems(split: .test, count: 10, seed: 11)),
            (multiplication, try multiplication.problems(split: .train, count: 25, seed: 11)),
            (gsm8k, try gsm8k.problems(split: .test, count: nil, seed: 0)),
            (math, try math.problems(split: .test, count: nil, seed: 0)),
        ]
        let distill = PromptStyle.chat { "<｜User｜>\($0)<｜Assistant｜><think>\n" }
        for (task, problems) in sets {
            for problem in problems {
                for style in [PromptStyle.r1Zero, .compact, distill] {
                    let prompt = try task.prompt(for: problem, style: style)
                    let reference = try XCTUnwrap(task.referenceCompletion(for: problem, prompt: prompt),
                                                  "\(problem.id) has a reference")
                    let s = task.score(reference, for: problem, prompt: prompt)
                    let context = "\(problem.id) in \(style.name): \(reference) → \(s)"
                    XCTAssertEqual(s.accuracy, 1, context)
                    XCTAssertEqual(s.format, 1, context)
                    XCTAssertEqual(s.tagCount, 1, context)
                    XCTAssertEqual(s.language, 1, context)
                    XCTAssertEqual(s.tinyZero, 1, context)
                    XCTAssertEqual(s.combined, 1, accuracy: 1e-12, context)
                    XCTAssertFalse(task.steps(in: reference).isEmpty, context)
                }
            }
        }
    }

    func testCountdownReferenceHasOneStepLinePerOperation() throws {
        let task = try CountdownTask()
        let problem = CountdownTask.makeProblem(numbers: [3, 5, 7, 2], target: 24, split: .train, id: nil)
        let reference = try XCTUnwrap(task.referenceCompletion(for: problem, startsInsideThink: true))
        let steps = task.steps(in: reference)
        XCTAssertEqual(steps.count, 3)
        for step in steps {
            // `a op b = c` with the operation really giving c.
            let parts = step.split(separator: " ")
            XCTAssertEqual(parts.count, 5, step)
            guard parts.count == 5, let a = Int(parts[0]), let b = Int(parts[2]), let c = Int(parts[4]),
                  let op = CountdownOperator(rawValue: String(parts[1])) else { return XCTFail(step) }
            XCTAssertEqual(try op.apply(a, b).get(), c, step)
            XCTAssertGreaterThanOrEqual(a, b, "larger operand first: \(step)")
        }
        XCTAssertFalse(reference.hasPrefix("<think>"))
        XCTAssertTrue(reference.hasSuffix("</answer>"))
    }
}
