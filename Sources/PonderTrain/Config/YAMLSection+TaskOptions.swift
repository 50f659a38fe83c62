import Foundation
import PonderTasks
import Yams

extension YAMLSection {
    /// The keys of this section not read yet, as task options (and marks them read): the
    /// `task:` section of a training config holds the trainer's own keys and then the task's
    /// options, flat, under the names its `TaskDescriptor` declares.
    /// - Throws: `TrainError.unreadableConfig` at a value that is not a scalar or a flat list.
    func remainingTaskOptions() throws -> [String: TaskOptionValue] {
        guard let mapping else { return [:] }
        var options: [String: TaskOptionValue] = [:]
        for (keyNode, node) in mapping {
            guard let key = keyNode.string, !used.contains(key) else { continue }
            used.insert(key)
            if case .scalar(let scalar) = node, Tag.Name(rawValue: node.tag.description) == .null || scalar.string == "~" {
                continue
            }
            guard let value = Self.optionValue(node) else {
                throw error(key, node, "must be a scalar or a list of scalars")
            }
            options[key] = value
        }
        return options
    }

    /// A YAML node as a task option, read with the same tag rules as experiment configs.
    static func optionValue(_ node: Node) -> TaskOptionValue? {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            switch Tag.Name(rawValue: node.tag.description) {
            case .bool: return Bool.construct(from: scalar).map(TaskOptionValue.bool) ?? .string(text)
            case .int:
                if let value = Int.construct(from: scalar) { return .int(value) }
                return Double.construct(from: scalar).map(TaskOptionValue.double) ?? .string(text)
            case .float: return Double.construct(from: scalar).map(TaskOptionValue.double) ?? .string(text)
            default: return .string(text)
            }
        case .sequence(let items):
            let values = items.compactMap { item -> TaskOptionValue? in
                if case .scalar = item { return optionValue(item) }
                return nil
            }
            return values.count == items.count ? .list(values) : nil
        default:
            return nil
        }
    }
}
