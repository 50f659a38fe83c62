import PonderModel

/// Tokenized SFT traces and a reproducible order over them.
///
/// Step `s` takes examples `s·B ..< (s+1)·B` of an endless stream that visits every example
/// once per epoch, each epoch in the order of a shuffle seeded by (seed, epoch). The order is
/// therefore a pure function of the seed and the step, which is what makes a resumed run
/// draw exactly the batches an uninterrupted one would.
public final class SFTDataset {
    /// The encoded examples: `[BOS] prompt` (not in the loss), then completion + EOS (in it).
    public let sequences: [TrainingSequence]
    /// Traces dropped because they did not fit the context length.
    public let droppedForLength: Int
    private let seed: UInt64
    private var cachedEpoch = -1
    private var cachedOrder: [Int] = []

    /// Encodes `traces` with `tokenizer`: the prompt with special tokens (BOS), the
    /// completion without, then `eosId`. Longer than `maxLength` tokens: dropped and counted.
    public init(traces: [TaskTrace], tokenizer: Tokenizer, eosId: Int, maxLength: Int, seed: UInt64) throws {
        var sequences: [TrainingSequence] = []
        sequences.reserveCapacity(traces.count)
        var dropped = 0
        for trace in traces {
            let prompt = try tokenizer.encode(trace.prompt, addSpecialTokens: true)
            let completion = try tokenizer.encode(trace.completion, addSpecialTokens: false) + [eosId]
            guard prompt.count + completion.count <= maxLength else {
                dropped += 1
                continue
            }
            sequences.append(TrainingSequence(prompt: prompt, completion: completion))
        }
        guard !sequences.isEmpty else {
            throw TrainError.invalidData(source: "training traces",
                                         reason: "no trace fits in \(maxLength) tokens; raise model.max_position_embeddings")
        }
        self.sequences = sequences
        self.droppedForLength = dropped
        self.seed = seed
    }

    /// Wraps already encoded sequences.
    public init(sequences: [TrainingSequence], seed: UInt64) {
        self.sequences = sequences
        self.droppedForLength = 0
        self.seed = seed
    }

    /// The examples of optimizer step `step` with `size` sequences per step.
    public func batch(step: Int, size: Int) -> [TrainingSequence] {
        (0..<size).map { offset in
            let position = step * size + offset
            let epoch = position / sequences.count
            return sequences[order(epoch: epoch)[position % sequences.count]]
        }
    }

    /// The epoch a step's first example belongs to.
    public func epoch(ofStep step: Int, size: Int) -> Int { step * size / sequences.count }

    private func order(epoch: Int) -> [Int] {
        if epoch != cachedEpoch {
            var order = Array(0..<sequences.count)
            var rng = SeededRNG.derived(seed: seed, 0x6461_7461, UInt64(epoch))  // "data"
            rng.shuffle(&order)
            cachedOrder = order
            cachedEpoch = epoch
        }
        return cachedOrder
    }

    /// Tokens in the whole set, and how many of them are targets.
    public var tokenCounts: (tokens: Int, targets: Int) {
        sequences.reduce((0, 0)) { ($0.0 + $1.tokens.count, $0.1 + $1.targetCount) }
    }
}
