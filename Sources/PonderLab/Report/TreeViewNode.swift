import Foundation

/// A node of a stored search tree (MCTS, beam), as the report's tree viewer reads it.
///
/// Decoding is tolerant on purpose: strategies evolve and add fields, so unknown fields are
/// ignored and a field of an unexpected type reads as absent rather than failing the report.
/// The layout is `{id, text, tokenStart, tokenEnd, prior, visits, value, children: [...]}`.
public struct TreeViewNode: Sendable, Hashable, Decodable {
    /// The node id, as text (ids may be numbers or strings in the JSON).
    public var id: String?
    /// The text this node adds (a token or a step).
    public var text: String?
    public var tokenStart: Int?
    public var tokenEnd: Int?
    /// The policy's prior for reaching this node from its parent.
    public var prior: Double?
    public var visits: Int?
    /// Mean backed-up value.
    public var value: Double?
    public var children: [TreeViewNode]

    private enum Keys: String, CodingKey {
        case id, text, tokenStart, tokenEnd, prior, visits, value, children
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let text = try? container.decodeIfPresent(String.self, forKey: .id) {
            id = text
        } else if let number = try? container.decodeIfPresent(Int.self, forKey: .id) {
            id = String(number)
        }
        text = try? container.decodeIfPresent(String.self, forKey: .text)
        tokenStart = try? container.decodeIfPresent(Int.self, forKey: .tokenStart)
        tokenEnd = try? container.decodeIfPresent(Int.self, forKey: .tokenEnd)
        prior = try? container.decodeIfPresent(Double.self, forKey: .prior)
        visits = try? container.decodeIfPresent(Int.self, forKey: .visits)
        value = try? container.decodeIfPresent(Double.self, forKey: .value)
        children = (try? container.decodeIfPresent([TreeViewNode].self, forKey: .children)) ?? []
    }

    /// Parses stored tree JSON; nil when it is not a JSON object.
    public static func parse(_ json: String) -> TreeViewNode? {
        try? JSONDecoder().decode(TreeViewNode.self, from: Data(json.utf8))
    }

    /// Nodes in the tree, this one included.
    public var nodeCount: Int {
        1 + children.reduce(0) { $0 + $1.nodeCount }
    }

    /// Edges on the longest root-to-leaf path.
    public var depth: Int {
        (children.map(\.depth).max() ?? -1) + 1
    }

    /// The tree as canonical JSON of the known fields (safe to embed in HTML: `<` is escaped).
    public var canonicalValue: ConfigValue {
        var entries: [String: ConfigValue] = ["children": .list(children.map(\.canonicalValue))]
        if let id { entries["id"] = .string(id) }
        if let text { entries["text"] = .string(text) }
        if let tokenStart { entries["tokenStart"] = .int(tokenStart) }
        if let tokenEnd { entries["tokenEnd"] = .int(tokenEnd) }
        if let prior, prior.isFinite { entries["prior"] = .double(prior) }
        if let visits { entries["visits"] = .int(visits) }
        if let value, value.isFinite { entries["value"] = .double(value) }
        return .map(entries)
    }
}

/// Number formats shared by the Markdown and HTML reports.
enum Format {
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func interval(_ interval: Interval) -> String {
        "[\(percent(interval.low)), \(percent(interval.high))]"
    }

    static func signedPoints(_ value: Double) -> String { String(format: "%+.1f pts", value * 100) }

    static func si(_ value: Double) -> String { AxisScale.label((value * 100).rounded() / 100) }

    static func pValue(_ p: Double) -> String { p < 0.001 ? "<0.001" : String(format: "%.3f", p) }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}
