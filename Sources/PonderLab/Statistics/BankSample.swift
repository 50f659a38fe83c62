/// One sample of a sample bank: what the report's pass@k, majority@k and weighted@k need.
public struct BankSample: Sendable, Hashable, Codable {
    /// The extracted answer; nil when none could be extracted (such a sample does not vote).
    public var answer: String?
    /// The verifier's verdict, scored after the search.
    public var correct: Bool
    /// The value head's P(success), when the bank scored its samples.
    public var value: Double?
    /// This sample's own share of the trial's FLOPs (its decode and value call).
    public var flops: Double
    /// Tokens this sample generated.
    public var tokens: Int

    public init(answer: String?, correct: Bool, value: Double?, flops: Double, tokens: Int) {
        self.answer = answer
        self.correct = correct
        self.value = value
        self.flops = flops
        self.tokens = tokens
    }
}
