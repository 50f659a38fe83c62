import Foundation
import Yams

/// A config file read from disk with its `extends:` chain merged in, not yet validated.
public struct LoadedConfig: Sendable {
    /// The merged value tree (a map), without the `extends` key.
    public var value: ConfigValue
    /// For every key path that was set, the file and line that set it last.
    public var origins: [String: SourceLocation]
    /// The files read, the requested one first and its bases after it.
    public var files: [String]

    /// Where the value at `keyPath` (or its nearest ancestor) came from.
    public func location(of keyPath: String) -> SourceLocation {
        var path = keyPath
        while !path.isEmpty {
            if let origin = origins[path] { return origin }
            path = ConfigLoader.parentPath(of: path)
        }
        return origins[""] ?? SourceLocation(file: files.first ?? "<config>")
    }
}

/// Reads experiment configs from YAML, following `extends: base.yaml` with a deep merge.
///
/// Merge rule: maps merge key by key, recursively; lists and scalars in the extending file
/// replace the base's value whole; an explicit `null` removes the base's key (so the default
/// applies again). The `extends` path is relative to the file that names it. A chain that
/// comes back to a file already in it is an error naming the whole chain.
public enum ConfigLoader {
    /// Loads `url` and every base it extends.
    public static func load(_ url: URL) throws -> LoadedConfig {
        try load(url, chain: [])
    }

    /// Parses YAML text (no `extends:` resolution relative to disk beyond `baseDirectory`).
    public static func load(yaml: String, file: String, baseDirectory: URL) throws -> LoadedConfig {
        let parsed = try parse(yaml: yaml, file: file)
        return try resolveExtends(parsed, file: file, directory: baseDirectory, chain: [file])
    }

    private static func load(_ url: URL, chain: [String]) throws -> LoadedConfig {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        let shown = displayPath(url)
        if chain.contains(path) {
            let names = (chain + [path]).map { URL(fileURLWithPath: $0).lastPathComponent }
            throw ExperimentConfigError(ConfigIssue(
                location: SourceLocation(file: shown), keyPath: "extends",
                problem: "`extends` forms a cycle: \(names.joined(separator: " → ")).",
                fix: "make the chain end at a file without `extends`."))
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let issue = ConfigIssue(
                location: SourceLocation(file: shown), keyPath: "",
                problem: "cannot read the config file (\(error.localizedDescription)).",
                fix: "check that the path exists and is a readable UTF-8 YAML file.")
            throw ExperimentConfigError(issue)
        }
        let parsed = try parse(yaml: text, file: shown)
        return try resolveExtends(parsed, file: shown, directory: url.deletingLastPathComponent(),
                                  chain: chain + [path])
    }

    private static func resolveExtends(_ parsed: LoadedConfig, file: String, directory: URL,
                                       chain: [String]) throws -> LoadedConfig {
        guard case .map(var entries) = parsed.value, let extends = entries["extends"] else {
            return parsed
        }
        guard case .string(let basePath) = extends, !basePath.isEmpty else {
            throw ExperimentConfigError(ConfigIssue(
                location: parsed.location(of: "extends"), keyPath: "extends",
                problem: "expected a file path, found \(extends.typeName).",
                fix: "write `extends: base.yaml` (a path relative to \(file))."))
        }
        let baseURL = basePath.hasPrefix("/")
            ? URL(fileURLWithPath: basePath)
            : directory.appendingPathComponent(basePath)
        guard FileManager.default.fileExists(atPath: baseURL.path) else {
            throw ExperimentConfigError(ConfigIssue(
                location: parsed.location(of: "extends"), keyPath: "extends",
                problem: "the base config `\(basePath)` does not exist (looked at \(baseURL.path)).",
                fix: "give a path relative to the directory of \(file)."))
        }
        let base = try load(baseURL, chain: chain)
        entries.removeValue(forKey: "extends")
        var origins = parsed.origins
        origins.removeValue(forKey: "extends")
        var merged = base
        merge(.map(entries), origins: origins, into: &merged, at: "")
        merged.files = [file] + base.files
        return merged
    }

