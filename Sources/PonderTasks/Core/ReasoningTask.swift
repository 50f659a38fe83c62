/// A task: it makes or loads problems, renders prompts, splits completions into reasoning
/// steps, extracts answers and scores them.
///
/// Named `ReasoningTask` so it does not clash with Swift's concurrency `Task`. A conforming
/// type implements the task-specific parts (problems, the user message, the compact prompt,
/// answer extraction, verification, reference completions); prompt rendering, step
/// splitting and scoring come from the extension below and are the same for every task, so
/// rewards mean the same thing across tasks.
public protocol ReasoningTask: Sendable {
    /// The task's name in configs and on the command line (`countdown`).
    var name: String { get }

    /// What separates reasoning steps: `"\n"` for the line-per-step toy tasks, `"\n\n"` for
    /// free-form math (search-and-learn's step convention). Step-level search stops a step
    /// on it.
    var stepSeparator: String { get }

    /// The first `count` problems of `split` (all of them when `count` is nil), deterministic
    /// in `seed`: the same arguments give the same list, and a shorter list is a prefix of a
    /// longer one. Loaded tasks return file order and ignore `seed`.
    /// - Throws: `TaskError.invalidConfiguration` when the request cannot be met.
    func problems(split: Split, count: Int?, seed: UInt64) throws -> [Problem]

    /// The question as the user would ask it: the `{question}` of the R1-Zero template and
    /// the user turn of a chat template.
    func userMessage(for problem: Problem) throws -> String

    /// The first line of the compact prompt (the style appends `"\n<think>\n"`).
    func compactQuestion(for problem: Problem) throws -> String

    /// The answer the verifier should judge, or nil when the completion offers none.
    func extractAnswer(from completion: String) -> ExtractedAnswer?

    /// Judges an extracted answer. Never throws and never traps: unparsable or adversarial
    /// answers come back `.invalid` with the reason.
    func verify(answer: String, for problem: Problem) -> Verdict

    /// A correct completion in the exact target format: reasoning steps (one per
    /// `stepSeparator`), `</think>`, then `<answer>…</answer>`; it opens with `<think>\n`
    /// unless `startsInsideThink`. Nil when the task has no reference (an unsolvable loaded
    /// Countdown problem). Training uses these as SFT traces.
    func referenceCompletion(for problem: Problem, startsInsideThink: Bool) throws -> String?
}

extension ReasoningTask {
    /// Renders the prompt for `problem` in `style`.
    public func prompt(for problem: Problem, style: PromptStyle) throws -> RenderedPrompt {
        switch style {
        case .r1Zero:
            let text = PromptStyle.renderR1Zero(question: try userMessage(for: problem))
            return RenderedPrompt(text: text, startsInsideThink: false)
        case .chat(let render):
            return RenderedPrompt(text: try render(try userMessage(for: problem)))
        case .compact:
            let text = try compactQuestion(for: problem) + "\n" + CompletionParts.thinkOpen + "\n"
            return RenderedPrompt(text: text, startsInsideThink: true)
        }
    }

    /// The reference completion that fits `prompt` (inside or outside `<think>`).
    public func referenceCompletion(for problem: Problem, prompt: RenderedPrompt) throws -> String? {
        try referenceCompletion(for: problem, startsInsideThink: prompt.startsInsideThink)
    }

    /// The reasoning steps of `completion`: its reasoning (see `CompletionParts`) split on
    /// `stepSeparator`, each step trimmed, blank ones dropped.
    public func steps(in completion: String) -> [String] {
        let reasoning = CompletionParts(completion).reasoning
        return reasoning.split(separator: stepSeparator, omittingEmptySubsequences: true)
            .map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Scores `completion` on every reward.
    ///
    /// - accuracy: 1 when `extractAnswer` finds an answer and `verify` accepts it, else 0
    ///   (the reason goes to `Score.verdict`);
    /// - format and tag count: `FormatReward`, under the prompt's `<think>` convention;
    /// - language: `LanguageConsistency` of the reasoning text in `options.script`;
    /// - tinyZero: `TinyZeroReward`;
    /// - combined: `options.weights.combine(...)` of accuracy, format and language.
    public func score(_ completion: String, for problem: Problem, startsInsideThink: Bool,
                      options: ScoringOptions = ScoringOptions()) -> Score {
        let parts = CompletionParts(completion)
        let format = FormatReward.strict(completion, startsInsideThink: startsInsideThink)
        let tags = FormatReward.tagCount(completion, startsInsideThink: startsInsideThink)
        let language = LanguageConsistency.share(of: parts.reasoning, in: options.script)
        let answer = extractAnswer(from: completion)
        let verdict: Verdict
        if let answer {
            verdict = verify(answer: answer.text, for: problem)
        } else {
            verdict = .invalid(reason: "no answer found: expected <answer>…</answer>")
        }
        let accuracy = verdict.isCorrect ? 1.0 : 0.0
        let tinyZero = TinyZeroReward.score(hasAnswerTag: parts.lastAnswer != nil, verdict: verdict)
        let combined = options.weights.combine(accuracy: accuracy, format: format, language: language)
        return Score(accuracy: accuracy, format: format, tagCount: tags, language: language,
                     tinyZero: tinyZero, combined: combined, answer: answer, verdict: verdict)
    }

    /// Scores `completion` against the `<think>` convention of `prompt`.
    public func score(_ completion: String, for problem: Problem, prompt: RenderedPrompt,
                      options: ScoringOptions = ScoringOptions()) -> Score {
        score(completion, for: problem, startsInsideThink: prompt.startsInsideThink, options: options)
    }

    /// Wraps reasoning lines and an answer in the target format (shared by the tasks'
    /// reference completions so they cannot drift apart from the format reward).
    public func formatCompletion(steps: [String], answer: String, startsInsideThink: Bool) -> String {
        let open = startsInsideThink ? "" : CompletionParts.thinkOpen + "\n"
        let body = steps.joined(separator: stepSeparator)
        return open + body + "\n" + CompletionParts.thinkClose + "\n"
            + CompletionParts.answerOpen + answer + CompletionParts.answerClose
    }
}
