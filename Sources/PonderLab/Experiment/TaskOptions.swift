import Foundation
import PonderTasks

/// A task's `options:` map parsed into the task layer's configurations. Parsing checks types,
/// ranges (through the tasks' own `validate`) and that a `file` exists, so a bad option fails
/// when the config is validated, before any work.
struct TaskOptions {
    var style: String
    var file: URL?
    var countdown = CountdownConfig()
    var multiplication = MultiplicationConfig()
    var mathFields = MathFields()
    var instruction: String? = JSONLMathTask.boxedInstruction

    /// Parses the options of `task` (unknown keys are the caller's concern).
    /// - Throws: `TaskOptionError` naming the first bad option.
    init(task: String, options: [String: ConfigValue], workingDirectory: URL) throws {
        let isMath = task == "gsm8k" || task == "math"
        style = isMath ? "r1-zero" : "compact"
        if let raw = options["style"] {
            guard let text = raw.stringValue, TaskRegistry.styles.contains(text) else {
                throw TaskOptionError(key: "options.style", problem: "`\(raw)` is not a prompt style.",
                                      fix: Suggestion.fixText(for: raw.description, in: TaskRegistry.styles,
                                                              what: "prompt styles"))
            }
            style = text
        }
        if let raw = options["file"] {
            guard let path = raw.stringValue, !path.isEmpty else {
                throw TaskOptionError(key: "options.file", problem: "expected a file path, found \(raw.typeName).",
                                      fix: "write `file: data/\(task).jsonl`.")
            }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : workingDirectory.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw TaskOptionError(key: "options.file", problem: "the file `\(path)` does not exist (looked at \(url.path)).",
                                      fix: "point `file:` at an existing JSONL file (relative paths start at the working directory).")
            }
            file = url
        }
        switch task {
        case "countdown":
            if let counts = try Self.range(options, "numbers", allowSingle: true) { countdown.numberCounts = counts }
            if let range = try Self.range(options, "number_range") { countdown.numberRange = range }
            if let range = try Self.range(options, "target_range") { countdown.targetRange = range }
            if let share = try Self.number(options, "held_out_share") { countdown.heldOutTargetShare = share }
            if let seed = try Self.seed(options, "holdout_seed") { countdown.holdoutSeed = seed }
            try Self.check("countdown") { try countdown.validate() }
        case "multiplication":
            if let digits = try Self.range(options, "digits", allowSingle: true) { multiplication.digits = digits }
            if let share = try Self.number(options, "test_share") { multiplication.testShare = share }
            if let seed = try Self.seed(options, "holdout_seed") { multiplication.holdoutSeed = seed }
            try Self.check("multiplication") { try multiplication.validate() }
        default:
            if options["file"] == nil {
                throw TaskOptionError(key: "options.file", problem: "`\(task)` reads its problems from a JSONL file.",
                                      fix: "add `file: path/to/\(task).jsonl` under `task.options`.")
            }
            func fields(_ key: String, _ current: [String]) throws -> [String] {
                guard let raw = options[key] else { return current }
                if let name = raw.stringValue, !name.isEmpty { return [name] }
                if let list = raw.listValue, !list.isEmpty, list.allSatisfy({ !($0.stringValue ?? "").isEmpty }) {
                    return list.compactMap(\.stringValue)
                }
                throw TaskOptionError(key: "options.\(key)", problem: "expected a field name or a list of names, found \(raw.typeName).",
                                      fix: "write `\(key): question` or `\(key): [question, problem]`.")
            }
            mathFields = MathFields(question: try fields("question_field", mathFields.question),
                                    answer: try fields("answer_field", mathFields.answer),
                                    solution: try fields("solution_field", mathFields.solution),
                                    id: try fields("id_field", mathFields.id),
                                    level: try fields("level_field", mathFields.level))
            if let raw = options["instruction"] {
                guard let text = raw.stringValue else {
                    throw TaskOptionError(key: "options.instruction", problem: "expected a string, found \(raw.typeName).",
                                          fix: "write the instruction in quotes, or `instruction: \"\"` for none.")
                }
                instruction = text.isEmpty ? nil : text
            }
        }
    }

    /// `key: 3` (when `allowSingle`) or `key: [lo, hi]` with lo ≤ hi.
    private static func range(_ options: [String: ConfigValue], _ key: String,
                              allowSingle: Bool = false) throws -> ClosedRange<Int>? {
        guard let raw = options[key] else { return nil }
        if allowSingle, let single = raw.intValue { return single...single }
        if let list = raw.listValue, list.count == 2, let lo = list[0].intValue, let hi = list[1].intValue, lo <= hi {
            return lo...hi
        }
        let form = allowSingle ? "a whole number or `[min, max]`" : "`[min, max]` with min ≤ max"
        throw TaskOptionError(key: "options.\(key)", problem: "`\(raw)` is not \(form).",
                              fix: "write e.g. `\(key): [\(allowSingle ? "3, 4" : "1, 99")]`.")
    }

    private static func number(_ options: [String: ConfigValue], _ key: String) throws -> Double? {
        guard let raw = options[key] else { return nil }
        guard let value = raw.doubleValue, value.isFinite else {
            throw TaskOptionError(key: "options.\(key)", problem: "expected a number, found \(raw.typeName).",
                                  fix: "write a share from 0 up to (not including) 1, e.g. `\(key): 0.1`.")
        }
        return value
    }

    private static func seed(_ options: [String: ConfigValue], _ key: String) throws -> UInt64? {
        guard let raw = options[key] else { return nil }
        guard let value = raw.intValue, value >= 0 else {
            throw TaskOptionError(key: "options.\(key)", problem: "expected a non-negative integer, found `\(raw)`.",
                                  fix: "write e.g. `\(key): 0`.")
        }
        return UInt64(value)
    }

    /// Runs a task configuration's own range check, reporting its message at the options.
    private static func check(_ task: String, _ body: () throws -> Void) throws {
        do { try body() } catch let error as TaskError {
            throw TaskOptionError(key: "options", problem: error.description + ".",
                                  fix: "adjust the \(task) options to the allowed ranges.")
        }
    }
}
