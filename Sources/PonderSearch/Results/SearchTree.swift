import Foundation

/// One node of an exported search tree: an action (a reasoning step or a token) and its
/// statistics.
public struct SearchTreeNode: Codable, Sendable, Equatable {
    /// Index of this node in `SearchTree.nodes`.
    public var id: Int
    /// Parent index (`nil` for the root, which stands for the prompt).
    public var parent: Int?
    /// Child indices, in creation order.
    public var children: [Int]
    /// The action's text (empty for the root).
    public var text: String
    /// Completion position of the action's first token.
    public var tokenStart: Int
    /// Completion position after the action's last token (the span is `[tokenStart, tokenEnd)`).
    public var tokenEnd: Int
    /// The policy's prior for this action among its siblings.
    public var prior: Double
    /// Visit count (evaluations backed up through this node).
    public var visits: Int
    /// Mean backed-up value (P(success) scale), `nil` if never evaluated.
    public var value: Double?
    /// Whether the node ends the completion.
    public var terminal: Bool
    /// The extracted answer at a terminal node.
    public var answer: String?

    /// A node with every field given.
    public init(id: Int, parent: Int?, children: [Int], text: String, tokenStart: Int, tokenEnd: Int,
                prior: Double, visits: Int, value: Double?, terminal: Bool, answer: String?) {
        self.id = id
        self.parent = parent
        self.children = children
        self.text = text
        self.tokenStart = tokenStart
        self.tokenEnd = tokenEnd
        self.prior = prior
        self.visits = visits
        self.value = value
        self.terminal = terminal
        self.answer = answer
    }
}

/// An exportable search tree (for offline viewers and notebooks): every node explored,
/// including subtrees discarded when a step was committed, plus the committed path.
public struct SearchTree: Codable, Sendable, Equatable {
    /// The strategy that built the tree.
    public var strategy: String
    /// Index of the root (the prompt) in `nodes`.
    public var root: Int
    /// All nodes, indexed by `SearchTreeNode.id`.
    public var nodes: [SearchTreeNode]
    /// Nodes committed to, in order, starting below the root.
    public var committed: [Int]

    /// A tree with every field given.
    public init(strategy: String, root: Int, nodes: [SearchTreeNode], committed: [Int]) {
        self.strategy = strategy
        self.root = root
        self.nodes = nodes
        self.committed = committed
    }

    /// The tree as JSON (keys sorted, so that identical searches give identical bytes).
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Decodes a tree written by `jsonData`.
    public static func decode(from data: Data) throws -> SearchTree {
        try JSONDecoder().decode(SearchTree.self, from: data)
    }

    /// The text from the root to `node` (the completion that node stands for).
    public func text(to node: Int) -> String {
        var parts: [String] = []
        var current: Int? = node
        while let id = current, nodes.indices.contains(id) {
            parts.append(nodes[id].text)
            current = nodes[id].parent
        }
        return parts.reversed().joined()
    }
}
