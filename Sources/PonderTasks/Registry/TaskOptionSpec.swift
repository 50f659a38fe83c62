import Foundation

/// The declaration of one task option: its name, type, allowed values, default and help.
///
/// The shape follows PonderSearch's `ParameterSpec` (`.int(name, range, default:, help)`),
/// with the kinds tasks need on top: integer ranges (`numbers: [3, 4]`), field-name lists and
/// files. It lives here rather than reusing `ParameterSpec` because PonderTasks sits below
/// PonderSearch and does not import it.
public struct TaskOptionSpec: Sendable, Equatable {
    /// What values an option accepts.
    public enum Kind: Sendable, Equatable {
        /// A whole number in the range.
        case int(ClosedRange<Int>)
        /// A finite real number in the range.
        case double(ClosedRange<Double>)
        /// `true` or `false`.
        case bool
        /// One of the listed strings.
        case choice([String])
        /// Any string (`""` included).
        case text
        /// `[lo, hi]` with both ends in the range and lo ≤ hi; with `single`, one number `n`
        /// (meaning `[n, n]`) as well.
        case range(ClosedRange<Int>, single: Bool)
        /// A field name, or a non-empty list of names (the first present one wins).
        case names
        /// The path of an existing file, relative to the working directory. A run id takes
        /// the file's content hash, not its path.
        case file
    }

    /// The name configs use (snake_case).
    public var name: String
    /// Type and range.
    public var kind: Kind
    /// The value used when a config omits the option; nil when it has none (then the option
    /// is absent, or, when `required`, an error).
    public var defaultValue: TaskOptionValue?
    /// Whether a config must give the option.
    public var required: Bool
    /// One line for `ponder tasks list` and error messages.
    public var help: String

    /// An option with every field given.
    public init(name: String, kind: Kind, defaultValue: TaskOptionValue?, required: Bool = false, help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.required = required
        self.help = help
    }

    /// A whole-number option in `range`.
    public static func int(_ name: String, _ range: ClosedRange<Int>, default value: Int, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .int(range), defaultValue: .int(value), help: help)
    }
    /// A real option in `range`.
    public static func double(_ name: String, _ range: ClosedRange<Double>, default value: Double, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .double(range), defaultValue: .double(value), help: help)
    }
    /// A boolean option.
    public static func bool(_ name: String, default value: Bool, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .bool, defaultValue: .bool(value), help: help)
    }
    /// An option taking one of `choices`.
    public static func choice(_ name: String, _ choices: [String], default value: String, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .choice(choices), defaultValue: .string(value), help: help)
    }
    /// A free-text option.
    public static func text(_ name: String, default value: String, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .text, defaultValue: .string(value), help: help)
    }
    /// An integer-range option (`[lo, hi]`, or `n` for `[n, n]` when `single`).
    public static func range(_ name: String, within bounds: ClosedRange<Int>, default value: ClosedRange<Int>,
                             single: Bool = false, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .range(bounds, single: single), defaultValue: .range(value), help: help)
    }
    /// A field-name option (one name or a list of candidates).
    public static func names(_ name: String, default value: [String], _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .names, defaultValue: .strings(value), help: help)
    }
    /// A file option; without `required` it has no default and may be left out.
    public static func file(_ name: String, required: Bool = false, _ help: String) -> TaskOptionSpec {
        TaskOptionSpec(name: name, kind: .file, defaultValue: nil, required: required, help: help)
    }

    /// Human-readable allowed values ("an integer in 1...1024").
    public var allowed: String {
        switch kind {
        case .int(let r): "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .double(let r): "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: "true or false"
        case .choice(let c): "one of " + c.joined(separator: ", ")
        case .text: "a string"
        case .range(let r, let single):
            (single ? "a whole number or " : "") + "`[min, max]` with \(r.lowerBound) ≤ min ≤ max ≤ \(r.upperBound)"
        case .names: "a field name or a list of names"
        case .file: "the path of an existing file"
        }
    }

    /// An example of a valid value, for fixes.
    var example: String {
        switch kind {
        case .int(let r): String(r.lowerBound)
        case .double(let r): String(r.lowerBound)
        case .bool: "true"
        case .choice(let c): c.first ?? ""
        case .text: "\"text\""
        case .range(let r, _): "[\(r.lowerBound), \(r.upperBound)]"
        case .names: "[question, problem]"
        case .file: "data/problems.jsonl"
        }
    }

    /// Checks `value` and returns its canonical form (`3` → `[3, 3]` for a range, a name →
    /// `[name]`, an integer → a real for a real option).
    /// - Throws: `TaskOptionError` at `options.NAME` saying what is allowed.
    public func validate(_ value: TaskOptionValue) throws -> TaskOptionValue {
        let bad = TaskOptionError(key: "options.\(name)", problem: "`\(value)` is not \(allowed).",
                                  fix: "write e.g. `\(name): \(example)`; \(help).")
        switch (kind, value) {
        case let (.int(range), _):
            guard let i = value.intValue, range.contains(i) else { throw bad }
            return .int(i)
        case let (.double(range), _):
            guard let d = value.doubleValue, d.isFinite, range.contains(d) else { throw bad }
            return .double(d)
        case (.bool, .bool), (.text, .string):
            return value
        case let (.choice(choices), .string(s)):
            guard choices.contains(s) else { throw bad }
            return value
        case let (.range(bounds, single), _):
            if single, let n = value.intValue, bounds.contains(n) { return .range(n...n) }
            guard case .list(let items) = value, items.count == 2, let lo = items[0].intValue,
                  let hi = items[1].intValue, lo <= hi, bounds.contains(lo), bounds.contains(hi) else { throw bad }
            return .range(lo...hi)
        case (.names, .string(let s)) where !s.isEmpty:
            return .strings([s])
        case (.names, .list(let items)):
            let names = items.compactMap(\.stringValue).filter { !$0.isEmpty }
            guard !names.isEmpty, names.count == items.count else { throw bad }
            return .strings(names)
        case (.file, .string(let s)) where !s.isEmpty:
            return value
        default:
            throw bad
        }
    }
}
