import Foundation

/// A registry entry: a task's name, its typed options and how to build it. The task-layer
/// twin of PonderSearch's `StrategyDescriptor`: configs (`ponder run`, `ponder train`),
/// `ponder rejection-sample` and `ponder tasks sample` all build tasks through it.
public struct TaskDescriptor: Sendable {
    /// The name configs use (`countdown`).
    public var name: String
    /// One line for listings.
    public var summary: String
    /// Declared options; anything else in a config is an error. Every task also has `style`
    /// (see `styleSpec`), added by the descriptor, so no task declares it.
    public var options: [TaskOptionSpec]
    /// The prompt style used when a config gives none.
    public var defaultStyle: String
    /// Builds the task from validated options.
    public var make: @Sendable (TaskOptions) throws -> any ReasoningTask

    /// The option every task has: how problems become prompts.
    public static let styleOption = "style"
    /// The prompt styles `style` accepts (`chat` renders through the model's chat template).
    public static let styles = ["compact", "r1-zero", "chat"]

    /// A descriptor with every field given.
    public init(name: String, summary: String, defaultStyle: String = "compact", options: [TaskOptionSpec],
                make: @escaping @Sendable (TaskOptions) throws -> any ReasoningTask) {
        self.name = name
        self.summary = summary
        self.defaultStyle = defaultStyle
        self.options = options
        self.make = make
    }

    /// `style` with this task's default.
    public var styleSpec: TaskOptionSpec {
        .choice(Self.styleOption, Self.styles, default: defaultStyle,
                "prompt style: compact (`3 5 7 -> 24`), r1-zero, or chat through the model's template")
    }

    /// Every option a config may give: `style`, then the declared ones.
    public var allOptions: [TaskOptionSpec] { [styleSpec] + options }

    /// Checks every given option on its own, so one report lists every bad option; empty
    /// when they are all fine. Reads nothing but whether a `file` exists.
    public func issues(_ given: [String: TaskOptionValue], workingDirectory: URL) -> [TaskOptionError] {
        let specs = allOptions
        let known = specs.map(\.name)
        var issues: [TaskOptionError] = []
        for key in given.keys.sorted() where !known.contains(key) {
            issues.append(TaskOptionError(key: "options.\(key)", problem: "`\(name)` has no option `\(key)`.",
                                          fix: "use one of: \(known.joined(separator: ", ")) (or remove it)."))
        }
        for spec in specs {
            guard let value = given[spec.name] else {
                if spec.required {
                    issues.append(TaskOptionError(key: "options.\(spec.name)", problem: "`\(name)` needs `\(spec.name)`: \(spec.help).",
                                                  fix: "add `\(spec.name): \(spec.example)` under the task's options."))
                }
                continue
            }
            do {
                let canonical = try spec.validate(value)
                if spec.kind == .file, let path = canonical.stringValue {
                    let url = TaskOptions.resolve(path, in: workingDirectory)
                    if !FileManager.default.fileExists(atPath: url.path) {
                        issues.append(TaskOptionError(key: "options.\(spec.name)", problem: "the file `\(path)` does not exist (looked at \(url.path)).",
                                                      fix: "point `\(spec.name):` at an existing file (relative paths start at the working directory)."))
                    }
                }
            } catch let error as TaskOptionError {
                issues.append(error)
            } catch {
                issues.append(TaskOptionError(key: "options.\(spec.name)", problem: "\(error)", fix: spec.help))
            }
        }
        return issues
    }

    /// Validates `given` and fills in defaults.
    /// - Throws: the first `TaskOptionError` of `issues(_:workingDirectory:)`.
    public func options(_ given: [String: TaskOptionValue], split: Split,
                        workingDirectory: URL) throws -> TaskOptions {
        if let first = issues(given, workingDirectory: workingDirectory).first { throw first }
        var values: [String: TaskOptionValue] = [:]
        for spec in allOptions {
            guard let value = given[spec.name] ?? spec.defaultValue else { continue }
            values[spec.name] = try spec.validate(value)
        }
        return TaskOptions(task: name, split: split, values: values, workingDirectory: workingDirectory)
    }

    /// Every option's default in canonical form (options without one are left out), so that
    /// writing a default out does not change a run id.
    public var defaults: [String: TaskOptionValue] {
        var values: [String: TaskOptionValue] = [:]
        for spec in allOptions {
            if let value = spec.defaultValue, let canonical = try? spec.validate(value) { values[spec.name] = canonical }
        }
        return values
    }

    /// Builds the task: validates, fills defaults, then calls `make`. A task configuration's
    /// own range check (`TaskError`) comes back as a `TaskOptionError` at `options`.
    public func build(_ given: [String: TaskOptionValue], split: Split,
                      workingDirectory: URL) throws -> (task: any ReasoningTask, options: TaskOptions) {
        let options = try options(given, split: split, workingDirectory: workingDirectory)
        do {
            return (try make(options), options)
        } catch let error as TaskError {
            throw TaskOptionError(key: "options", problem: error.description + ".",
                                  fix: "adjust the \(name) options to the allowed ranges.")
        }
    }
}
