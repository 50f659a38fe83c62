/// A token trie with transition probabilities: one problem's entire output distribution,
/// written out so that every success probability is known exactly.
///
/// Node 0 is the root (right after the prompt). A node's children are the tokens that may
/// follow it, with conditional probabilities summing to 1. Leaves are reached by an EOS token.
public struct TabularTree: Sendable, Equatable {
    /// One node: the token that leads into it and its outgoing edges.
    public struct Node: Sendable, Equatable {
        /// The parent (`nil` for the root).
        public var parent: Int?
        /// The token on the edge from the parent (−1 for the root).
        public var token: Int
        /// P(token | parent).
        public var probability: Double
        /// Children, in insertion order.
        public var children: [Int]
        /// Tokens from the root.
        public var depth: Int
    }

    /// The root's index.
    public static let root = 0
    /// All nodes; a child's index is always larger than its parent's.
    public private(set) var nodes: [Node] = [Node(parent: nil, token: -1, probability: 1, children: [], depth: 0)]

    /// A tree holding only the root.
    public init() {}

    /// Adds (or finds) the child of `parent` reached by `token`; a repeated token adds its
    /// probability to the existing edge.
    @discardableResult
    public mutating func addChild(of parent: Int, token: Int, probability: Double) -> Int {
        if let existing = child(of: parent, token: token) {
            nodes[existing].probability += probability
            return existing
        }
        let id = nodes.count
        nodes.append(Node(parent: parent, token: token, probability: probability, children: [],
                          depth: nodes[parent].depth + 1))
        nodes[parent].children.append(id)
        return id
    }

    /// Adds a whole completion with weight `probability` (weights become conditional edge
    /// probabilities when `normalized()` is called).
    public mutating func addPath(_ tokens: [Int], probability: Double) {
        var node = Self.root
        for token in tokens { node = addChild(of: node, token: token, probability: probability) }
    }

    /// Turns path weights (each edge holding the total weight through it) into conditional
    /// probabilities. Use after building with `addPath`.
    public func normalized() -> TabularTree {
        var copy = self
        for (id, node) in nodes.enumerated() {
            let total = node.children.reduce(0) { $0 + nodes[$1].probability }
            guard total > 0 else { continue }
            for c in node.children { copy.nodes[c].probability = nodes[c].probability / total }
            _ = id
        }
        return copy
    }

    /// The child of `parent` reached by `token`, if any.
    public func child(of parent: Int, token: Int) -> Int? {
        nodes[parent].children.first { nodes[$0].token == token }
    }

    /// Tokens from the root to `node`.
    public func path(to node: Int) -> [Int] {
        var tokens: [Int] = []
        var current = node
        while let parent = nodes[current].parent {
            tokens.append(nodes[current].token)
            current = parent
        }
        return tokens.reversed()
    }

    /// P(reaching a leaf for which `isSuccess` holds | at node), for every node, computed
    /// bottom-up (children always come after their parents).
    public func successProbabilities(isSuccess: (Int) -> Bool) -> [Double] {
        var p = [Double](repeating: 0, count: nodes.count)
        for id in nodes.indices.reversed() {
            let node = nodes[id]
            p[id] = node.children.isEmpty
                ? (isSuccess(id) ? 1 : 0)
                : node.children.reduce(0) { $0 + nodes[$1].probability * p[$1] }
        }
        return p
    }

    /// The probability of reaching each leaf from the root.
    public func leafProbabilities() -> [Int: Double] {
        var reach = [Double](repeating: 0, count: nodes.count)
        reach[Self.root] = 1
        var leaves: [Int: Double] = [:]
        for id in nodes.indices {
            let node = nodes[id]
            if node.children.isEmpty { leaves[id] = reach[id] }
            for c in node.children { reach[c] = reach[id] * nodes[c].probability }
        }
        return leaves
    }
}
