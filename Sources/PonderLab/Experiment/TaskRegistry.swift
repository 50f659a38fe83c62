import Foundation
import PonderTasks

/// The tasks a config (or `ponder rejection-sample`) can name, with their options.
///
/// | task | options |
/// |---|---|
/// | `countdown` | `style`, `file` (JSONL of `{"numbers": […], "target": N}`), `numbers` (count, or `[min, max]`), `number_range` `[lo, hi]`, `target_range` `[lo, hi]`, `held_out_share`, `holdout_seed` |
/// | `multiplication` | `style`, `digits` (count, or `[min, max]`), `test_share`, `holdout_seed` |
/// | `gsm8k`, `math` | `style`, `file` (required), `question_field`, `answer_field`, `solution_field`, `id_field`, `level_field`, `instruction` (`""` for none) |
///
/// `style` is `compact` (default for the generated tasks), `r1-zero` (default for the JSONL
/// math tasks) or `chat` (through the model's chat template). File paths are relative to the
/// working directory. Problems of a JSONL file belong to whichever split the config names.
public struct TaskRegistry: TaskCatalog {
    /// Relative `file` options are resolved against this folder.
    public var workingDirectory: URL

    /// A registry resolving relative paths against `workingDirectory`.
    public init(workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.workingDirectory = workingDirectory
    }

    /// The task names configs may use.
    public var taskNames: [String] { ["countdown", "gsm8k", "math", "multiplication"] }

    static let styles = ["compact", "r1-zero", "chat"]
    static let mathFieldKeys = ["question_field", "answer_field", "solution_field", "id_field", "level_field"]

    /// The option keys `task` accepts.
    public static func optionKeys(for task: String) -> [String] {
        switch task {
        case "countdown":
            return ["style", "file", "numbers", "number_range", "target_range", "held_out_share", "holdout_seed"]
        case "multiplication":
            return ["style", "digits", "test_share", "holdout_seed"]
        default:
            return ["style", "file", "instruction"] + mathFieldKeys
        }
    }

    /// Every problem with the split and options, found without loading or generating anything
    /// except reading that a `file` exists.
    public func validate(task: String, split: String, options: [String: ConfigValue]) -> [ParameterIssue] {
        var issues: [ParameterIssue] = []
        if Split(rawValue: split) == nil {
            issues.append(ParameterIssue(key: "split", problem: "`\(split)` is not a split.",
                                         fix: "use `train` or `test`."))
        }
        let known = Self.optionKeys(for: task)
        for key in options.keys.sorted() where !known.contains(key) {
            issues.append(ParameterIssue(key: "options.\(key)", problem: "`\(task)` has no option `\(key)`.",
                                         fix: Suggestion.fixText(for: key, in: known, what: "\(task) options")))
        }
        do {
            _ = try TaskOptions(task: task, options: options.filter { known.contains($0.key) },
                                workingDirectory: workingDirectory)
        } catch let error as TaskOptionError {
            issues.append(ParameterIssue(key: error.key, problem: error.problem, fix: error.fix))
        } catch {
            issues.append(ParameterIssue(key: "options", problem: "\(error)", fix: "check the task's options."))
        }
        return issues
    }

    /// Builds the task: generates or loads nothing yet (problems come from
    /// `ExperimentTask.problems`), but reads a JSONL `file` and checks every option.
    /// - Parameter chatRenderer: renders a user message through the model's chat template;
    ///   required for `style: chat`.
    public func make(task name: String, split: String, options: [String: ConfigValue],
                     chatRenderer: (@Sendable (String) throws -> String)?) throws -> ExperimentTask {
        guard taskNames.contains(name) else {
            throw TaskOptionError(key: "name", problem: "unknown task `\(name)`.",
                                  fix: Suggestion.fixText(for: name, in: taskNames, what: "tasks"))
        }
        guard let split = Split(rawValue: split) else {
            throw TaskOptionError(key: "split", problem: "`\(split)` is not a split.", fix: "use `train` or `test`.")
        }
        let known = Self.optionKeys(for: name)
        if let unknown = options.keys.sorted().first(where: { !known.contains($0) }) {
            throw TaskOptionError(key: "options.\(unknown)", problem: "`\(name)` has no option `\(unknown)`.",
                                  fix: Suggestion.fixText(for: unknown, in: known, what: "\(name) options"))
        }
        let parsed = try TaskOptions(task: name, options: options, workingDirectory: workingDirectory)
        let style: PromptStyle
        switch parsed.style {
        case "chat":
            guard let chatRenderer else {
                throw TaskOptionError(key: "options.style", problem: "style `chat` needs the model's chat template, and the model has none.",
                                      fix: "use `style: compact` or `style: r1-zero`, or a checkpoint with a chat_template.")
            }
            style = .chat(render: chatRenderer)
        default:
            style = try PromptStyle(name: parsed.style)
        }
        let task: any ReasoningTask
        switch name {
        case "countdown":
            if let file = parsed.file {
                task = CountdownTask(problems: try CountdownTask.loadJSONL(file, split: split))
            } else {
                task = try CountdownTask(config: parsed.countdown)
            }
        case "multiplication":
            task = try MultiplicationTask(config: parsed.multiplication)
        default:
            guard let file = parsed.file else {
                throw TaskOptionError(key: "options.file", problem: "`\(name)` reads its problems from a JSONL file.",
                                      fix: "add `file: path/to/\(name).jsonl` under `task.options`.")
            }
            task = try JSONLMathTask(name: name, loading: file, split: split, fields: parsed.mathFields,
                                     instruction: parsed.instruction)
        }
        return ExperimentTask(task: task, style: style, split: split)
    }
}

/// A bad task setting: the key (relative to the config's `task` section, e.g. `options.file`),
/// what is wrong and the fix.
public struct TaskOptionError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The key path below `task`, e.g. `options.file` or `split`.
    public var key: String
    /// What is wrong.
    public var problem: String
    /// How to fix it.
    public var fix: String

    /// An error at `key` with its problem and fix.
    public init(key: String, problem: String, fix: String) {
        self.key = key
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "task.\(key): \(problem) Fix: \(fix)" }
    public var errorDescription: String? { description }
}
