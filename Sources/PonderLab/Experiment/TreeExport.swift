import Foundation
import PonderSearch

/// Converts PonderSearch's flat `SearchTree` (nodes with child indices) into the nested
/// layout the report's tree viewer reads (`TreeViewNode`: `{id, text, tokenStart,
/// tokenEnd, prior, visits, value, children: […]}`), plus `terminal`, `answer` and
/// `committed` (the path the search committed to), which the viewer passes over.
public enum TreeExport {
    /// The tree as canonical JSON (sorted keys: identical searches give identical bytes).
    public static func nestedJSON(_ tree: SearchTree) -> String {
        nested(tree).canonicalJSON
    }

    /// The tree as a nested value.
    public static func nested(_ tree: SearchTree) -> ConfigValue {
        let committed = Set(tree.committed)
        // Post-order with an explicit stack, so deep (token-level) trees cannot overflow the
        // call stack: a node is built once all of its children are.
        var built: [Int: ConfigValue] = [:]
        var order: [Int] = []
        var stack: [(Int, Bool)] = [(tree.root, false)]
        var seen = Set<Int>()
        while let (index, expanded) = stack.popLast() {
            guard tree.nodes.indices.contains(index) else { continue }
            if expanded { order.append(index); continue }
            guard seen.insert(index).inserted else { continue }
            stack.append((index, true))
            for child in tree.nodes[index].children.reversed() { stack.append((child, false)) }
        }
        for index in order {
            let node = tree.nodes[index]
            var entry: [String: ConfigValue] = [
                "id": .int(node.id),
                "text": .string(node.text),
                "tokenStart": .int(node.tokenStart),
                "tokenEnd": .int(node.tokenEnd),
                "prior": .double(node.prior.isFinite ? node.prior : 0),
                "visits": .int(node.visits),
                "terminal": .bool(node.terminal),
                "committed": .bool(committed.contains(node.id)),
                "children": .list(node.children.compactMap { built.removeValue(forKey: $0) }),
            ]
            if let value = node.value, value.isFinite { entry["value"] = .double(value) }
            if let answer = node.answer { entry["answer"] = .string(answer) }
            built[index] = .map(entry)
        }
        return built[tree.root] ?? .map(["children": .list([])])
    }
}
