import Foundation

/// A task's validated options with defaults filled in, as a descriptor's `make` receives
/// them, together with the split and the folder relative `file` options start from.
///
/// The getters throw `TaskOptionError` for an option the descriptor does not declare (a bug
/// in the task's factory, not in a config).
public struct TaskOptions: Sendable, Equatable {
    /// The task they belong to (for messages).
    public let task: String
    /// The split the config names (JSONL tasks put every loaded problem in it).
    public let split: Split
    /// Every declared option that has a value (given or default), in canonical form.
    public let values: [String: TaskOptionValue]
    /// Relative `file` options are resolved against this folder.
    public let workingDirectory: URL

    init(task: String, split: Split, values: [String: TaskOptionValue], workingDirectory: URL) {
        self.task = task
        self.split = split
        self.values = values
        self.workingDirectory = workingDirectory
    }

    /// The prompt style's name (`compact`, `r1-zero` or `chat`); every task has the option.
    public var style: String { values[TaskDescriptor.styleOption]?.stringValue ?? "compact" }

    /// A whole-number option.
    public func int(_ name: String) throws -> Int {
        guard let i = try value(name).intValue else { throw undeclared(name) }
        return i
    }
    /// A real option.
    public func double(_ name: String) throws -> Double {
        guard let d = try value(name).doubleValue else { throw undeclared(name) }
        return d
    }
    /// A boolean option.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = try value(name) else { throw undeclared(name) }
        return b
    }
    /// A string, text or choice option.
    public func string(_ name: String) throws -> String {
        guard let s = try value(name).stringValue else { throw undeclared(name) }
        return s
    }
    /// A seed option (a non-negative integer) as the RNG takes it.
    public func seed(_ name: String) throws -> UInt64 {
        UInt64(clamping: try int(name))
    }
    /// An integer-range option.
    public func range(_ name: String) throws -> ClosedRange<Int> {
        guard case .list(let items) = try value(name), items.count == 2,
              let lo = items[0].intValue, let hi = items[1].intValue, lo <= hi else { throw undeclared(name) }
        return lo...hi
    }
    /// A field-name option, as its list of candidate names.
    public func names(_ name: String) throws -> [String] {
        guard case .list(let items) = try value(name) else { throw undeclared(name) }
        return items.compactMap(\.stringValue)
    }
    /// A file option resolved against `workingDirectory`, or nil when the config gave none.
    public func file(_ name: String) -> URL? {
        guard let path = values[name]?.stringValue else { return nil }
        return Self.resolve(path, in: workingDirectory)
    }

    /// `path` against `directory` (absolute paths kept).
    static func resolve(_ path: String, in directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    private func value(_ name: String) throws -> TaskOptionValue {
        guard let v = values[name] else { throw undeclared(name) }
        return v
    }

    private func undeclared(_ name: String) -> TaskOptionError {
        TaskOptionError(key: "options.\(name)", problem: "task `\(task)` read option `\(name)`, which its descriptor does not declare with that type.",
                        fix: "declare it in the task's `TaskDescriptor.options` (a bug in the task, not in the config).")
    }
}
