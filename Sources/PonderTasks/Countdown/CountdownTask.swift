import Foundation

/// Countdown: reach a target from a few numbers with + − × ÷.
///
/// **Rules** (one explicit set, Stream of Search's): use every given number exactly once;
/// every intermediate value must be a non-negative integer — subtraction is larger minus
/// smaller, division only when exact (never by zero).
///
/// **Target format.** Reasoning holds one step per line, `a op b = c` (ASCII operators,
/// larger operand first), inside `<think>…</think>`; the answer is the whole expression:
///
///     <think>
///     7 - 5 = 2
///     3 * 2 = 6
///     6 * 4 = 24
///     </think>
///     <answer>3 * (7 - 5) * 4</answer>
///
/// The verifier parses the answer with `CountdownParser` (no `eval`; see there for what is
/// accepted), checks the multiset of numbers and the integer rule with the expression's own
/// grouping, and compares the value with the target. Step lines are not checked: they are
/// the model's scratch work, and only the answer is scored.
public struct CountdownTask: ReasoningTask {
    public let name = "countdown"
    public let stepSeparator = "\n"
    /// The generator's problem space (ignored when problems were loaded).
    public let config: CountdownConfig
    /// Problems loaded from JSONL, if the task was built from a file.
    public let loadedProblems: [Problem]?

    /// A generating task.
    /// - Throws: `TaskError.invalidConfiguration` when `config` is out of range.
    public init(config: CountdownConfig = CountdownConfig()) throws {
        try config.validate()
        self.config = config
        self.loadedProblems = nil
    }

    /// A task over problems loaded elsewhere (e.g. with `loadJSONL`).
    public init(problems: [Problem]) {
        self.config = CountdownConfig()
        self.loadedProblems = problems
    }

    public func problems(split: Split, count: Int?, seed: UInt64) throws -> [Problem] {
        guard let loadedProblems else {
            guard let count else {
                throw TaskError.invalidConfiguration(
                    "countdown generates problems on demand; say how many (count) rather than all")
            }
            return try CountdownGenerator(config: config).problems(split: split, count: count, seed: seed)
        }
        return try loadedProblems.selecting(split: split, count: count, task: "countdown")
    }

    public func userMessage(for problem: Problem) throws -> String {
        let (numbers, target) = try countdown(problem)
        let list = numbers.map(String.init).joined(separator: ", ")
        return "Using the numbers [\(list)], create an equation that equals \(target). "
            + "Use every number exactly once, with +, -, * and / and parentheses; every intermediate result must be a whole number that is not negative. "
            + "Write one step per line as \"a op b = c\", and give the final equation in <answer> </answer> tags, for example <answer> (1 + 2) * 3 </answer>."
    }

    /// `"3 5 7 2 -> 24"`: the numbers, an arrow, the target.
    public func compactQuestion(for problem: Problem) throws -> String {
        let (numbers, target) = try countdown(problem)
        return numbers.map(String.init).joined(separator: " ") + " -> " + String(target)
    }

    /// The trimmed content of the last `<answer>` tag.
    public func extractAnswer(from completion: String) -> ExtractedAnswer? {
        guard let raw = CompletionParts(completion).lastAnswer else { return nil }
        return ExtractedAnswer(text: raw.trimmingWhitespace(), source: .answerTag)
    }

    public func verify(answer: String, for problem: Problem) -> Verdict {
        guard case .countdown(let numbers, let target) = problem.content else {
            return .invalid(reason: "problem '\(problem.id)' is not a countdown problem")
        }
        let expression: CountdownExpression
        let claimed: Int?
        switch CountdownParser.parse(answer) {
        case .failure(let failure): return .invalid(reason: failure.description)
        case .success(let parsed): (expression, claimed) = parsed
        }
        if let mismatch = Self.numberMismatch(used: expression.numbers, given: numbers) {
            return .invalid(reason: mismatch)
        }
        switch expression.evaluate() {
        case .failure(let violation):
            return .invalid(reason: violation.description)
        case .success(let value):
            if let claimed, claimed != value {
                return .invalid(reason: "the answer claims = \(claimed) but the expression equals \(value)")
            }
            return value == target ? .correct
                : .incorrect(reason: "the expression equals \(value), not the target \(target)")
        }
    }

