import PonderModel

/// Errors of the engine-backed policy. Messages say what is wrong and how to fix it.
public enum EnginePolicyError: Error, Equatable, CustomStringConvertible {
    /// A handle this policy does not hold (released, or from another policy).
    case unknownSequence(SequenceID)
    /// Candidates or a hidden state were read before the sequence computed any token.
    case notComputed(SequenceID)
    /// `extend` got a different number of token lists than sequences, or an empty list.
    case badExtension(String)

    public var description: String {
        switch self {
        case .unknownSequence(let id):
            return "\(id) is not a live sequence of the engine policy (released, or from another policy)"
        case .notComputed(let id):
            return "\(id) has no computed position yet; extend it with its prompt before reading candidates"
        case .badExtension(let reason):
            return "invalid extend call: \(reason)"
        }
    }
}

/// PonderSearch's `Policy` over a loaded checkpoint: what strategies run on when the lab
/// runs a real model.
///
/// Sequences are handles of one paged `Engine`: `extend` is one batched `Engine.extend` over all
/// new tokens of all listed sequences and keeps each one's last-position logits and final
/// hidden state (what candidates and the value head read). `fork` is O(1): the child shares
/// every KV block of its parent and copies only a shared partial block when it first writes,
/// so tree search never re-encodes or copies a prefix. A full KV cache surfaces as
/// `EngineError.cacheFull`, which the caller can answer by releasing sequences.
public final class EnginePolicy: Policy {
    private struct Slot {
        var handle: SequenceHandle
        /// Logits of the last computed position, `[vocab]` (nil before the first extend).
        var logits: [Float]?
        /// Final hidden state of the last computed position, `[hidden]`.
        var hidden: [Float]?
    }

    /// The checkpoint (weights, tokenizer, chat template).
    public let pretrained: PretrainedModel
    /// Whether prompts arrive rendered through the chat template (the task's `chat` style):
    /// they are then encoded without adding special tokens (the template printed BOS).
    public let chat: Bool
    /// FLOPs per forward, from the checkpoint's config: the engine's own formula, so the
    /// ledger's charge for a forward equals what the engine reports for it (`engineFLOPs`).
    public var flopModel: FlopModel { engine.flopModel }
    /// The checkpoint's EOS ids (config, generation config and tokenizer), the default
    /// length cap and step delimiters.
    public let defaultStopConditions: StopConditions
    /// Width of the final hidden state (`hidden_size`).
    public var hiddenSize: Int { pretrained.config.hiddenSize }

    private let tokenizer: Tokenizer
    /// The paged engine that owns every sequence's KV blocks.
    public let engine: Engine
    private var slots: [Int: Slot] = [:]
    private var nextID = 0

    /// A policy over `model`.
    /// - Parameters:
    ///   - chat: prompts are chat-template renderings (see `chat`); otherwise plain text,
    ///     encoded with the tokenizer's special tokens (BOS for Llama-style tokenizers).
    ///   - maxNewTokens: the default length cap of a completion.
    ///   - stepDelimiters: default step ends, when the task gives no step splitter.
    ///   - engineOptions: KV block size, cache cap and pass size of the paged engine.
    /// - Throws: `PromptError.noTokenizer` when the checkpoint has no `tokenizer.json`.
    public init(model: PretrainedModel, chat: Bool = false, maxNewTokens: Int = 512,
                stepDelimiters: [String] = ["\n\n"], engineOptions: EngineOptions = EngineOptions()) throws {
        self.pretrained = model
        self.chat = chat
        self.tokenizer = try model.requireTokenizer()
        self.defaultStopConditions = StopConditions(eosTokenIDs: model.eosTokenIds, stopStrings: [],
                                                    stepDelimiters: stepDelimiters, maxNewTokens: maxNewTokens)
        self.engine = try Engine(model: model.model, options: engineOptions)
    }

    /// The sum of `ExtendResult.flops` over every forward this policy ran: what the engine says
    /// it computed, kept so the ledger's charges can be checked against it.
    public private(set) var engineFLOPs: Double = 0

