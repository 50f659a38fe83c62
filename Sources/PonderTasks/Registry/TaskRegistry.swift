import Foundation

/// Errors in naming tasks.
public enum TaskRegistryError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A second task under a taken name.
    case duplicateTask(name: String)

    public var description: String {
        switch self {
        case .duplicateTask(let name): "a task named '\(name)' is already registered; pick another name"
        }
    }

    public var errorDescription: String? { description }
}

/// Maps task names to descriptors, so that configs and commands can name tasks. A value:
/// registering on a copy leaves `builtIn` as it is.
public struct TaskRegistry: Sendable {
    private var descriptors: [String: TaskDescriptor] = [:]

    /// An empty registry.
    public init() {}

    /// Registers a task under its descriptor's name.
    /// - Throws: `TaskRegistryError.duplicateTask` when the name is taken.
    public mutating func register(_ descriptor: TaskDescriptor) throws {
        guard descriptors[descriptor.name] == nil else { throw TaskRegistryError.duplicateTask(name: descriptor.name) }
        descriptors[descriptor.name] = descriptor
    }

    /// Registered names, sorted.
    public var names: [String] { descriptors.keys.sorted() }

    /// The descriptor registered under `name`.
    /// - Throws: `TaskOptionError` at `name` listing the known tasks.
    public func descriptor(named name: String) throws -> TaskDescriptor {
        guard let descriptor = descriptors[name] else {
            throw TaskOptionError(key: "name", problem: "unknown task `\(name)`.",
                                  fix: "use one of: \(names.joined(separator: ", ")).")
        }
        return descriptor
    }

    /// Builds task `name` from config options (validated; defaults filled in).
    public func make(_ name: String, options: [String: TaskOptionValue] = [:], split: Split,
                     workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> (task: any ReasoningTask, options: TaskOptions) {
        try descriptor(named: name).build(options, split: split, workingDirectory: workingDirectory)
    }

    /// The built-in tasks: countdown, multiplication, and the JSONL math tasks gsm8k and math.
    public static let builtIn: TaskRegistry = {
        var registry = TaskRegistry()
        for d in [CountdownTask.descriptor, MultiplicationTask.descriptor,
                  JSONLMathTask.descriptor(named: "gsm8k"), JSONLMathTask.descriptor(named: "math")] {
            // Built-in names are distinct by construction; a clash would be a bug caught by tests.
            try? registry.register(d)
        }
        return registry
    }()

    /// The built-ins plus `extra`.
    /// - Throws: `TaskRegistryError.duplicateTask` when an extra task reuses a name.
    public static func builtIn(adding extra: [TaskDescriptor]) throws -> TaskRegistry {
        var registry = builtIn
        for descriptor in extra { try registry.register(descriptor) }
        return registry
    }
}
