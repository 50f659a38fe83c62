import Foundation
import PonderTasks

/// Config validation's and the runner's view of PonderTasks' `TaskRegistry`: task names,
/// option checks, the options a run id hashes, and the task an experiment runs.
///
/// Options are whatever the task's `TaskDescriptor` declares (see `ponder tasks list`); the
/// built-ins:
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
public struct TaskRegistryCatalog: TaskCatalog {
    /// The registry consulted.
    public var registry: TaskRegistry
    /// Relative `file` options are resolved against this folder.
    public var workingDirectory: URL

    /// A catalog over `registry` (the built-in tasks by default).
    public init(_ registry: TaskRegistry = .builtIn,
                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.registry = registry
        self.workingDirectory = workingDirectory
    }

    /// The task names configs may use.
    public var taskNames: [String] { registry.names }

    /// Every problem with the split and options, found without loading or generating anything
    /// except reading that a `file` exists; then, when they are all fine, the task is built
    /// once, which catches rules that span options.
    public func validate(task: String, split: String, options: [String: ConfigValue]) -> [ParameterIssue] {
        guard let descriptor = try? registry.descriptor(named: task) else { return [] }
        var issues: [ParameterIssue] = []
        if Split(rawValue: split) == nil {
            issues.append(ParameterIssue(key: "split", problem: "`\(split)` is not a split.", fix: "use `train` or `test`."))
        }
        let known = descriptor.allOptions.map(\.name)
        var given: [String: TaskOptionValue] = [:]
        for key in options.keys.sorted() {
            guard let raw = options[key] else { continue }
            if !known.contains(key) {
                issues.append(ParameterIssue(key: "options.\(key)", problem: "`\(task)` has no option `\(key)`.",
                                             fix: Suggestion.fixText(for: key, in: known, what: "\(task) options")))
            } else if let value = Self.optionValue(raw) {
                given[key] = value
            } else {
                issues.append(ParameterIssue(key: "options.\(key)", problem: "expected a scalar or a list of scalars, found \(raw.typeName).",
                                             fix: "task options are flat: write `\(key): value` or `\(key): [a, b]`."))
            }
        }
        for issue in descriptor.issues(given, workingDirectory: workingDirectory) where known.contains(issue.optionName ?? "") {
            issues.append(ParameterIssue(key: issue.key, problem: issue.problem, fix: issue.fix))
        }
        guard issues.isEmpty else { return issues }
        do {
            _ = try descriptor.build(given, split: Split(rawValue: split) ?? .test, workingDirectory: workingDirectory)
        } catch let error as TaskOptionError {
            issues.append(ParameterIssue(key: error.key, problem: error.problem, fix: error.fix))
        } catch {
            issues.append(ParameterIssue(key: "options", problem: "\(error)", fix: "check the task's options."))
        }
        return issues
    }

    /// The options as the run id sees them: every default written out (so writing one does
    /// not change the id), and each `file` replaced by `sha256:<hex of its bytes>` (so moving
    /// a dataset keeps the id and editing it changes the id).
    public func identity(task: String, options: [String: ConfigValue]) -> [String: ConfigValue] {
        guard let descriptor = try? registry.descriptor(named: task) else { return options }
        var merged = descriptor.defaults.mapValues(Self.configValue)
        for spec in descriptor.allOptions {
            guard let raw = options[spec.name] else { continue }
            guard let value = Self.optionValue(raw), let canonical = try? spec.validate(value) else {
                merged[spec.name] = raw
                continue
            }
            if spec.kind == .file, let path = canonical.stringValue,
               let digest = try? SHA256.hex(contentsOf: TrialEnvironment.resolve(path, in: workingDirectory)) {
                merged[spec.name] = .string("sha256:" + digest)
            } else {
                merged[spec.name] = Self.configValue(canonical)
            }
        }
        return merged
    }

    /// Builds the task of a validated config, with its prompt style.
    /// - Parameter chatRenderer: renders a user message through the model's chat template;
    ///   required for `style: chat`.
    /// - Throws: `TaskOptionError` naming the bad setting.
    public func make(task name: String, split: String, options: [String: ConfigValue],
                     chatRenderer: (@Sendable (String) throws -> String)?) throws -> ExperimentTask {
        guard let split = Split(rawValue: split) else {
            throw TaskOptionError(key: "split", problem: "`\(split)` is not a split.", fix: "use `train` or `test`.")
        }
        var given: [String: TaskOptionValue] = [:]
        for (key, raw) in options {
            guard let value = Self.optionValue(raw) else {
                throw TaskOptionError(key: "options.\(key)", problem: "expected a scalar or a list of scalars, found \(raw.typeName).",
                                      fix: "task options are flat: write `\(key): value` or `\(key): [a, b]`.")
            }
            given[key] = value
        }
        let built = try registry.make(name, options: given, split: split, workingDirectory: workingDirectory)
        return ExperimentTask(task: built.task, style: try Self.promptStyle(built.options.style, chatRenderer: chatRenderer),
                              split: split)
    }

    /// The prompt style named `name`; `chat` needs `chatRenderer`.
    public static func promptStyle(_ name: String, chatRenderer: (@Sendable (String) throws -> String)?) throws -> PromptStyle {
        guard name == "chat" else { return try PromptStyle(name: name) }
        guard let chatRenderer else {
            throw TaskOptionError(key: "options.style", problem: "style `chat` needs the model's chat template, and the model has none.",
                                  fix: "use `style: compact` or `style: r1-zero`, or a checkpoint with a chat_template.")
        }
        return .chat(render: chatRenderer)
    }

    /// A config value as a task option (nil for maps, null and nested lists).
    public static func optionValue(_ value: ConfigValue) -> TaskOptionValue? {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let items):
            let scalars = items.compactMap { item -> TaskOptionValue? in
                if case .list = item { return nil }
                return optionValue(item)
            }
            return scalars.count == items.count ? .list(scalars) : nil
        case .null, .map: return nil
        }
    }

    /// A task option as a config value.
    public static func configValue(_ value: TaskOptionValue) -> ConfigValue {
        switch value {
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .list(let items): .list(items.map(configValue))
        }
    }
}
