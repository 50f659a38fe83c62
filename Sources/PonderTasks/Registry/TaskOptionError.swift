import Foundation

/// A bad task setting: the key (relative to a config's `task` section, e.g. `options.file`),
/// what is wrong and the fix.
public struct TaskOptionError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The key path below `task`, e.g. `options.file`, `split` or `name`.
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

    /// The option's name when the key is `options.NAME` (configs that write options flat,
    /// like the trainer's `task:` section, report it under their own path).
    public var optionName: String? {
        key.hasPrefix("options.") ? String(key.dropFirst("options.".count)) : nil
    }

    public var description: String { "task.\(key): \(problem) Fix: \(fix)" }
    public var errorDescription: String? { description }
}
