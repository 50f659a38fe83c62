import Foundation

/// Which JSONL fields hold what. Each entry lists candidate names; the first one present on
/// a line wins, so one setting reads GSM8K, MATH and MATH-500 alike.
public struct MathFields: Sendable, Hashable, Codable {
    /// The question text (GSM8K `question`, MATH `problem`).
    public var question: [String]
    /// A final answer (MATH-500 `answer`) or GSM8K's worked answer ending in `#### 42`.
    public var answer: [String]
    /// A worked solution whose last `\boxed{…}` is the answer (MATH `solution`).
    public var solution: [String]
    /// A stable problem id (MATH-500 `unique_id`); without one, `file-stem:line`.
    public var id: [String]
    /// A difficulty level (MATH `level`: `3` or `"Level 3"`).
    public var level: [String]

    public init(question: [String] = ["question", "problem"], answer: [String] = ["answer"],
                solution: [String] = ["solution"], id: [String] = ["id", "unique_id"],
                level: [String] = ["level"]) {
        self.question = question
        self.answer = answer
        self.solution = solution
        self.id = id
        self.level = level
    }
}

/// Math word problems loaded from JSONL, for real checkpoints: GSM8K style (`question`,
/// `answer` ending in `#### 42`) and MATH / MATH-500 style (`problem`, `solution` with
/// `\boxed{…}`, optional `answer`).
///
/// Answers are found by `MathAnswerExtraction.extract` (answer tag, then `\boxed{}`, then
/// the last number) and judged by `MathAnswerNormalization.equivalent`. Steps are separated
/// by a blank line, the convention of search-and-learn's step-level search.
public struct JSONLMathTask: ReasoningTask {
    /// DeepSeek's recommended instruction for R1-Distill models on math.
    public static let boxedInstruction = "Please reason step by step, and put your final answer within \\boxed{}."

    public let name: String
    public let stepSeparator = "\n\n"
    /// The loaded problems, in file order.
    public let loadedProblems: [Problem]
    /// Appended to the question on its own line in the user message (nil: the bare question).
    public let instruction: String?

    public init(name: String = "math", problems: [Problem], instruction: String? = JSONLMathTask.boxedInstruction) {
        self.name = name
        self.loadedProblems = problems
        self.instruction = instruction
    }

    /// Loads `url` as the problems of `split` and builds the task around them.
    public init(name: String = "math", loading url: URL, split: Split, fields: MathFields = MathFields(),
                instruction: String? = JSONLMathTask.boxedInstruction) throws {
        self.init(name: name, problems: try Self.loadJSONL(url, split: split, fields: fields),
                  instruction: instruction)
    }

    public func problems(split: Split, count: Int?, seed: UInt64) throws -> [Problem] {
        try loadedProblems.selecting(split: split, count: count, task: name)
    }

    public func userMessage(for problem: Problem) throws -> String {
        let question = try parts(problem).question
        guard let instruction else { return question }
        return question + "\n" + instruction
    }

    /// The bare question.
    public func compactQuestion(for problem: Problem) throws -> String {
        try parts(problem).question
    }

    public func extractAnswer(from completion: String) -> ExtractedAnswer? {
        MathAnswerExtraction.extract(from: completion)
    }

    public func verify(answer: String, for problem: Problem) -> Verdict {
        guard case .math(_, let reference, _) = problem.content else {
            return .invalid(reason: "problem '\(problem.id)' is not a math problem")
        }
        let normalized = MathAnswerNormalization.normalize(answer)
        if normalized.isEmpty { return .invalid(reason: "empty answer") }
        if MathAnswerNormalization.equivalent(answer, reference) { return .correct }
        return .incorrect(reason: "'\(normalized)' does not match the reference '\(MathAnswerNormalization.normalize(reference))'")
    }

