/// New tokens to append to one sequence in a batched forward pass.
public struct SequenceExtension {
    /// The sequence's cache; its `count` is the first new token's position.
    public let cache: KVCache
    /// The tokens to append.
    public let tokens: [Int]

    public init(cache: KVCache, tokens: [Int]) {
        self.cache = cache
        self.tokens = tokens
    }
}

/// What a forward pass returns for one sequence.
public struct ForwardResult: Sendable {
    /// Rows returned (1 for `.last`, the number of new tokens for `.all`).
    public let rows: Int
    /// Logits per row: `[rows, vocab_size]`, −∞ at ids ≥ the valid vocabulary size.
    public let logits: [Float]
    /// Final hidden states (after the last RMSNorm) per row, `[rows, hidden]`, when requested.
    public let hiddenStates: [Float]?
    /// The logits row width (config `vocab_size`).
    public let vocabularySize: Int

    /// Logits of row `row`.
    public func logits(row: Int) -> ArraySlice<Float> {
        logits[(row * vocabularySize)..<((row + 1) * vocabularySize)]
    }

    /// Logits of the last row (the next-token distribution).
    public var lastLogits: ArraySlice<Float> { logits(row: rows - 1) }
}

extension TransformerModel {
    /// Prompt tokens processed per batched pass by `forward`. Chunking bounds scratch memory
    /// (the attention score matrix is chunk × context per head) for long prompts, at no cost
    /// in accuracy: later chunks attend to earlier ones through the cache.
    public static let defaultPrefillChunkSize = 512

    /// Runs `tokens` through the model after what `cache` already holds, appends their keys
    /// and values to `cache`, and returns the logits of the last token (or of every token).
    /// The prompt goes through in batched passes of up to `prefillChunkSize` tokens; decoding
    /// then costs one token's work. Invalid input throws before the cache changes.
    public func forward(tokens: [Int], cache: KVCache, workspace: ForwardWorkspace? = nil,
                        outputs: OutputPositions = .last, returnHiddenStates: Bool = false,
                        prefillChunkSize: Int = TransformerModel.defaultPrefillChunkSize) throws -> ForwardResult {
        try validate(SequenceExtension(cache: cache, tokens: tokens))
        let workspace = workspace ?? makeWorkspace()
        let chunk = max(1, prefillChunkSize)
        var logits: [Float] = [], hidden: [Float] = [], rows = 0
        var last: ForwardResult?
        for start in stride(from: 0, to: tokens.count, by: chunk) {
            let piece = Array(tokens[start..<min(start + chunk, tokens.count)])
            let result = try extend([SequenceExtension(cache: cache, tokens: piece)], workspace: workspace,
                                    outputs: outputs, returnHiddenStates: returnHiddenStates)[0]
            if outputs == .all {
                logits += result.logits
                hidden += result.hiddenStates ?? []
                rows += result.rows
            }
            last = result
        }
        guard let last else { throw ModelError.emptyInput }
        if outputs == .last || tokens.count <= chunk { return last }
        return ForwardResult(rows: rows, logits: logits, hiddenStates: returnHiddenStates ? hidden : nil,
                             vocabularySize: config.vocabSize)
    }

    /// Checks one request against the model and its cache without changing anything.
    func validate(_ sequence: SequenceExtension) throws {
        let c = config
        guard !sequence.tokens.isEmpty else { throw ModelError.emptyInput }
        guard sequence.cache.layerCount == c.numHiddenLayers, sequence.cache.keyValueDim == c.keyValueDim else {
            throw ModelError.cacheMismatch("it has \(sequence.cache.layerCount) layers × \(sequence.cache.keyValueDim) but the model needs \(c.numHiddenLayers) × \(c.keyValueDim)")
        }
        for token in sequence.tokens where token < 0 || token >= c.vocabSize {
            throw ModelError.invalidTokenID(token, vocabularySize: c.vocabSize)
        }
        let end = sequence.cache.count + sequence.tokens.count
        guard end <= c.maxPositionEmbeddings else {
            throw ModelError.contextTooLong(needed: end, limit: c.maxPositionEmbeddings)
        }
    }

    /// Appends tokens to several sequences in one forward pass: every matrix product covers
    /// all new tokens of all sequences, and each sequence attends only to its own cache.
    /// Returns one result per sequence, in order. Callers bound the batch (scratch grows with
    /// new tokens); `forward` chunks long prompts.
    public func extend(_ sequences: [SequenceExtension], workspace: ForwardWorkspace,
                       outputs: OutputPositions = .last, returnHiddenStates: Bool = false) throws -> [ForwardResult] {
        guard workspace.matches(config) else { throw ModelError.workspaceMismatch }
        // Validate everything before touching any cache, so a bad request changes nothing.
        var seen = Set<ObjectIdentifier>()
        var rows = 0
        for sequence in sequences {
            try validate(sequence)
            guard seen.insert(ObjectIdentifier(sequence.cache)).inserted else { throw ModelError.duplicateSequence }
            rows += sequence.tokens.count
        }
        guard rows > 0 else { return [] }
        workspace.ensure(rows: rows, outputRows: 0)
        workspace.ensureTables(sequences: sequences.count, blocks: 0)
        var row = 0
        for (i, sequence) in sequences.enumerated() {
            let cache = sequence.cache
            cache.reserve(cache.count + sequence.tokens.count)
            for token in sequence.tokens {
                workspace.tokens[row] = token
                row += 1
            }
            // A contiguous cache is one KV block as large as its capacity.
            workspace.sequences[i] = AttentionSequence(firstRow: row - sequence.tokens.count, rows: sequence.tokens.count,
                                                       startPosition: cache.count, blocks: cache.blockTable,
                                                       blockSize: cache.capacity)
        }
        let outputRows = runForward(rows: rows, sequenceCount: sequences.count, outputs: outputs, workspace: workspace)
        for sequence in sequences { sequence.cache.advance(by: sequence.tokens.count) }

        let h = config.hiddenSize, vocab = config.vocabSize
        let hidden = workspace.outputHidden.pointer, logits = workspace.logits.pointer
        var results: [ForwardResult] = []
        results.reserveCapacity(sequences.count)
        var offset = 0
        for sequence in sequences {
            let count = outputs == .last ? 1 : sequence.tokens.count
            let rowLogits = Array(UnsafeBufferPointer(start: logits + offset * vocab, count: count * vocab))
            let rowHidden = returnHiddenStates
                ? Array(UnsafeBufferPointer(start: hidden + offset * h, count: count * h)) : nil
            results.append(ForwardResult(rows: count, logits: rowLogits, hiddenStates: rowHidden, vocabularySize: vocab))
            offset += count
        }
        precondition(offset == outputRows, "forward pass returned an unexpected number of rows")
        return results
    }
}