    /// Sequences currently held.
    public var liveSequences: Int { slots.count }

    /// Tokenizes a prompt: chat renderings without added special tokens, plain text with them.
    public func encode(prompt: String) throws -> [Int] {
        chat ? try pretrained.encodeRenderedChat(prompt) : try pretrained.encodePrompt(prompt, chat: false)
    }

    /// Decodes without special tokens (EOS, end-of-turn), as `skip_special_tokens=True` does,
    /// so stop strings and answers are matched on the visible text.
    public func detokenize(_ tokens: [Int]) -> String {
        if let text = try? tokenizer.decode(tokens, skipSpecialTokens: true) { return text }
        // An id outside the tokenizer (a padded vocabulary row) cannot be sampled, because the
        // model masks those logits; drop such ids rather than lose the whole text.
        return tokens.compactMap { try? tokenizer.decode([$0], skipSpecialTokens: true) }.joined()
    }

    /// A new, empty sequence (no KV memory until tokens arrive).
    public func makeSequence() throws -> SequenceID {
        nextID += 1
        slots[nextID] = Slot(handle: engine.start(), logits: nil, hidden: nil)
        return SequenceID(nextID)
    }

    /// An O(1) child sharing the parent's KV blocks (copy-on-write) and its last outputs.
    public func fork(_ parent: SequenceID) throws -> SequenceID {
        let slot = try self.slot(parent)
        let child = try engine.fork(slot.handle)
        nextID += 1
        slots[nextID] = Slot(handle: child, logits: slot.logits, hidden: slot.hidden)
        return SequenceID(nextID)
    }

    /// Frees a sequence; blocks no other sequence shares return to the engine's free list.
    public func release(_ sequence: SequenceID) {
        guard let slot = slots.removeValue(forKey: sequence.rawValue) else { return }
        // A handle this policy made and has not released is always known to its engine.
        try? engine.release(slot.handle)
    }

    /// One batched forward over every new token of every listed sequence. Invalid input
    /// (a bad id, a context overflow) throws before any cache changes.
    public func extend(_ sequences: [SequenceID], tokens: [[Int]]) throws {
        guard sequences.count == tokens.count else {
            throw EnginePolicyError.badExtension("\(sequences.count) sequences but \(tokens.count) token lists")
        }
        guard !sequences.isEmpty else { return }
        let handles = try zip(sequences, tokens).map { id, new in
            guard !new.isEmpty else { throw EnginePolicyError.badExtension("\(id) was given no tokens") }
            return try slot(id).handle
        }
        let result = try engine.extend(handles, tokens: tokens, returnHiddenStates: true)
        engineFLOPs += result.flops
        for (i, id) in sequences.enumerated() {
            slots[id.rawValue]?.logits = Array(result.logits(i))
            slots[id.rawValue]?.hidden = Array(result.hiddenState(i))
        }
    }

    /// The next-token distribution of each sequence (over the valid vocabulary), processed.
    public func nextTokenCandidates(_ sequences: [SequenceID], processor: (any LogitsProcessor)?) throws -> [Candidates] {
        let valid = pretrained.model.validVocabularySize
        return try sequences.map { id in
            guard let logits = try slot(id).logits else { throw EnginePolicyError.notComputed(id) }
            // Padded rows (≥ the valid vocabulary) are dropped, so they can never be chosen.
            var set = logits.withUnsafeBufferPointer { Candidates(logits: $0, validCount: valid) }
            processor?.process(&set)
            return set
        }
    }

    /// The final hidden state at each sequence's last computed position.
    public func hiddenStates(_ sequences: [SequenceID]) throws -> [[Float]] {
        try sequences.map { id in
            guard let hidden = try slot(id).hidden else { throw EnginePolicyError.notComputed(id) }
            return hidden
        }
    }

    private func slot(_ id: SequenceID) throws -> Slot {
        guard let slot = slots[id.rawValue] else { throw EnginePolicyError.unknownSequence(id) }
        return slot
    }
}
