import Foundation
import Yams

/// A mapping of a training config, read key by key with typed getters. Every error names the
/// file, the key path and the line; keys nobody asked for are an error (`finish()`), so a
/// typo never silently falls back to a default.
final class YAMLSection {
    let file: String
    let path: String
    let mapping: Node.Mapping?
    var used = Set<String>()

    /// The text of the config file at `path`, or a `TrainError` naming it.
    static func readText(path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TrainError.unreadableConfig(file: path, reason: "cannot read the file (\(error.localizedDescription))")
        }
    }

    /// Parses `text` (the whole file) as the root section.
    convenience init(text: String, file: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw TrainError.unreadableConfig(file: file, reason: "not valid YAML: \(error)")
        }
        guard let root else { throw TrainError.unreadableConfig(file: file, reason: "the file is empty") }
        guard let mapping = root.mapping else {
            throw TrainError.unreadableConfig(file: file, reason: "the top level must be a mapping of keys to values")
        }
        self.init(mapping: mapping, file: file, path: "")
    }

    init(mapping: Node.Mapping?, file: String, path: String) {
        self.mapping = mapping
        self.file = file
        self.path = path
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func node(_ key: String) -> Node? {
        used.insert(key)
        guard let node = mapping?[key] else { return nil }
        if case .scalar(let scalar) = node, scalar.tag.description.hasSuffix(":null") || scalar.string == "~" || scalar.string == "null" {
            return nil
        }
        return node
    }

    func error(_ key: String, _ node: Node?, _ reason: String) -> TrainError {
        let line = node?.mark.map { " (line \($0.line))" } ?? ""
        return .unreadableConfig(file: file, reason: "\(keyPath(key))\(line): \(reason)")
    }

    /// A nested mapping (empty when absent).
    func section(_ key: String) throws -> YAMLSection {
        guard let node = node(key) else { return YAMLSection(mapping: nil, file: file, path: keyPath(key)) }
        guard let mapping = node.mapping else { throw error(key, node, "must be a mapping") }
        return YAMLSection(mapping: mapping, file: file, path: keyPath(key))
    }

    func int(_ key: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let node = node(key) else { return fallback }
        guard let value = node.int else { throw error(key, node, "must be an integer, found '\(node.string ?? "?")'") }
        guard range.contains(value) else {
            throw error(key, node, "must be in \(range.lowerBound)...\(range.upperBound), found \(value)")
        }
        return value
    }

    func double(_ key: String, default fallback: Double, range: ClosedRange<Double> = -.greatestFiniteMagnitude...(.greatestFiniteMagnitude)) throws -> Double {
        guard let node = node(key) else { return fallback }
        guard let value = node.float ?? node.int.map(Double.init) else {
            throw error(key, node, "must be a number, found '\(node.string ?? "?")'")
        }
        guard range.contains(value) else {
            throw error(key, node, "must be in \(range.lowerBound)...\(range.upperBound), found \(value)")
        }
        return value
    }

    func string(_ key: String, default fallback: String) throws -> String {
        try optionalString(key) ?? fallback
    }

    func optionalString(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let scalar) = node else { throw error(key, node, "must be a string") }
        return scalar.string
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let node = node(key) else { return fallback }
        guard let value = node.bool else { throw error(key, node, "must be true or false") }
        return value
    }

    /// An inclusive integer range written `[low, high]`.
    func range(_ key: String, default fallback: ClosedRange<Int>) throws -> ClosedRange<Int> {
        guard let node = node(key) else { return fallback }
        guard let items = node.sequence, items.count == 2, let low = items[0].int, let high = items[1].int, low <= high else {
            throw error(key, node, "must be [low, high] with integers low ≤ high")
        }
        return low...high
    }

    /// Throws when the mapping has keys that were never read.
    func finish() throws {
        guard let mapping else { return }
        for key in mapping.keys {
            let name = key.string ?? "?"
            if !used.contains(name) {
                throw error(name, key, "unknown key; check the spelling against experiments/train/README.md")
            }
        }
    }
}