    /// Deep-merges `override` into `target` at `path`, moving origins along.
    static func merge(_ override: ConfigValue, origins: [String: SourceLocation],
                      into target: inout LoadedConfig, at path: String) {
        switch (override, target.value(at: path)) {
        case (.map(let entries), .map?):
            if let origin = origins[path] { target.origins[path] = origin }
            for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
                let child = join(path, key)
                if case .null = value {
                    target.remove(at: child)
                } else {
                    merge(value, origins: origins, into: &target, at: child)
                }
            }
        default:
            target.remove(at: path)
            target.set(override, at: path)
            for (key, origin) in origins where key == path || isDescendant(key, of: path) {
                target.origins[key] = origin
            }
        }
    }

    /// Parses one YAML document into a value tree, recording the line of every node.
    static func parse(yaml: String, file: String) throws -> LoadedConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw ExperimentConfigError(ConfigIssue(
                location: SourceLocation(file: file), keyPath: "",
                problem: "the file is not valid YAML: \(error)",
                fix: "correct the YAML syntax at the position shown."))
        }
        guard let node else {
            throw ExperimentConfigError(ConfigIssue(
                location: SourceLocation(file: file), keyPath: "", problem: "the file is empty.",
                fix: "write at least `name:`, `task:`, `strategies:` and `budgets:`."))
        }
        var origins: [String: SourceLocation] = [:]
        var issues: [ConfigIssue] = []
        let value = convert(node, path: "", file: file, origins: &origins, issues: &issues)
        if !issues.isEmpty { throw ExperimentConfigError(issues) }
        guard case .map = value else {
            throw ExperimentConfigError(ConfigIssue(
                location: SourceLocation(file: file, line: node.mark?.line), keyPath: "",
                problem: "the top level must be a map of keys, found \(value.typeName).",
                fix: "start the file with `name: my-experiment` and the other keys."))
        }
        return LoadedConfig(value: value, origins: origins, files: [file])
    }

    private static func convert(_ node: Node, path: String, file: String,
                                origins: inout [String: SourceLocation],
                                issues: inout [ConfigIssue]) -> ConfigValue {
        origins[path] = SourceLocation(file: file, line: node.mark?.line)
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar, tag: node.tag)
        case .sequence(let sequence):
            return .list(sequence.enumerated().map { index, item in
                convert(item, path: "\(path)[\(index)]", file: file, origins: &origins, issues: &issues)
            })
        case .mapping(let mapping):
            var entries: [String: ConfigValue] = [:]
            for (keyNode, valueNode) in mapping {
                let location = SourceLocation(file: file, line: keyNode.mark?.line)
                guard case .scalar(let keyScalar) = keyNode else {
                    issues.append(ConfigIssue(location: location, keyPath: path,
                                              problem: "a map key must be a plain word.",
                                              fix: "write keys as `key: value`."))
                    continue
                }
                let key = keyScalar.string
                let child = join(path, key)
                if entries[key] != nil {
                    issues.append(ConfigIssue(location: location, keyPath: child,
                                              problem: "the key is given twice in the same map.",
                                              fix: "keep one of the two entries."))
                    continue
                }
                entries[key] = convert(valueNode, path: child, file: file, origins: &origins,
                                       issues: &issues)
            }
            return .map(entries)
        case .alias(let alias):
            issues.append(ConfigIssue(location: SourceLocation(file: file, line: alias.mark?.line),
                                      keyPath: path, problem: "unresolved YAML alias.",
                                      fix: "define the anchor before using it, or write the value out."))
            return .null
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, tag: Tag) -> ConfigValue {
        let text = scalar.string
        switch Tag.Name(rawValue: tag.description) {
        case .null: return .null
        case .bool: return Bool.construct(from: scalar).map(ConfigValue.bool) ?? .string(text)
        case .int:
            if let value = Int.construct(from: scalar) { return .int(value) }
            return Double.construct(from: scalar).map(ConfigValue.double) ?? .string(text)
        case .float: return Double.construct(from: scalar).map(ConfigValue.double) ?? .string(text)
        default: return .string(text)
        }
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func parentPath(of path: String) -> String {
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
            return String(path[..<open])
        }
        if let dot = path.lastIndex(of: ".") { return String(path[..<dot]) }
        return ""
    }

    static func isDescendant(_ key: String, of path: String) -> Bool {
        if path.isEmpty { return !key.isEmpty }
        return key.hasPrefix(path + ".") || key.hasPrefix(path + "[")
    }

    private static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

extension LoadedConfig {
    /// The value at a dotted key path made only of map keys (merging never indexes lists).
    func value(at path: String) -> ConfigValue? {
        if path.isEmpty { return value }
        var current = value
        for key in path.split(separator: ".") {
            guard case .map(let entries) = current, let next = entries[String(key)] else { return nil }
            current = next
        }
        return current
    }

    mutating func set(_ newValue: ConfigValue, at path: String) {
        value = Self.setting(newValue, in: value, keys: path.split(separator: ".").map(String.init))
    }

    mutating func remove(at path: String) {
        value = Self.removing(in: value, keys: path.split(separator: ".").map(String.init))
        origins = origins.filter { $0.key != path && !ConfigLoader.isDescendant($0.key, of: path) }
    }

    private static func setting(_ newValue: ConfigValue, in tree: ConfigValue, keys: [String]) -> ConfigValue {
        guard let first = keys.first else { return newValue }
        var entries = tree.mapValue ?? [:]
        entries[first] = setting(newValue, in: entries[first] ?? .map([:]), keys: Array(keys.dropFirst()))
        return .map(entries)
    }

    private static func removing(in tree: ConfigValue, keys: [String]) -> ConfigValue {
        guard let first = keys.first, case .map(var entries) = tree else { return tree }
        if keys.count == 1 {
            entries.removeValue(forKey: first)
        } else if let child = entries[first] {
            entries[first] = removing(in: child, keys: Array(keys.dropFirst()))
        }
        return .map(entries)
    }
}
