import Foundation
import PonderModel

/// Errors in building or driving a tabular policy.
public enum TabularPolicyError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// No problem has this prompt.
    case unknownPrompt(String)
    /// A token that the tree does not allow at this node.
    case tokenOutsideTree(problem: Int, node: Int, token: Int)
    /// Candidates or a hidden state were read before the prompt was computed.
    case notReady(SequenceID)
    /// A released or foreign handle.
    case unknownSequence(SequenceID)
    /// Probabilities that do not sum to one, or a leaf not reached by EOS.
    case badTree(problem: Int, message: String)

    public var description: String {
        switch self {
        case .unknownPrompt(let p): "the tabular policy has no problem with prompt \"\(p.prefix(60))\""
        case let .tokenOutsideTree(problem, node, token):
            "token \(token) does not follow node \(node) in problem \(problem)'s tree"
        case .notReady(let id): "\(id) has no computed position after its prompt yet"
        case .unknownSequence(let id): "\(id) is not a live sequence of the tabular policy"
        case let .badTree(problem, message): "problem \(problem)'s tree is invalid: \(message)"
        }
    }

    public var errorDescription: String? { description }
}

/// A policy whose output distribution is an explicit token tree per problem, so that optimal
/// behaviour is computable: tests and the lab measure search against exact success
/// probabilities instead of a trained model.
///
/// Its "hidden state" at a node is `[clamp(logit P(success)), z₁, z₂, depth / maxDepth]`, with
/// z₁, z₂ fixed pseudo-random normal features of the node. A linear head that reads only the
/// first entry is a perfect value function (`perfectValueHead`); adding z₁ makes a calibrated
/// but noisy one (`noisyValueHead`). The policy declares a fake architecture (`flopModel`) so
/// the ledger charges realistic FLOPs.
public final class TabularPolicy: Policy {
    /// Token strings; `detokenize` concatenates them.
    public let vocabulary: [String]
    /// The problems, each with its tree.
    public let problems: [TabularProblem]
    /// The end-of-sequence token.
    public let eosToken: Int
    /// The token a prompt is padded with (prompts cost `promptLength` prefill tokens).
    public let padToken: Int
    /// Prompt length in tokens (the problem token plus padding).
    public let promptLength: Int
    /// The architecture the policy pretends to be (Qwen2.5-0.5B's shape unless built otherwise).
    public let flopModel: FlopModel
    /// EOS, step delimiters, stop strings and length cap given at build time.
    public let defaultStopConditions: StopConditions
    /// `[logit P(success), z₁, z₂, depth]`.
    public let hiddenSize = 4

    private let problemTokens: [Int]
    private let problemTokenSet: Set<Int>
    private let promptIndex: [String: Int]
    private let success: [[Double]]
    private let correct: [[Bool]]
    private var live: [Int: (problem: Int?, node: Int, promptLeft: Int)] = [:]
    private var nextID = 0

    /// Builds the policy; leaf correctness is decided by extracting each leaf's answer.
    init(vocabulary: [String], problems: [TabularProblem], eosToken: Int, padToken: Int,
         problemTokens: [Int], promptLength: Int, flopModel: FlopModel,
         stopConditions: StopConditions, extractor: AnswerExtractor) throws {
        self.vocabulary = vocabulary
        self.problems = problems
        self.eosToken = eosToken
        self.padToken = padToken
        self.problemTokens = problemTokens
        self.problemTokenSet = Set(problemTokens)
        self.promptLength = max(1, promptLength)
        self.flopModel = flopModel
        self.defaultStopConditions = stopConditions
        var index: [String: Int] = [:]
        var success: [[Double]] = [], correct: [[Bool]] = []
        for (k, problem) in problems.enumerated() {
            index[problem.prompt] = k
            let tree = problem.tree
            var flags = [Bool](repeating: false, count: tree.nodes.count)
            for (id, node) in tree.nodes.enumerated() {
                let sum = node.children.reduce(0) { $0 + tree.nodes[$1].probability }
                if !node.children.isEmpty, abs(sum - 1) > 1e-6 {
                    throw TabularPolicyError.badTree(problem: k, message: "node \(id)'s children sum to \(sum), not 1")
                }
                if node.children.isEmpty {
                    guard id != TabularTree.root, node.token == eosToken else {
                        throw TabularPolicyError.badTree(problem: k, message: "leaf \(id) is not reached by EOS")
                    }
                    let text = tree.path(to: id).filter { $0 != eosToken && $0 != padToken }.map { vocabulary[$0] }.joined()
                    flags[id] = extractor.extract(text) == problem.correctAnswer
                }
            }
            correct.append(flags)
            success.append(tree.successProbabilities { flags[$0] })
        }
        self.promptIndex = index
        self.success = success
        self.correct = correct
    }

    // MARK: Exact analysis

    /// P(a correct final answer | at `node`) under the unmodified policy.
    public func successProbability(problem: Int, node: Int) -> Double { success[problem][node] }

    /// Whether leaf `node` ends with the correct answer.
    public func isCorrectLeaf(problem: Int, node: Int) -> Bool { correct[problem][node] }

