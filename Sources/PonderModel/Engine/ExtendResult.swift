/// What one `Engine.extend` (or `start(prompt:)`) call produced, per handle in call order,
/// and what it cost.
///
/// Outputs are for each handle's last new token: `logits(i)` is the next-token distribution
/// after sequence `i`'s new tokens, `hiddenState(i)` the final hidden vector (after the last
/// RMSNorm) that a value head reads. The counts let a compute ledger charge the call exactly:
/// `computedTokens` ran through the model, `reusedTokens` were already cached and were read
/// rather than recomputed, and `attendedPositions` counts (query, key) pairs, which is what
/// attention FLOPs scale with.
public struct ExtendResult: Sendable {
    /// The handles, in call order.
    public internal(set) var handles: [SequenceHandle] = []
    /// Logits, `[handles.count, vocabularySize]`; −∞ at ids ≥ the model's valid vocabulary.
    public internal(set) var logits: [Float] = []
    /// Final hidden states, `[handles.count, hiddenSize]`; empty unless requested.
    public internal(set) var hiddenStates: [Float] = []
    /// Tokens computed per handle (its new tokens).
    public internal(set) var computedTokens: [Int] = []
    /// Cached positions per handle before the call: KV reused instead of recomputed.
    public internal(set) var reusedTokens: [Int] = []
    /// (query, key) pairs attended per handle: Σ over its new tokens of the context each saw.
    public internal(set) var attendedPositions: [Int] = []
    /// Forward passes the call ran (more than one when it exceeded `maxTokensPerPass`).
    public internal(set) var passes = 0
    /// Shared KV blocks copied before a write (copy-on-write after `fork`).
    public internal(set) var copiedBlocks = 0
    /// FLOPs of the call under the model's `FlopModel` (what the search ledger charges for it).
    public internal(set) var flops: Double = 0
    /// Width of a logits row (config `vocab_size`).
    public internal(set) var vocabularySize = 0
    /// Width of a hidden state.
    public internal(set) var hiddenSize = 0

    /// An empty result, to pass to `Engine.extend(_:tokens:into:)` for reuse.
    public init() {}

    /// Number of handles.
    public var count: Int { handles.count }

    /// Logits after handle `i`'s last new token.
    public func logits(_ i: Int) -> ArraySlice<Float> {
        logits[(i * vocabularySize)..<((i + 1) * vocabularySize)]
    }

    /// Final hidden state after handle `i`'s last new token (requires `returnHiddenStates`).
    public func hiddenState(_ i: Int) -> ArraySlice<Float> {
        hiddenStates[(i * hiddenSize)..<((i + 1) * hiddenSize)]
    }

    /// Calls `body` with handle `i`'s logits without copying them.
    public func withLogits<R>(_ i: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try logits.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[(i * vocabularySize)..<((i + 1) * vocabularySize)]))
        }
    }

    /// New tokens computed by the call.
    public var totalComputedTokens: Int { computedTokens.reduce(0, +) }
    /// Cached positions the call built on instead of recomputing.
    public var totalReusedTokens: Int { reusedTokens.reduce(0, +) }
    /// (query, key) pairs attended by the call.
    public var totalAttendedPositions: Int { attendedPositions.reduce(0, +) }

    /// Empties the result, keeping its storage for the next call.
    mutating func reset(vocabularySize: Int, hiddenSize: Int) {
        handles.removeAll(keepingCapacity: true)
        logits.removeAll(keepingCapacity: true)
        hiddenStates.removeAll(keepingCapacity: true)
        computedTokens.removeAll(keepingCapacity: true)
        reusedTokens.removeAll(keepingCapacity: true)
        attendedPositions.removeAll(keepingCapacity: true)
        passes = 0
        copiedBlocks = 0
        flops = 0
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
    }
}
