import Foundation

/// Where a config value came from: the file that set it (after `extends:` merging) and its line.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file path as the user would type it.
    public var file: String
    /// 1-based line, when the YAML parser reported one.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String {
        line.map { "\(file):\($0)" } ?? file
    }
}

/// One problem found in a config: where, which key, what is wrong, and how to fix it.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file (and line) responsible for the value.
    public var location: SourceLocation
    /// The key path, e.g. `strategies[2].params.c_puct`; empty for the whole file.
    public var keyPath: String
    /// What is wrong.
    public var problem: String
    /// How to fix it.
    public var fix: String

    public init(location: SourceLocation, keyPath: String, problem: String, fix: String) {
        self.location = location
        self.keyPath = keyPath
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let key = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(location):\(key) \(problem) Fix: \(fix)"
    }
}

/// A config that cannot be used, with every issue found (validation does not stop at the first).
public struct ExperimentConfigError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// All issues, in the order they were found.
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) {
        self.issues = issues
    }

    public init(_ issue: ConfigIssue) {
        self.issues = [issue]
    }

    public var description: String {
        if issues.count == 1 { return "invalid experiment config: \(issues[0])" }
        let lines = issues.map { "  - \($0)" }.joined(separator: "\n")
        return "invalid experiment config (\(issues.count) problems):\n\(lines)"
    }

    public var errorDescription: String? { description }
}

/// "Did you mean" suggestions by edit distance, for unknown keys and names.
public enum Suggestion {
    /// The closest candidate to `word`, if it is close enough to be a plausible typo.
    ///
    /// Close enough means an edit distance of at most a third of the word's length (at least 2,
    /// at most 3) and less than half the candidate's length, compared case-insensitively with
    /// `-` and `_` treated alike.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let normalized = normalize(word)
        let limit = min(3, max(2, normalized.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(normalized, normalize(candidate))
            if distance <= limit, 2 * distance < candidate.count, distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// A fix sentence: "did you mean `x`?" when a close candidate exists, else the full list.
    public static func fixText(for word: String, in candidates: [String], what: String) -> String {
        let list = candidates.sorted().map { "`\($0)`" }.joined(separator: ", ")
        if let near = closest(to: word, in: candidates) {
            return "did you mean `\(near)`? Known \(what): \(list)."
        }
        return "use one of the known \(what): \(list)."
    }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let left = Array(a), right = Array(b)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                let substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    private static func normalize(_ word: String) -> String {
        word.lowercased().replacingOccurrences(of: "-", with: "_")
    }
}
