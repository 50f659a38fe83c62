import PonderModel

/// An opaque handle to one token sequence a policy holds: its tokens and their cached
/// computation (for the engine, a chain of KV-cache blocks).
public struct SequenceID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The policy's own number for the sequence.
    public let rawValue: Int
    /// Wraps a policy's own number.
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "seq#\(rawValue)" }
}

/// When generation ends, and where a reasoning step ends.
public struct StopConditions: Codable, Sendable, Equatable {
    /// Token ids that end a sequence (EOS, end-of-turn).
    public var eosTokenIDs: Set<Int>
    /// Strings that end a sequence as soon as the completion contains one (e.g. `</answer>`).
    public var stopStrings: [String]
    /// Strings that end one reasoning step (e.g. `"\n\n"`, as search-and-learn uses). Used
    /// by the default `StepSplitter` when the task gives none.
    public var stepDelimiters: [String]
    /// The most tokens one completion may hold.
    public var maxNewTokens: Int

    /// Stop conditions with every field given.
    public init(eosTokenIDs: Set<Int>, stopStrings: [String] = [], stepDelimiters: [String] = ["\n\n"],
                maxNewTokens: Int = 512) {
        self.eosTokenIDs = eosTokenIDs
        self.stopStrings = stopStrings
        self.stepDelimiters = stepDelimiters
        self.maxNewTokens = maxNewTokens
    }
}

/// The model as search sees it: batched next-token candidates over forkable sequences.
///
/// This is the seam between the decoding layer and an engine. An implementation keeps, for
/// every live sequence, its computed tokens and the outputs of its last computed position
/// (logits and hidden state). It does **no** accounting and **no** sampling: `MeteredPolicy`
/// wraps it, decides what to compute and when, and charges the `ComputeLedger`; strategies only
/// ever see the wrapper.
///
/// Contract for implementations (the engine-backed policy and `TabularPolicy` alike):
/// - `makeSequence` is O(1) and computes nothing; the wrapper then `extend`s it with the prompt.
/// - `fork` is O(1) in the sequence length: the child shares every computed token of the
///   parent (KV blocks shared, copy-on-write on the last partial block) and starts with the
///   parent's last-position logits and hidden state. Prefixes are never re-encoded.
/// - `extend` runs **one** batched forward over all new tokens of all listed sequences (each gets
///   at least one token; the sequences are distinct) and afterwards holds each sequence's
///   last-position logits and hidden state.
/// - `nextTokenCandidates` and `hiddenStates` read what the last forward (or fork) left; they
///   never run the model.
public protocol Policy: AnyObject {
    /// Architecture numbers the ledger charges FLOPs with.
    var flopModel: FlopModel { get }
    /// Width of the vectors `hiddenStates` returns (what a value head reads).
    var hiddenSize: Int { get }
    /// The model's own stop conditions (EOS ids from its generation config, default length cap).
    var defaultStopConditions: StopConditions { get }

    /// Tokenizes a rendered prompt (chat template already applied by the task).
    func encode(prompt: String) throws -> [Int]
    /// Renders token ids as text.
    func detokenize(_ tokens: [Int]) -> String

    /// Creates an empty sequence.
    func makeSequence() throws -> SequenceID
    /// Creates a sequence sharing every computed token of `parent` (see the contract above).
    func fork(_ parent: SequenceID) throws -> SequenceID
    /// Frees a sequence; its shared blocks stay alive while other sequences use them.
    func release(_ sequence: SequenceID)
    /// Appends `tokens[i]` to `sequences[i]` and computes them, all in one batched forward.
    func extend(_ sequences: [SequenceID], tokens: [[Int]]) throws

    /// The next-token distribution after the last computed position of each sequence, with
    /// `processor` (temperature, top-k, top-p, min-p…) applied to the full distribution;
    /// `Candidates.modelLogprobs` keep the unprocessed log-probabilities. Implementations may
    /// apply a top-k processor early to avoid building vocabulary-sized arrays.
    func nextTokenCandidates(_ sequences: [SequenceID], processor: (any LogitsProcessor)?) throws -> [Candidates]
    /// The hidden vector at the last computed position of each sequence (`hiddenSize` wide).
    func hiddenStates(_ sequences: [SequenceID]) throws -> [[Float]]
}
