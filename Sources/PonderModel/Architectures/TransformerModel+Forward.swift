/// Which positions a forward pass returns outputs for.
public enum OutputPositions: Sendable {
    /// Only each sequence's last new token (generation, search).
    case last
    /// Every new token (scoring a whole continuation, parity tests).
    case all
}

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
    /// new tokens × context); `forward` chunks long prompts.
    public func extend(_ sequences: [SequenceExtension], workspace: ForwardWorkspace,
                       outputs: OutputPositions = .last, returnHiddenStates: Bool = false) throws -> [ForwardResult] {
        let c = config
        let h = c.hiddenSize, qDim = c.queryDim, kvDim = c.keyValueDim, inter = c.intermediateSize
        let vocab = c.vocabSize, half = c.headDim / 2
        guard workspace.hidden == h, workspace.queryDim == qDim, workspace.keyValueDim == kvDim,
              workspace.intermediate == inter, workspace.vocab == vocab, workspace.rotaryHalf == half else {
            throw ModelError.workspaceMismatch
        }

        // Validate everything before touching any cache, so a bad request changes nothing.
        var seen = Set<ObjectIdentifier>()
        var rows = 0, scoreCount = 0, outputRows = 0
        for sequence in sequences {
            try validate(sequence)
            guard seen.insert(ObjectIdentifier(sequence.cache)).inserted else { throw ModelError.duplicateSequence }
            let end = sequence.cache.count + sequence.tokens.count
            rows += sequence.tokens.count
            scoreCount = max(scoreCount, sequence.tokens.count * end)
            outputRows += outputs == .last ? 1 : sequence.tokens.count
        }
        guard rows > 0 else { return [] }
        workspace.ensure(rows: rows, scoreCount: scoreCount, outputRows: outputRows)
        for sequence in sequences { sequence.cache.reserve(sequence.cache.count + sequence.tokens.count) }

        let x = workspace.x.pointer, normed = workspace.normed.pointer
        let q = workspace.query.pointer, k = workspace.key.pointer, v = workspace.value.pointer
        let att = workspace.attention.pointer, gate = workspace.gate.pointer, up = workspace.up.pointer
        let positions = workspace.positions

        // Embeddings and positions. x: [rows, hidden]
        var row = 0
        for sequence in sequences {
            for (offset, token) in sequence.tokens.enumerated() {
                (x + row * h).update(from: weights.embedding.pointer + token * h, count: h)
                positions[row] = sequence.cache.count + offset
                row += 1
            }
        }
        rotary.fill(positions: UnsafeBufferPointer(rebasing: positions[0..<rows]),
                    cos: workspace.cos.pointer, sin: workspace.sin.pointer)

        let eps = Float(c.rmsNormEps)
        let scale = 1 / Float(c.headDim).squareRoot()
        for (index, layer) in weights.layers.enumerated() {
            // Attention block: x += o_proj(attention(rope(q), rope(k), v)) over rmsnorm(x).
            backend.rmsNorm(x, rows: rows, dim: h, weight: layer.inputNorm.pointer, eps: eps, into: normed)
            backend.linear(normed, rows: rows, layer.query, into: q, accumulate: false)  // [rows, qDim]
            backend.linear(normed, rows: rows, layer.key, into: k, accumulate: false)    // [rows, kvDim]
            backend.linear(normed, rows: rows, layer.value, into: v, accumulate: false)  // [rows, kvDim]
            backend.applyRotary(q, rows: rows, heads: c.numAttentionHeads, headDim: c.headDim,
                                cos: workspace.cos.pointer, sin: workspace.sin.pointer)
            backend.applyRotary(k, rows: rows, heads: c.numKeyValueHeads, headDim: c.headDim,
                                cos: workspace.cos.pointer, sin: workspace.sin.pointer)
            var first = 0
            for sequence in sequences {
                let n = sequence.tokens.count, start = sequence.cache.count
                let keys = sequence.cache.keys(layer: index), values = sequence.cache.values(layer: index)
                (keys + start * kvDim).update(from: k + first * kvDim, count: n * kvDim)
                (values + start * kvDim).update(from: v + first * kvDim, count: n * kvDim)
                backend.attention(query: q + first * qDim, rows: n, startPosition: start,
                                  keys: keys, values: values, heads: c.numAttentionHeads,
                                  kvHeads: c.numKeyValueHeads, headDim: c.headDim, scale: scale,
                                  scores: workspace.scores.pointer, output: att + first * qDim)
                first += n
            }
            backend.linear(att, rows: rows, layer.output, into: x, accumulate: true)

            // MLP block: x += down(silu(gate(n)) ⊙ up(n)), n = rmsnorm(x).
            backend.rmsNorm(x, rows: rows, dim: h, weight: layer.postAttentionNorm.pointer, eps: eps, into: normed)
            backend.linear(normed, rows: rows, layer.gate, into: gate, accumulate: false)  // [rows, inter]
            backend.linear(normed, rows: rows, layer.up, into: up, accumulate: false)      // [rows, inter]
            backend.siluMultiply(gate, up, count: rows * inter)
            backend.linear(gate, rows: rows, layer.down, into: x, accumulate: true)
        }
        for sequence in sequences { sequence.cache.advance(by: sequence.tokens.count) }

        // Final norm and output projection, only for the rows asked for.
        let hidden = workspace.outputHidden.pointer, logits = workspace.logits.pointer  // [outputRows, hidden / vocab]
        var outputRow = 0, inputRow = 0
        var rowCounts: [Int] = []
        rowCounts.reserveCapacity(sequences.count)
        for sequence in sequences {
            let n = sequence.tokens.count
            let selected = outputs == .last ? (inputRow + n - 1)..<(inputRow + n) : inputRow..<(inputRow + n)
            backend.rmsNorm(x + selected.lowerBound * h, rows: selected.count, dim: h,
                            weight: weights.finalNorm.pointer, eps: eps, into: hidden + outputRow * h)
            outputRow += selected.count
            inputRow += n
            rowCounts.append(selected.count)
        }
        backend.linear(hidden, rows: outputRow, weights.output, into: logits, accumulate: false)
        if validVocabularySize < vocab {
            for r in 0..<outputRow {
                (logits + r * vocab + validVocabularySize).update(repeating: -.infinity, count: vocab - validVocabularySize)
            }
        }

        var results: [ForwardResult] = []
        results.reserveCapacity(sequences.count)
        var offset = 0
        for count in rowCounts {
            let rowLogits = Array(UnsafeBufferPointer(start: logits + offset * vocab, count: count * vocab))
            let rowHidden = returnHiddenStates
                ? Array(UnsafeBufferPointer(start: hidden + offset * h, count: count * h)) : nil
            results.append(ForwardResult(rows: count, logits: rowLogits, hiddenStates: rowHidden, vocabularySize: vocab))
            offset += count
        }
        return results
    }
}
