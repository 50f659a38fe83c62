import Foundation

/// One problem as search sees it: an identifier and the rendered prompt. Ground truth stays
/// with the task; search reaches it only through an `AnswerChecker`.
public struct SearchProblem: Codable, Sendable, Hashable {
    /// A stable identifier (results are stored per problem).
    public var id: String
    /// The rendered prompt, chat template and any assistant prefill already applied.
    public var prompt: String

    /// A problem with an identifier and a rendered prompt.
    public init(id: String, prompt: String) {
        self.id = id
        self.prompt = prompt
    }
}

/// Whether search may consult the ground-truth checker (see DESIGN.md, "Evaluation modes").
public enum EvaluationMode: String, Codable, Sendable, CaseIterable {
    /// The checker scores only the final answer, outside search (the default).
    case verifierHidden = "verifier-hidden"
    /// Strategies may call the checker during search; every call is charged to the ledger.
    case verifierCharged = "verifier-charged"
}

/// Decides where a reasoning step ends: step-level search generates until `isComplete` holds
/// for the text generated since the step began.
public struct StepSplitter: Sendable {
    /// Whether `stepText` (the text since the step began) completes a step.
    public let isComplete: @Sendable (_ stepText: String) -> Bool

    /// A splitter from a predicate.
    public init(isComplete: @escaping @Sendable (_ stepText: String) -> Bool) {
        self.isComplete = isComplete
    }

    /// A step ends once its text contains one of `delimiters` (search-and-learn uses `"\n\n"`).
    /// Step boundaries fall on token boundaries, so a token that carries a delimiter and more
    /// text ends the step with that text included.
    public static func delimiters(_ delimiters: [String]) -> StepSplitter {
        let nonEmpty = delimiters.filter { !$0.isEmpty }
        return StepSplitter { text in nonEmpty.contains { text.contains($0) } }
    }

    /// Splits a whole completion into steps with the same rule generation uses (character by
    /// character, so it also works for predicates that are not delimiter-based).
    public func split(_ completion: String) -> [String] {
        var steps: [String] = []
        var current = ""
        for character in completion {
            current.append(character)
            if isComplete(current) {
                steps.append(current)
                current = ""
            }
        }
        if !current.isEmpty { steps.append(current) }
        return steps
    }
}

/// Pulls the final answer out of a completion (`nil` when there is none). Votes group
/// candidates by the extracted string, so an extractor should normalize (trim, canonicalize).
public struct AnswerExtractor: Sendable {
    /// The extraction rule.
    public let extract: @Sendable (_ completion: String) -> String?

    /// An extractor from a closure.
    public init(_ extract: @escaping @Sendable (_ completion: String) -> String?) {
        self.extract = extract
    }

    /// The trimmed text after the last occurrence of `marker` (e.g. `"Answer:"`), up to the end
    /// of that line.
    public static func after(_ marker: String) -> AnswerExtractor {
        AnswerExtractor { completion in
            guard let range = completion.range(of: marker, options: .backwards) else { return nil }
            let rest = completion[range.upperBound...]
            let line = rest.split(separator: "\n", omittingEmptySubsequences: false).first ?? rest[...]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}

/// The task's ground-truth check for one problem. In verifier-hidden mode search never calls
/// it; in verifier-charged mode every call goes through `SearchContext.check` and is charged.
public protocol AnswerChecker {
    /// Whether `completion` (with its extracted `answer`) solves the problem.
    func check(completion: String, answer: String?) -> Bool
}

/// An `AnswerChecker` from a closure.
public struct CheckerFunction: AnswerChecker {
    private let body: (String, String?) -> Bool
    /// Wraps `body(completion, answer)`.
    public init(_ body: @escaping (_ completion: String, _ answer: String?) -> Bool) { self.body = body }
    public func check(completion: String, answer: String?) -> Bool { body(completion, answer) }
}

/// The task's pieces a search needs, passed as values so that this layer never imports a task
/// module: how to split steps, how to extract an answer, and (for verifier-charged runs and
/// for scoring) the checker.
public struct TaskHooks {
    /// Step boundaries; `nil` means "the policy's step delimiters".
    public var stepSplitter: StepSplitter?
    /// The answer extraction rule.
    public var answerExtractor: AnswerExtractor
    /// The ground-truth checker for this problem, if the task gives one.
    public var checker: (any AnswerChecker)?

    /// Hooks with every field given.
    public init(stepSplitter: StepSplitter? = nil, answerExtractor: AnswerExtractor,
                checker: (any AnswerChecker)? = nil) {
        self.stepSplitter = stepSplitter
        self.answerExtractor = answerExtractor
        self.checker = checker
    }
}
