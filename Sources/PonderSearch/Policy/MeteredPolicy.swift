import PonderModel

/// The policy as strategies see it: a `Policy` wrapped so that every call is charged to the
/// search's `ComputeLedger` and checked against its `Budget`.
///
/// The wrapper keeps, per live sequence, its tokens and how many of them the model has
/// computed. Appending a token only records it; the forward that computes pending tokens runs
/// lazily, batched over every sequence that needs it, when candidates or hidden states are
/// read or a sequence is forked. So a token that ends a sequence (EOS) is never fed, and the
/// delimiter that ends a step is fed once, by whichever read needs it first.
///
/// Charging rules: prompt tokens are prefill, generated tokens decode; one `extend` is one
/// forward batch, charged FLOPs by `FlopModel.forwardFLOPs` at each sequence's real context
/// length; a fork credits `reusedKVTokens` with the parent's computed length; a sequence that
/// stops counts one sample. A forward is refused (`SearchError.budgetExhausted`) once the
/// ledger is past the cap, so no search can overshoot by more than one batched step.
public final class MeteredPolicy {
    private struct Track {
        var tokens: [Int]
        var computed: Int
        var promptLength: Int
        var stop: StopReason?
    }

    private let base: any Policy
    /// Architecture numbers the ledger charges FLOPs with.
    public let flopModel: FlopModel
    /// The stop conditions in force (the policy's, possibly overridden by the context).
    public let stopConditions: StopConditions
    /// The cap every forward is checked against.
    public let budget: Budget
    /// Everything charged so far.
    public private(set) var ledger = ComputeLedger()
    /// The largest single batched step charged so far, in the budget's unit.
    public private(set) var largestStep: Double = 0
    private var tracks: [SequenceID: Track] = [:]
    private let stopWindow: Int

    /// Wraps `base`; the context creates one per search.
    public init(_ base: any Policy, stopConditions: StopConditions, budget: Budget) {
        self.base = base
        self.flopModel = base.flopModel
        self.stopConditions = stopConditions
        self.budget = budget
        // A new stop-string occurrence must overlap the last token; with at least one byte per
        // token, this many trailing tokens always cover it.
        self.stopWindow = (stopConditions.stopStrings.map(\.utf8.count).max() ?? 0) + 2
    }

    /// Width of the hidden vectors a value head reads.
    public var hiddenSize: Int { base.hiddenSize }
    /// How many sequences this search holds.
    public var liveSequences: Int { tracks.count }

    // MARK: Sequences

    /// Creates a sequence holding the tokenized prompt (computed, and charged as prefill, by
    /// the first read).
    public func start(prompt: String) throws -> SequenceID {
        let tokens = try base.encode(prompt: prompt)
        let id = try base.makeSequence()
        tracks[id] = Track(tokens: tokens, computed: 0, promptLength: tokens.count, stop: nil)
        return id
    }

    /// A new sequence sharing `parent`'s computed tokens. Pending tokens of the parent are
    /// computed first, so children never recompute them.
    public func fork(_ parent: SequenceID) throws -> SequenceID {
        try flush([parent])
        let track = try self.track(parent)
        let child = try base.fork(parent)
        tracks[child] = track
        ledger.reusedKVTokens += track.computed
        return child
    }

    /// Frees a sequence (unknown handles are ignored, so releasing twice is harmless).
    public func release(_ sequence: SequenceID) {
        guard tracks.removeValue(forKey: sequence) != nil else { return }
        base.release(sequence)
    }

    /// Frees every sequence this search still holds (the context calls this when it finishes).
    public func releaseAll() {
        for id in tracks.keys.sorted(by: { $0.rawValue < $1.rawValue }) { release(id) }
    }

    /// Records a generated token (computed later, lazily) and reports whether the sequence
    /// stopped: an EOS id, a stop string now contained in the completion, or the length cap.
    @discardableResult
    public func append(_ sequence: SequenceID, token: Int) throws -> StopReason? {
        var track = try self.track(sequence)
        if let stop = track.stop { throw SearchError.appendAfterStop(sequence, stop) }
        track.stop = stopReason(after: track.tokens, promptLength: track.promptLength, adding: token)
        track.tokens.append(token)
        ledger.generatedTokens += 1
        if track.stop != nil { ledger.samples += 1 }
        tracks[sequence] = track
        return track.stop
    }

    /// Whether appending `token` would stop the sequence, and why (nothing is changed).
    public func wouldStop(_ sequence: SequenceID, adding token: Int) throws -> StopReason? {
        let track = try self.track(sequence)
        return stopReason(after: track.tokens, promptLength: track.promptLength, adding: token)
    }

