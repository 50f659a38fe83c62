/// Which part of a task's problems a problem belongs to.
///
/// Generated tasks keep the two splits disjoint by construction (Countdown holds out whole
/// targets, Multiplication holds out operand pairs by a stable hash), so an evaluation on
/// `test` never sees a training problem.
public enum Split: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case train
    case test

    public var description: String { rawValue }

    /// A fixed label for deriving per-split random streams (`SeededRNG.derived`).
    var streamLabel: UInt64 { self == .train ? 0x7472_6169_6E : 0x7465_7374 }
}

/// How hard a problem is, in a task's own terms, plus a bin label for grouping statistics.
///
/// - Countdown: `solutions` is the number of distinct solutions (see `CountdownSolver`) and
///   `depth` the number of operations a solution takes (numbers − 1, the depth of the
///   search tree). Bins read `n4-s1`, `n4-s2-4`, `n4-s5-15`, `n4-s16+`.
/// - Multiplication: `depth` is the number of reasoning lines of the reference
///   decomposition; bins read `3x2` (digits of a × digits of b).
/// - JSONL math: the dataset's own level if it has one (`level 3`), else `unknown`.
public struct Difficulty: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A short label used to group acceptance and accuracy statistics.
    public var bin: String
    /// The number of distinct solutions, where the task can count them.
    public var solutions: Int?
    /// The number of steps a solution takes, where the task knows it.
    public var depth: Int?

    public init(bin: String, solutions: Int? = nil, depth: Int? = nil) {
        self.bin = bin
        self.solutions = solutions
        self.depth = depth
    }

    public var description: String {
        var parts = [bin]
        if let solutions { parts.append("\(solutions) solution\(solutions == 1 ? "" : "s")") }
        if let depth { parts.append("depth \(depth)") }
        return parts.joined(separator: ", ")
    }
}

/// What a problem asks, per task. Kept as data (not a class hierarchy) so problems are
/// `Codable` and can be stored in a results database and reloaded. The built-in tasks have
/// their own cases; a task written outside Ponder stores its own `Codable` value in
/// `custom` (see `Problem.init(id:split:difficulty:payload:)` and `Problem.payload(as:)`).
public enum ProblemContent: Sendable, Hashable, Codable {
    /// Reach `target` from `numbers` (each used once) with + − × ÷ and integer intermediates.
    case countdown(numbers: [Int], target: Int)
    /// Compute `a × b` exactly.
    case multiplication(a: Int, b: Int)
    /// A free-text math question with its reference final answer (already extracted from
    /// `#### 42` or `\boxed{…}`) and, when the dataset has one, a worked solution.
    case math(question: String, answer: String, solution: String?)
    /// Any other task's problem: its own `Codable` value, stored as canonical JSON.
    case custom(ProblemPayload)
}

/// One problem of a task: a stable id, its split, its difficulty and its content.
public struct Problem: Sendable, Hashable, Codable, Identifiable {
    /// Stable across runs and seeds: derived from the content for generated problems,
    /// taken from the file (or `file:line`) for loaded ones. Results and resume key on it.
    public var id: String
    public var split: Split
    public var difficulty: Difficulty
    public var content: ProblemContent

    public init(id: String, split: Split, difficulty: Difficulty, content: ProblemContent) {
        self.id = id
        self.split = split
        self.difficulty = difficulty
        self.content = content
    }
}

extension Array where Element == Problem {
    /// The problems of `split` among these loaded ones: all of them, or the first `count`
    /// in file order (so a smaller run is a prefix of a larger one).
    /// - Throws: `TaskError.invalidConfiguration` naming `task` when fewer than `count` were loaded.
    func selecting(split: Split, count: Int?, task: String) throws -> [Problem] {
        let matching = filter { $0.split == split }
        guard let count else { return matching }
        guard count <= matching.count else {
            throw TaskError.invalidConfiguration(
                "asked for \(count) \(task) \(split) problems but only \(matching.count) were loaded; ask for fewer or load a larger file")
        }
        return Array(matching.prefix(count))
    }
}
