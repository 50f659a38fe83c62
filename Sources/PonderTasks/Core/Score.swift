/// The verifier's judgement of one extracted answer.
public enum Verdict: Sendable, Hashable, Codable {
    /// The answer is right.
    case correct
    /// The answer parsed and obeyed the rules but is wrong (e.g. reaches 23, not 24).
    case incorrect(reason: String)
    /// The answer could not be parsed or broke a rule (reused number, division by zero…).
    case invalid(reason: String)

    public var isCorrect: Bool { self == .correct }

    /// Why the answer is not correct; nil when it is.
    public var reason: String? {
        switch self {
        case .correct: return nil
        case .incorrect(let reason), .invalid(let reason): return reason
        }
    }
}

/// Where an answer was found in a completion.
public enum AnswerSource: String, Sendable, Hashable, Codable {
    /// The content of the last `<answer>…</answer>` (an unclosed final `<answer>` counts).
    case answerTag = "answer-tag"
    /// The content of the last `\boxed{…}`.
    case boxed
    /// The last number in the text (JSONL math's last resort).
    case lastNumber = "last-number"
}

/// An answer pulled out of a completion, before verification.
public struct ExtractedAnswer: Sendable, Hashable, Codable {
    public var text: String
    public var source: AnswerSource

    public init(text: String, source: AnswerSource) {
        self.text = text
        self.source = source
    }
}

/// Weights of the combined reward.
///
/// `combined = (accuracy·wₐ + format·w_f + language·w_l) / (wₐ + w_f + w_l)`, so it lies in
/// [0, 1] and a perfect completion scores exactly 1. The defaults (1, 0.1, 0.1) mirror
/// TinyZero's 0.1 credit for form: a well-formed, consistent but wrong answer gets 0.2/1.2 ≈
/// 0.17, a right one 1. R1 sums accuracy, format and language rewards with equal weight;
/// use `RewardWeights(accuracy: 1, format: 1, language: 1)` to follow it.
public struct RewardWeights: Sendable, Hashable, Codable {
    public var accuracy: Double
    public var format: Double
    public var language: Double

    public init(accuracy: Double = 1.0, format: Double = 0.1, language: Double = 0.1) {
        self.accuracy = accuracy
        self.format = format
        self.language = language
    }

    public static let `default` = RewardWeights()

    /// The weighted mean of the three components (0 when every weight is 0).
    public func combine(accuracy a: Double, format f: Double, language l: Double) -> Double {
        let total = accuracy + format + language
        guard total > 0 else { return 0 }
        return (a * accuracy + f * format + l * language) / total
    }
}

/// How a completion is scored: the combined reward's weights and the reasoning's language.
public struct ScoringOptions: Sendable, Hashable {
    public var weights: RewardWeights
    public var script: Script

    public init(weights: RewardWeights = .default, script: Script = .latin) {
        self.weights = weights
        self.script = script
    }
}

/// Every reward of one completion, kept apart so experiments can report each.
public struct Score: Sendable, Hashable, Codable {
    /// 1 when the verifier accepts the extracted answer, else 0.
    public var accuracy: Double
    /// R1-style strict format: reasoning, `</think>`, exactly one `<answer>…</answer>`.
    public var format: Double
    /// Partial credit per correctly used tag (0, 0.25, …, 1).
    public var tagCount: Double
    /// Share of the reasoning's letters written in the target script.
    public var language: Double
    /// TinyZero's outcome reward: 1.0 correct, 0.1 answer tag present but wrong, 0 no tag.
    public var tinyZero: Double
    /// The weighted combination of accuracy, format and language (see `RewardWeights`).
    public var combined: Double
    /// The answer the verifier judged, if one was found.
    public var answer: ExtractedAnswer?
    /// The verifier's verdict; `.invalid` with a reason when no answer was found.
    public var verdict: Verdict

    public init(accuracy: Double, format: Double, tagCount: Double, language: Double,
                tinyZero: Double, combined: Double, answer: ExtractedAnswer?, verdict: Verdict) {
        self.accuracy = accuracy
        self.format = format
        self.tagCount = tagCount
        self.language = language
        self.tinyZero = tinyZero
        self.combined = combined
        self.answer = answer
        self.verdict = verdict
    }

    /// Why accuracy is 0 (nil when the answer is correct).
    public var failure: String? { verdict.reason }
}
