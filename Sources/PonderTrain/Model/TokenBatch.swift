/// One training sequence: token ids and which of them the loss counts.
///
/// `lossMask[i]` says whether token `i` is a target, i.e. whether the model's prediction of
/// it from tokens `0..<i` enters the loss. SFT marks the completion (and its EOS) and leaves
/// the prompt out; the first token can never be a target.
public struct TrainingSequence: Sendable, Hashable, Codable {
    /// Token ids, prompt first.
    public var tokens: [Int]
    /// Per token: counted by the loss.
    public var lossMask: [Bool]

    /// A sequence with an explicit mask (same length as `tokens`).
    public init(tokens: [Int], lossMask: [Bool]) {
        self.tokens = tokens
        self.lossMask = lossMask
    }

    /// A prompt followed by a completion whose tokens are all targets.
    public init(prompt: [Int], completion: [Int]) {
        tokens = prompt + completion
        lossMask = [Bool](repeating: false, count: prompt.count) + [Bool](repeating: true, count: completion.count)
    }

    /// How many tokens the loss counts (the first token never is).
    public var targetCount: Int { lossMask.dropFirst().filter { $0 }.count }
}

/// Several sequences packed back to back into one set of rows, so every matrix product of a
/// training step covers all their tokens at once while attention stays within each sequence.
///
/// Row `r` is one position of one sequence; `targets[r]` is the token it must predict (the
/// next token when that one is in the loss mask) or −1.
public struct TokenBatch: Sendable {
    /// The sequences, in row order.
    public let sequences: [TrainingSequence]
    /// First row of each sequence.
    public let rowOffsets: [Int]
    /// Total rows (tokens).
    public let rows: Int
    /// Per row: the target token id, or −1 where the row is not scored.
    public let targets: [Int]
    /// Rows with a target.
    public let targetCount: Int
    /// The longest sequence (sizes attention scratch).
    public let longest: Int

    /// Packs `sequences`, checking ids against `vocabularySize` and lengths against
    /// `maxLength` (the model's context length).
    /// - Throws: `TrainError.invalidSequence` naming the sequence.
    public init(_ sequences: [TrainingSequence], vocabularySize: Int, maxLength: Int) throws {
        var offsets: [Int] = [], targets: [Int] = []
        var rows = 0, count = 0, longest = 0
        for (index, sequence) in sequences.enumerated() {
            let n = sequence.tokens.count
            guard n > 0 else { throw TrainError.invalidSequence(index: index, reason: "it has no tokens") }
            guard sequence.lossMask.count == n else {
                throw TrainError.invalidSequence(
                    index: index, reason: "the loss mask has \(sequence.lossMask.count) entries for \(n) tokens")
            }
            guard n <= maxLength else {
                throw TrainError.invalidSequence(
                    index: index, reason: "\(n) tokens exceed the model's context length \(maxLength)")
            }
            if let bad = sequence.tokens.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw TrainError.invalidSequence(
                    index: index, reason: "token id \(bad) is outside the vocabulary 0..<\(vocabularySize)")
            }
            offsets.append(rows)
            for position in 0..<n {
                let next = position + 1
                if next < n, sequence.lossMask[next] {
                    targets.append(sequence.tokens[next])
                    count += 1
                } else {
                    targets.append(-1)
                }
            }
            rows += n
            longest = max(longest, n)
        }
        self.sequences = sequences
        self.rowOffsets = offsets
        self.rows = rows
        self.targets = targets
        self.targetCount = count
        self.longest = longest
    }
}