    private func stopReason(after tokens: [Int], promptLength: Int, adding token: Int) -> StopReason? {
        if stopConditions.eosTokenIDs.contains(token) { return .eos }
        let completionLength = tokens.count + 1 - promptLength
        if !stopConditions.stopStrings.isEmpty {
            // A new occurrence must overlap the new token; the window covers any stop string.
            let tail = Array(tokens.suffix(max(0, min(stopWindow, completionLength - 1)))) + [token]
            let text = base.detokenize(tail)
            if stopConditions.stopStrings.contains(where: { text.contains($0) }) { return .stopString }
        }
        return completionLength >= stopConditions.maxNewTokens ? .maxTokens : nil
    }

    // MARK: Reads (each may run one batched forward)

    /// Next-token candidates for each sequence, with `processor` applied (see `Policy`).
    public func candidates(_ sequences: [SequenceID], processor: (any LogitsProcessor)?) throws -> [Candidates] {
        try flush(sequences)
        return try base.nextTokenCandidates(sequences, processor: processor)
    }

    /// The hidden vector at the last position of each sequence.
    public func hiddenStates(_ sequences: [SequenceID]) throws -> [[Float]] {
        try flush(sequences)
        return try base.hiddenStates(sequences)
    }

    /// What computing the pending tokens of `sequences` would charge (zero if none are pending).
    public func flushCost(_ sequences: [SequenceID]) -> ComputeLedger {
        var cost = ComputeLedger()
        var seen = Set<SequenceID>()
        for id in sequences where seen.insert(id).inserted {
            guard let track = tracks[id], track.tokens.count > track.computed else { continue }
            let pending = track.tokens.count - track.computed
            let prompt = max(0, min(track.promptLength, track.tokens.count) - track.computed)
            cost.prefillTokens += prompt
            cost.decodeTokens += pending - prompt
            cost.policyFLOPs += flopModel.forwardFLOPs(newTokens: pending, pastLength: track.computed)
        }
        if cost.prefillTokens + cost.decodeTokens > 0 { cost.forwardBatches = 1 }
        return cost
    }

    /// Computes the pending tokens of `sequences` in one batched forward. Refused once the
    /// ledger is past the budget's cap.
    public func flush(_ sequences: [SequenceID]) throws {
        var ids: [SequenceID] = []
        var tokens: [[Int]] = []
        var seen = Set<SequenceID>()
        for id in sequences where seen.insert(id).inserted {
            let track = try self.track(id)
            if track.tokens.count > track.computed {
                ids.append(id)
                tokens.append(Array(track.tokens[track.computed...]))
            }
        }
        guard !ids.isEmpty else { return }
        guard budget.allows(ledger) else {
            throw SearchError.budgetExhausted(used: budget.used(ledger), limit: budget.limit, unit: budget.unit)
        }
        let cost = flushCost(ids)
        try base.extend(ids, tokens: tokens)
        for id in ids {
            if var track = tracks[id] {
                track.computed = track.tokens.count
                tracks[id] = track
            }
        }
        charge(cost)
    }

    // MARK: Inspection

    /// All tokens of a sequence, prompt included.
    public func tokens(of sequence: SequenceID) throws -> [Int] { try track(sequence).tokens }
    /// The tokens after the prompt.
    public func completionTokens(of sequence: SequenceID) throws -> [Int] {
        let track = try self.track(sequence)
        return Array(track.tokens[track.promptLength...])
    }
    /// The text after the prompt.
    public func completion(of sequence: SequenceID) throws -> String {
        base.detokenize(try completionTokens(of: sequence))
    }
    /// How many tokens the model has computed for the sequence.
    public func computedLength(of sequence: SequenceID) throws -> Int { try track(sequence).computed }
    /// Why the sequence stopped, or `nil` while it may continue.
    public func stopReason(of sequence: SequenceID) throws -> StopReason? { try track(sequence).stop }
    /// Renders tokens as text.
    public func detokenize(_ tokens: [Int]) -> String { base.detokenize(tokens) }

    // MARK: Charging (the context's value and verifier calls)

    /// Adds `cost` to the ledger and remembers the largest single step.
    func charge(_ cost: ComputeLedger) {
        ledger += cost
        noteStep(cost)
    }

    /// Records a batched step's size without charging it (generation steps, charged piecewise).
    func noteStep(_ cost: ComputeLedger) {
        largestStep = max(largestStep, budget.used(cost))
    }

    /// Stamps the search's wall time.
    func setWallSeconds(_ seconds: Double) { ledger.wallSeconds = seconds }

    private func track(_ id: SequenceID) throws -> Track {
        guard let track = tracks[id] else { throw SearchError.unknownSequence(id) }
        return track
    }
}
