import XCTest
@testable import PonderTasks

/// The reward functions, each on its own.
final class RewardTests: XCTestCase {
    func testStrictFormatOutsideThink() {
        func f(_ s: String) -> Double { FormatReward.strict(s, startsInsideThink: false) }
        XCTAssertEqual(f("<think>\nsteps\n</think>\n<answer>42</answer>"), 1)
        XCTAssertEqual(f("  <think>steps</think> <answer> 42 </answer>\n"), 1, "whitespace is free")
        XCTAssertEqual(f("<think></think><answer>42</answer>"), 1, "empty reasoning is allowed, as in open-r1")
        XCTAssertEqual(f("steps</think><answer>42</answer>"), 0, "must open <think> itself")
        XCTAssertEqual(f("<think>steps</think>"), 0, "no answer")
        XCTAssertEqual(f("<think>steps</think><answer>  </answer>"), 0, "blank answer")
        XCTAssertEqual(f("<think>steps</think><answer>1</answer><answer>2</answer>"), 0, "two answers")
        XCTAssertEqual(f("<think>a</think><think>b</think><answer>1</answer>"), 0, "two think blocks")
        XCTAssertEqual(f("<think>steps</think>so<answer>42</answer>"), 0, "text between the blocks")
        XCTAssertEqual(f("<think>steps</think><answer>42</answer> trailing"), 0, "text after the answer")
        XCTAssertEqual(f("<think>steps</think><answer>42"), 0, "unclosed answer")
        XCTAssertEqual(f("<think>steps<answer>4</answer></think><answer>42</answer>"), 0, "answer tag in reasoning")
        XCTAssertEqual(f(""), 0)
    }

    func testStrictFormatUnderTheDistillConvention() {
        func f(_ s: String) -> Double { FormatReward.strict(s, startsInsideThink: true) }
        XCTAssertEqual(f("steps\n</think>\n<answer>42</answer>"), 1)
        XCTAssertEqual(f("<think>steps</think><answer>42</answer>"), 0, "the prompt already opened <think>")
        XCTAssertEqual(f("</think><answer>42</answer>"), 1)
    }

    func testTagCountGivesPartialCredit() {
        XCTAssertEqual(FormatReward.tagCount("<think>a</think><answer>1</answer>", startsInsideThink: false), 1)
        XCTAssertEqual(FormatReward.tagCount("<think>a</think>", startsInsideThink: false), 0.5)
        XCTAssertEqual(FormatReward.tagCount("a</think><answer>1", startsInsideThink: true), 0.75)
        XCTAssertEqual(FormatReward.tagCount("<think>a</think><answer>1</answer>", startsInsideThink: true), 0.75)
        XCTAssertEqual(FormatReward.tagCount("<answer>1</answer><answer>2</answer>", startsInsideThink: false), 0)
        XCTAssertEqual(FormatReward.tagCount("plain text", startsInsideThink: true), 0.25)
    }

    func testCompletionPartsFindReasoningAndLastAnswer() {
        let p = CompletionParts("<think>\nstep 1\nstep 2\n</think>\n<answer>1</answer> <answer>2</answer>")
        XCTAssertEqual(p.reasoning, "\nstep 1\nstep 2\n")
        XCTAssertEqual(p.lastAnswer, "2", "the last answer tag counts, as in TinyZero")
        XCTAssertEqual(CompletionParts("reasoning only <answer>7").lastAnswer, "7", "unclosed final tag")
        XCTAssertEqual(CompletionParts("reasoning only <answer>7").reasoning, "reasoning only ")
        XCTAssertNil(CompletionParts("no tags").lastAnswer)
        XCTAssertEqual(CompletionParts("no tags").reasoning, "no tags")
        XCTAssertEqual(CompletionParts("<answer></answer>").lastAnswer, "")
    }

    func testLanguageConsistency() {
        XCTAssertEqual(LanguageConsistency.share(of: "Let me add these.", in: .latin), 1)
        XCTAssertEqual(LanguageConsistency.share(of: "75 - 3 = 72", in: .latin), 1, "no letters: consistent")
        XCTAssertEqual(LanguageConsistency.share(of: "abcd这是", in: .latin), 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(LanguageConsistency.share(of: "abcd这是", in: .han), 2.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(LanguageConsistency.share(of: "café naïve", in: .latin), 1, "accented Latin is Latin")
        XCTAssertEqual(LanguageConsistency.share(of: "число", in: .latin), 0)
        XCTAssertEqual(LanguageConsistency.share(of: "число", in: .cyrillic), 1)
    }

    func testTinyZeroReward() {
        XCTAssertEqual(TinyZeroReward.score(hasAnswerTag: true, verdict: .correct), 1.0)
        XCTAssertEqual(TinyZeroReward.score(hasAnswerTag: true, verdict: .incorrect(reason: "x")), 0.1)
        XCTAssertEqual(TinyZeroReward.score(hasAnswerTag: true, verdict: .invalid(reason: "x")), 0.1)
        XCTAssertEqual(TinyZeroReward.score(hasAnswerTag: false, verdict: .invalid(reason: "x")), 0)
    }

    func testCombinedRewardWeights() {
        let w = RewardWeights()
        XCTAssertEqual(w.combine(accuracy: 1, format: 1, language: 1), 1, accuracy: 1e-12)
        XCTAssertEqual(w.combine(accuracy: 0, format: 1, language: 1), 0.2 / 1.2, accuracy: 1e-12)
        XCTAssertEqual(w.combine(accuracy: 1, format: 0, language: 1), 1.1 / 1.2, accuracy: 1e-12)
        let r1 = RewardWeights(accuracy: 1, format: 1, language: 1)
        XCTAssertEqual(r1.combine(accuracy: 1, format: 0, language: 0.5), 0.5, accuracy: 1e-12)
        XCTAssertEqual(RewardWeights(accuracy: 0, format: 0, language: 0).combine(accuracy: 1, format: 1, language: 1), 0)
    }

    func testScoreKeepsComponentsApart() throws {
        let task = try CountdownTask()
        let problem = CountdownTask.makeProblem(numbers: [3, 5, 7, 2], target: 24, split: .train, id: nil)
        let mixed = task.score("<think>\n3 * 7 = 21 然后 plus\n</think>\n<answer>3 * 7 + 5 - 2</answer>",
                               for: problem, startsInsideThink: false)
        XCTAssertEqual(mixed.accuracy, 1)
        XCTAssertEqual(mixed.format, 1)
        XCTAssertEqual(mixed.language, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(mixed.combined, (1 + 0.1 + 0.1 * 4.0 / 6.0) / 1.2, accuracy: 1e-12)
        let wrong = task.score("no tags, 24", for: problem, startsInsideThink: true)
        XCTAssertEqual(wrong.accuracy, 0)
        XCTAssertEqual(wrong.tinyZero, 0)
        XCTAssertEqual(wrong.failure, "no answer found: expected <answer>…</answer>")
        let several = task.score("<think>x</think><answer>3+5</answer><answer>3 * 7 + 5 - 2</answer>",
                                 for: problem, startsInsideThink: false)
        XCTAssertEqual(several.accuracy, 1, "several answer tags: the last one is judged")
        XCTAssertEqual(several.format, 0, "…but the format reward is lost")
        let empty = task.score("<think>x</think><answer></answer>", for: problem, startsInsideThink: false)
        XCTAssertEqual(empty.accuracy, 0)
        XCTAssertEqual(empty.tinyZero, 0.1)
        XCTAssertTrue(empty.failure?.contains("empty answer") ?? false)
    }
}
