/// The `<think>`/`<answer>` structure of a completion, found once and shared by the rewards.
///
/// Tags are matched literally and case-sensitively (`<think>`, `</think>`, `<answer>`,
/// `</answer>`). Parsing never fails: a completion without tags simply has no answer and its
/// whole text counts as reasoning.
public struct CompletionParts: Sendable, Hashable {
    public static let thinkOpen = "<think>"
    public static let thinkClose = "</think>"
    public static let answerOpen = "<answer>"
    public static let answerClose = "</answer>"

    /// The reasoning text: between `<think>` (or the start, under the R1-Distill convention
    /// or when the model never opened it) and the first `</think>`; without `</think>`,
    /// everything before the first `<answer>`.
    public var reasoning: String
    /// The content of the last `<answer>` block, untrimmed. A final `<answer>` that was never
    /// closed (generation stopped on the stop string) still counts; nil when there is none.
    public var lastAnswer: String?
    /// The text after the first `</think>` (the "final response" in R1's terms), or the whole
    /// completion when there is no `</think>`.
    public var afterThinking: String
    /// How many times each tag occurs.
    public var thinkOpenCount: Int
    public var thinkCloseCount: Int
    public var answerOpenCount: Int
    public var answerCloseCount: Int

    /// Splits `completion`. The split is the same whether or not the prompt already opened
    /// `<think>`; only the format rewards treat the two conventions differently.
    public init(_ completion: String) {
        let opens = completion.ranges(of: Self.thinkOpen)
        let closes = completion.ranges(of: Self.thinkClose)
        let answerOpens = completion.ranges(of: Self.answerOpen)
        let answerCloses = completion.ranges(of: Self.answerClose)
        thinkOpenCount = opens.count
        thinkCloseCount = closes.count
        answerOpenCount = answerOpens.count
        answerCloseCount = answerCloses.count

        // Reasoning starts after a leading <think> if the model wrote one (even under the
        // Distill convention a stray one should not count as reasoning text).
        var reasoningStart = completion.startIndex
        if let firstOpen = opens.first,
           completion[completion.startIndex..<firstOpen.lowerBound].allSatisfy(\.isWhitespace) {
            reasoningStart = firstOpen.upperBound
        }
        if let close = closes.first, close.lowerBound >= reasoningStart {
            reasoning = String(completion[reasoningStart..<close.lowerBound])
            afterThinking = String(completion[close.upperBound...])
        } else {
            let end = answerOpens.first(where: { $0.lowerBound >= reasoningStart })?.lowerBound
                ?? completion.endIndex
            reasoning = String(completion[reasoningStart..<end])
            afterThinking = completion
        }

        if let open = answerOpens.last {
            let rest = completion[open.upperBound...]
            if let close = rest.firstRange(of: Self.answerClose) {
                lastAnswer = String(completion[open.upperBound..<close.lowerBound])
            } else {
                lastAnswer = String(rest)
            }
        } else {
            lastAnswer = nil
        }
    }
}

/// R1-style format rewards.
public enum FormatReward {
    /// 1 when the completion is exactly: [`<think>`] reasoning `</think>` `<answer>` answer
    /// `</answer>`, else 0.
    ///
    /// Precisely: ignoring surrounding whitespace, the completion opens with `<think>` unless
    /// `startsInsideThink` (then it must contain no `<think>` at all); it holds exactly one
    /// `</think>`, one `<answer>` and one `</answer>` in that order; only whitespace separates
    /// `</think>` from `<answer>` and follows `</answer>`; the answer is not blank. The
    /// reasoning may be any text without these tags, including empty (as in open-r1's regex;
    /// whitespace around tags is free, where open-r1 demands newlines).
    public static func strict(_ completion: String, startsInsideThink: Bool) -> Double {
        var text = Substring(completion.trimmingWhitespace())
        if startsInsideThink {
            if text.contains(CompletionParts.thinkOpen) { return 0 }
        } else {
            guard text.hasPrefix(CompletionParts.thinkOpen) else { return 0 }
            text = text.dropFirst(CompletionParts.thinkOpen.count)
            if text.contains(CompletionParts.thinkOpen) { return 0 }
        }
        let closes = text.ranges(of: CompletionParts.thinkClose)
        guard closes.count == 1, let close = closes.first else { return 0 }
        let reasoning = text[..<close.lowerBound]
        if reasoning.contains(CompletionParts.answerOpen) || reasoning.contains(CompletionParts.answerClose) {
            return 0
        }
        let final = text[close.upperBound...].drop(while: \.isWhitespace)
        guard final.hasPrefix(CompletionParts.answerOpen), final.hasSuffix(CompletionParts.answerClose)
        else { return 0 }
        let inner = final.dropFirst(CompletionParts.answerOpen.count)
            .dropLast(CompletionParts.answerClose.count)
        if inner.contains(CompletionParts.answerOpen) || inner.contains(CompletionParts.answerClose)
            || inner.contains(CompletionParts.thinkClose) {
            return 0
        }
        if inner.allSatisfy(\.isWhitespace) { return 0 }
        return 1
    }

    /// open-r1's `tag_count_reward`, made whitespace-tolerant: 0.25 for each tag used the
    /// right number of times — `<think>` once (zero times when `startsInsideThink`),
    /// `</think>`, `<answer>` and `</answer>` once each.
    public static func tagCount(_ completion: String, startsInsideThink: Bool) -> Double {
        let parts = CompletionParts(completion)
        var reward = 0.0
        if parts.thinkOpenCount == (startsInsideThink ? 0 : 1) { reward += 0.25 }
        if parts.thinkCloseCount == 1 { reward += 0.25 }
        if parts.answerOpenCount == 1 { reward += 0.25 }
        if parts.answerCloseCount == 1 { reward += 0.25 }
        return reward
    }
}

/// TinyZero's rule-based outcome reward, for Countdown and Multiplication alike.
public enum TinyZeroReward {
    /// The score given to an answer tag whose content is wrong or invalid.
    public static let formatScore = 0.1

    /// 1.0 when the verdict is correct; 0.1 when an `<answer>` tag was found but its content
    /// is wrong or invalid; 0 when there is no `<answer>` tag. TinyZero reads the last tag on
    /// the final line; Ponder reads the last tag anywhere (see `CompletionParts.lastAnswer`).
    public static func score(hasAnswerTag: Bool, verdict: Verdict) -> Double {
        guard hasAnswerTag else { return 0 }
        return verdict.isCorrect ? 1.0 : formatScore
    }
}