    /// The dataset's worked solution as reasoning (paragraphs as steps; GSM8K's calculator
    /// annotations `<<48/2=24>>` removed) and its final answer; nil without a solution.
    public func referenceCompletion(for problem: Problem, startsInsideThink: Bool) throws -> String? {
        let (_, answer, solution) = try parts(problem)
        guard let solution else { return nil }
        var steps = solution.split(separator: "\n\n").map { String($0).trimmingWhitespace() }
        if steps.count <= 1 {
            steps = solution.split(separator: "\n").map { String($0).trimmingWhitespace() }
        }
        steps = steps.filter { !$0.isEmpty }
        guard !steps.isEmpty else { return nil }
        return formatCompletion(steps: steps, answer: answer, startsInsideThink: startsInsideThink)
    }

    /// Reads one problem per line.
    /// - Throws: `TaskError.malformedLine` (`file:line`) when the question is missing, no
    ///   answer can be found (no answer field, no `#### …`, no `\boxed{…}` in the solution),
    ///   a field has the wrong type, or an id repeats.
    public static func loadJSONL(_ url: URL, split: Split, fields: MathFields = MathFields()) throws -> [Problem] {
        let stem = url.deletingPathExtension().lastPathComponent
        var seen: [String: Int] = [:]
        return try JSONLReader.read(url).map { line in
            func first(_ names: [String]) throws -> String? {
                for name in names { if let value = try line.optionalText(name) { return value } }
                return nil
            }
            guard let question = try first(fields.question) else {
                throw line.error("missing the question: expected one of the fields \(quoted(fields.question))")
            }
            var solution = try first(fields.solution)
            let answer: String
            if let given = try first(fields.answer) {
                if given.contains("####") {
                    guard let final = MathAnswerExtraction.gsm8kFinal(given) else {
                        throw line.error("the answer has '####' but nothing after it; GSM8K answers end in '#### 42'")
                    }
                    answer = final
                    if solution == nil, let marker = given.ranges(of: "####").last {
                        solution = removeCalculatorAnnotations(String(given[..<marker.lowerBound]))
                    }
                } else {
                    answer = MathAnswerExtraction.lastBoxed(in: given) ?? given.trimmingWhitespace()
                }
            } else if let solution {
                guard let boxed = MathAnswerExtraction.lastBoxed(in: solution) else {
                    throw line.error("no answer: the solution has no \\boxed{…} and there is no \(quoted(fields.answer)) field")
                }
                answer = boxed.trimmingWhitespace()
            } else {
                throw line.error("no answer: expected a field \(quoted(fields.answer)) (a final answer, or GSM8K text ending in '#### 42') or \(quoted(fields.solution)) containing \\boxed{…}")
            }
            guard !answer.isEmpty else { throw line.error("the reference answer is empty") }
            var bin = "unknown"
            for name in fields.level {
                guard let value = line.optional(name) else { continue }
                if let level = value.integerValue {
                    bin = "level \(level)"
                } else if let text = value.textValue {
                    bin = text.lowercased()
                }
                break
            }
            let id = try first(fields.id) ?? "\(stem):\(line.number)"
            if let previous = seen[id] {
                throw line.error("id \"\(id)\" already used on line \(previous); ids must be unique")
            }
            seen[id] = line.number
            return Problem(id: id, split: split, difficulty: Difficulty(bin: bin),
                           content: .math(question: question, answer: answer, solution: solution))
        }
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: " or ")
    }

    /// Removes GSM8K's `<<48/2=24>>` calculator annotations.
    static func removeCalculatorAnnotations(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "<<"), let close = rest[open.upperBound...].firstRange(of: ">>") {
            out += rest[..<open.lowerBound]
            rest = rest[close.upperBound...]
        }
        return (out + rest).trimmingWhitespace()
    }

    private func parts(_ problem: Problem) throws -> (question: String, answer: String, solution: String?) {
        guard case .math(let question, let answer, let solution) = problem.content else {
            throw TaskError.wrongProblemKind(task: name, problemID: problem.id)
        }
        return (question, answer, solution)
    }
}