    public func referenceCompletion(for problem: Problem, startsInsideThink: Bool) throws -> String? {
        let (numbers, target) = try countdown(problem)
        guard let best = CountdownSolver.solutions(numbers, target: target).first,
              let steps = best.stepLines else { return nil }
        return formatCompletion(steps: steps, answer: best.rendered, startsInsideThink: startsInsideThink)
    }

    /// Builds a problem, computing its difficulty with the solver. The default id is the
    /// content, `countdown:3,5,7,2=24`, stable across runs and seeds.
    public static func makeProblem(numbers: [Int], target: Int, split: Split, id: String?) -> Problem {
        let count = CountdownSolver.solutions(numbers, target: target).count
        let solutionBin: String
        switch count {
        case 0: solutionBin = "unsolvable"
        case 1: solutionBin = "s1"
        case 2...4: solutionBin = "s2-4"
        case 5...15: solutionBin = "s5-15"
        default: solutionBin = "s16+"
        }
        let difficulty = Difficulty(bin: "n\(numbers.count)-\(solutionBin)", solutions: count,
                                    depth: numbers.count - 1)
        let defaultID = "countdown:" + numbers.map(String.init).joined(separator: ",") + "=\(target)"
        return Problem(id: id ?? defaultID, split: split, difficulty: difficulty,
                       content: .countdown(numbers: numbers, target: target))
    }

    /// Loads problems from JSONL lines `{"numbers": [3, 5, 7, 2], "target": 24}` with an
    /// optional `"id"`. Problems unsolvable under Ponder's integer rule (some of TinyZero's
    /// float-evaluated data) are kept with difficulty `…-unsolvable` and no reference.
    /// - Throws: `TaskError.malformedLine` (`file:line`) for a missing or mistyped field,
    ///   fewer than 2 or more than 5 numbers, numbers or target outside 0…1 000 000, or a
    ///   repeated id.
    public static func loadJSONL(_ url: URL, split: Split) throws -> [Problem] {
        var seen: [String: Int] = [:]
        return try JSONLReader.read(url).map { line in
            let numbers = try line.intArray("numbers")
            let target = try line.int("target")
            guard (2...CountdownSolver.maxNumbers).contains(numbers.count) else {
                throw line.error("\"numbers\" has \(numbers.count) entries; countdown needs 2 to \(CountdownSolver.maxNumbers)")
            }
            guard numbers.allSatisfy({ (0...1_000_000).contains($0) }), (0...1_000_000).contains(target) else {
                throw line.error("numbers and target must lie within 0...1000000")
            }
            let problem = makeProblem(numbers: numbers, target: target, split: split,
                                      id: try line.optionalText("id"))
            if let previous = seen[problem.id] {
                throw line.error("id \"\(problem.id)\" already used on line \(previous); ids must be unique")
            }
            seen[problem.id] = line.number
            return problem
        }
    }

    private func countdown(_ problem: Problem) throws -> ([Int], Int) {
        guard case .countdown(let numbers, let target) = problem.content else {
            throw TaskError.wrongProblemKind(task: name, problemID: problem.id)
        }
        return (numbers, target)
    }

    /// Describes how the used numbers differ from the given multiset, or nil if they match.
    static func numberMismatch(used: [Int], given: [Int]) -> String? {
        var givenCounts: [Int: Int] = [:]
        var usedCounts: [Int: Int] = [:]
        for n in given { givenCounts[n, default: 0] += 1 }
        for n in used { usedCounts[n, default: 0] += 1 }
        func times(_ k: Int) -> String { k == 1 ? "once" : k == 2 ? "twice" : "\(k) times" }
        var problems: [String] = []
        for n in Set(given + used).sorted() {
            let g = givenCounts[n] ?? 0
            let u = usedCounts[n] ?? 0
            if g == u { continue }
            if g == 0 {
                problems.append("uses \(n), which is not one of the given numbers")
            } else if u == 0 {
                problems.append("does not use \(n)")
            } else {
                problems.append("uses \(n) \(times(u)) but it is given \(times(g))")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ") + " (every number exactly once)"
    }
}
