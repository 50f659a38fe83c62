import PonderModel

/// Builds a `TabularPolicy`: interns token strings and collects problems, either as trees or
/// as weighted completions.
///
/// ```swift
/// var b = TabularPolicyBuilder()
/// b.addProblem(prompt: "Q", correctAnswer: "4", completions: [
///     (["2+2", "\n", "Answer: 4", "<eos>"], 0.6), (["2*3", "\n", "Answer: 6", "<eos>"], 0.4)])
/// let policy = try b.build(extractor: .after("Answer:"))
/// ```
public struct TabularPolicyBuilder {
    /// The end-of-sequence string (token 0).
    public static let eos = "<eos>"
    /// Token strings so far.
    public private(set) var vocabulary: [String] = [TabularPolicyBuilder.eos, "<pad>"]
    /// Problems so far.
    public private(set) var problems: [TabularProblem] = []
    private var index: [String: Int] = [TabularPolicyBuilder.eos: 0, "<pad>": 1]

    /// An empty builder.
    public init() {}

    /// The id of `string`, adding it to the vocabulary if new.
    public mutating func token(_ string: String) -> Int {
        if let id = index[string] { return id }
        vocabulary.append(string)
        index[string] = vocabulary.count - 1
        return vocabulary.count - 1
    }

    /// Adds a problem from its tree (edge probabilities already conditional).
    @discardableResult
    public mutating func addProblem(prompt: String, correctAnswer: String, tree: TabularTree) -> Int {
        problems.append(TabularProblem(prompt: prompt, tree: tree, correctAnswer: correctAnswer))
        return problems.count - 1
    }

    /// Adds a problem from weighted completions (token strings, each ending with `"<eos>"`);
    /// weights are normalized into conditional edge probabilities.
    @discardableResult
    public mutating func addProblem(prompt: String, correctAnswer: String,
                                    completions: [(tokens: [String], weight: Double)]) -> Int {
        var tree = TabularTree()
        for completion in completions {
            tree.addPath(completion.tokens.map { token($0) }, probability: completion.weight)
        }
        return addProblem(prompt: prompt, correctAnswer: correctAnswer, tree: tree.normalized())
    }

    /// The policy.
    /// - Parameters:
    ///   - promptLength: prefill tokens each prompt costs.
    ///   - flopModel: the architecture the ledger charges (Qwen2.5-0.5B's shape by default).
    ///   - stepDelimiters: step boundaries for step-level search.
    ///   - stopStrings: strings that end a completion.
    ///   - maxNewTokens: the length cap.
    ///   - extractor: decides which leaves are correct (and should match the task's).
    public func build(promptLength: Int = 24, flopModel: FlopModel = .qwen2_5_0_5B,
                      stepDelimiters: [String] = ["\n"], stopStrings: [String] = [],
                      maxNewTokens: Int = 64, extractor: AnswerExtractor) throws -> TabularPolicy {
        var vocab = vocabulary
        var problemTokens: [Int] = []
        for k in problems.indices {
            vocab.append("<problem \(k)>")
            problemTokens.append(vocab.count - 1)
        }
        let stops = StopConditions(eosTokenIDs: [0], stopStrings: stopStrings,
                                   stepDelimiters: stepDelimiters, maxNewTokens: maxNewTokens)
        return try TabularPolicy(vocabulary: vocab, problems: problems, eosToken: 0, padToken: 1,
                                 problemTokens: problemTokens, promptLength: promptLength,
                                 flopModel: flopModel, stopConditions: stops, extractor: extractor)
    }
}
