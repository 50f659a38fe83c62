import Foundation
import PonderSearch
import PonderTasks

/// A task as an experiment runs it: a `ReasoningTask` with its prompt style and split, and the
/// two views of it that must stay apart.
///
/// - What search may see: `hooks(for:)` gives PonderSearch a step splitter, an answer
///   extractor and the ground-truth checker. The checker is handed only to the
///   `SearchContext`, which lets a strategy call it through `SearchContext.check` in
///   verifier-charged mode (each call charged) and never in verifier-hidden mode.
/// - What scores the trial: `score(_:for:prompt:)`, the task's rewards, called by the runner
///   after the search has returned and never visible to the strategy.
public struct ExperimentTask: Sendable {
    /// The task.
    public let task: any ReasoningTask
    /// How problems become prompts.
    public let style: PromptStyle
    /// The split problems are drawn from.
    public let split: Split
    /// Reward weights and the reasoning's expected script.
    public let scoring: ScoringOptions

    /// A task run in `style` on `split`.
    public init(task: any ReasoningTask, style: PromptStyle, split: Split, scoring: ScoringOptions = ScoringOptions()) {
        self.task = task
        self.style = style
        self.split = split
        self.scoring = scoring
    }

    /// The task's name (`countdown`).
    public var name: String { task.name }

    /// Whether prompts are rendered through the model's chat template.
    public var isChat: Bool { style.name == "chat" }

    /// The first `count` problems of the split (all of a loaded file when nil), deterministic
    /// in `seed`.
    public func problems(count: Int?, seed: UInt64) throws -> [Problem] {
        try task.problems(split: split, count: count, seed: seed)
    }

    /// The rendered prompt of `problem`.
    public func prompt(for problem: Problem) throws -> RenderedPrompt {
        try task.prompt(for: problem, style: style)
    }

    /// Strings that end a completion unless the config gives `generation.stop`: the style's
    /// (`PromptStyle.defaultStopStrings`, which `train eval` and rollouts use too).
    public var defaultStopStrings: [String] { style.defaultStopStrings }

    /// Where reasoning steps end: the task's separator (`"\n"` for Countdown and
    /// Multiplication, `"\n\n"` for free-form math).
    public var stepDelimiters: [String] { [task.stepSeparator] }

    /// The answer as votes compare it: the task's extraction, then normalized so that
    /// equivalent spellings group (math normalization for the math tasks; whitespace removed
    /// for the expression and number tasks, `3 * 4` and `3*4` being one answer).
    public var answerExtractor: AnswerExtractor {
        let task = self.task
        let isMath = task is JSONLMathTask
        return AnswerExtractor { completion in
            guard let raw = task.extractAnswer(from: completion)?.text else { return nil }
            let normalized = isMath ? MathAnswerNormalization.normalize(raw) : raw.filter { !$0.isWhitespace }
            return normalized.isEmpty ? nil : normalized
        }
    }

    /// The hooks search runs with for `problem` (see the type's note on the checker).
    public func hooks(for problem: Problem) -> TaskHooks {
        let task = self.task
        let checker = CheckerFunction { completion, _ in
            // Re-extract from the completion: the hook's answer is the normalized vote key,
            // while the verifier judges the text as written.
            guard let answer = task.extractAnswer(from: completion) else { return false }
            return task.verify(answer: answer.text, for: problem).isCorrect
        }
        return TaskHooks(stepSplitter: .delimiters(stepDelimiters), answerExtractor: answerExtractor, checker: checker)
    }

    /// Every reward of `completion` (after search, for the trial record).
    public func score(_ completion: String, for problem: Problem, prompt: RenderedPrompt) -> Score {
        task.score(completion, for: problem, prompt: prompt, options: scoring)
    }

    /// A number for difficulty breakdowns, larger meaning harder: the steps a solution takes
    /// (Countdown: numbers − 1; Multiplication: reasoning lines), or the dataset's level for
    /// math (`level 3` → 3); nil when the task knows neither.
    public static func numericDifficulty(_ problem: Problem) -> Double? {
        if let depth = problem.difficulty.depth { return Double(depth) }
        let bin = problem.difficulty.bin
        if bin.hasPrefix("level "), let level = Double(bin.dropFirst("level ".count)) { return level }
        return nil
    }
}