    /// The tree node a live sequence is at (after its prompt), or `nil` before that.
    public func node(of sequence: SequenceID) -> (problem: Int, node: Int)? {
        guard let s = live[sequence.rawValue], let p = s.problem, s.promptLeft == 0 else { return nil }
        return (p, s.node)
    }

    /// A perfect value head: σ(logit P(success)) = P(success), up to the ±8 logit clamp.
    public static let perfectValueHead = LinearValueHead(weight: [1, 0, 0, 0], bias: 0)

    /// An imperfect head: σ(signal · logit P(success) + noise · z₁). `signal` below 1 makes it
    /// under-confident (terminal states no longer score 0 or 1), `noise` adds a fixed per-node
    /// error, so rankings of close states are often wrong, as with a learned value head. The
    /// defaults separate correct from wrong finished completions with AUROC ≈ Φ(1.6/√2) ≈ 0.87
    /// (the logit feature is clamped to ±8), near what trained heads reach.
    public static func noisyValueHead(signal: Float = 0.1, noise: Float = 1) -> LinearValueHead {
        LinearValueHead(weight: [signal, noise, 0, 0], bias: 0)
    }

    // MARK: Policy

    public func encode(prompt: String) throws -> [Int] {
        guard let k = promptIndex[prompt] else { throw TabularPolicyError.unknownPrompt(prompt) }
        return [problemTokens[k]] + [Int](repeating: padToken, count: promptLength - 1)
    }

    /// Concatenates token strings; special tokens (EOS, padding, problem markers) render as
    /// nothing, as a real tokenizer's `skip_special_tokens` does.
    public func detokenize(_ tokens: [Int]) -> String {
        tokens.map { id in
            guard vocabulary.indices.contains(id), id != eosToken, id != padToken,
                  !problemTokenSet.contains(id) else { return "" }
            return vocabulary[id]
        }.joined()
    }

    public func makeSequence() throws -> SequenceID {
        nextID += 1
        live[nextID] = (nil, TabularTree.root, 0)
        return SequenceID(nextID)
    }

    public func fork(_ parent: SequenceID) throws -> SequenceID {
        guard let state = live[parent.rawValue] else { throw TabularPolicyError.unknownSequence(parent) }
        nextID += 1
        live[nextID] = state
        return SequenceID(nextID)
    }

    public func release(_ sequence: SequenceID) {
        live[sequence.rawValue] = nil
    }

    public func extend(_ sequences: [SequenceID], tokens: [[Int]]) throws {
        for (id, newTokens) in zip(sequences, tokens) {
            guard var s = live[id.rawValue] else { throw TabularPolicyError.unknownSequence(id) }
            for token in newTokens {
                if let problem = s.problem {
                    if s.promptLeft > 0 {
                        s.promptLeft -= 1
                    } else if let child = problems[problem].tree.child(of: s.node, token: token) {
                        s.node = child
                    } else {
                        throw TabularPolicyError.tokenOutsideTree(problem: problem, node: s.node, token: token)
                    }
                } else {
                    guard let k = problemTokens.firstIndex(of: token) else {
                        throw TabularPolicyError.tokenOutsideTree(problem: -1, node: 0, token: token)
                    }
                    s = (k, TabularTree.root, promptLength - 1)
                }
            }
            live[id.rawValue] = s
        }
    }

    public func nextTokenCandidates(_ sequences: [SequenceID], processor: (any LogitsProcessor)?) throws -> [Candidates] {
        try sequences.map { id in
            guard let at = self.node(of: id) else { throw TabularPolicyError.notReady(id) }
            let (problem, node) = at
            let tree = problems[problem].tree
            let children = tree.nodes[node].children
            var set = children.isEmpty
                ? Candidates(ids: [eosToken], logprobs: [0])
                : Candidates(ids: children.map { tree.nodes[$0].token },
                             logprobs: children.map { Float(log(tree.nodes[$0].probability)) })
            processor?.process(&set)
            return set
        }
    }

    public func hiddenStates(_ sequences: [SequenceID]) throws -> [[Float]] {
        try sequences.map { id in
            guard let at = self.node(of: id) else { throw TabularPolicyError.notReady(id) }
            let (problem, node) = at
            let p = min(max(success[problem][node], 1e-12), 1 - 1e-12)
            let logit = Float(min(8, max(-8, log(p / (1 - p)))))
            var mix = SeededRNG.derived(seed: 0x7AB1, UInt64(problem), UInt64(node))
            let depth = Float(problems[problem].tree.nodes[node].depth) / Float(max(1, defaultStopConditions.maxNewTokens))
            return [logit, Float(mix.nextGaussian()), Float(mix.nextGaussian()), depth]
        }
    }
}

/// One problem of a tabular policy: its prompt, its output tree and the correct answer.
public struct TabularProblem: Sendable, Equatable {
    /// The prompt text the policy recognizes.
    public var prompt: String
    /// The output distribution.
    public var tree: TabularTree
    /// The answer (as the extractor returns it) that counts as correct.
    public var correctAnswer: String

    /// A problem with every field given.
    public init(prompt: String, tree: TabularTree, correctAnswer: String) {
        self.prompt = prompt
        self.tree = tree
        self.correctAnswer = correctAnswer
    }
}
