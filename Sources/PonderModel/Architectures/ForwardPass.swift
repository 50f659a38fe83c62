/// Which positions a forward pass returns outputs for.
public enum OutputPositions: Sendable {
    /// Only each sequence's last new token (generation, search).
    case last
    /// Every new token (scoring a whole continuation, parity tests).
    case all
}

extension TransformerModel {
    /// The batched forward pass behind both `extend` (contiguous `KVCache`s) and `Engine`
    /// (paged blocks): every matrix product covers all new tokens of all sequences, and each
    /// sequence attends only to its own blocks.
    ///
    /// Inputs are in `workspace`: `tokens[0..<rows]` (the sequences' new tokens back to back)
    /// and `sequences[0..<sequenceCount]` (in row order, block tables with room for the new
    /// positions). Outputs: `outputHidden` [outputRows, hidden] (after the final norm) and
    /// `logits` [outputRows, vocab], with `.last` one row per sequence. Returns outputRows.
    /// Callers validate everything first; this cannot fail.
    func runForward(rows: Int, sequenceCount: Int, outputs: OutputPositions, workspace: ForwardWorkspace) -> Int {
        let c = config
        let h = c.hiddenSize, inter = c.intermediateSize, vocab = c.vocabSize
        let outputRows = outputs == .last ? sequenceCount : rows
        workspace.ensure(rows: rows, outputRows: outputRows)
        let sequences = UnsafeBufferPointer(rebasing: workspace.sequences[0..<sequenceCount])
        let x = workspace.x.pointer, normed = workspace.normed.pointer
        let q = workspace.query.pointer, k = workspace.key.pointer, v = workspace.value.pointer
        let att = workspace.attention.pointer, gate = workspace.gate.pointer, up = workspace.up.pointer
        let tokens = workspace.tokens, positions = workspace.positions

        // Embeddings and positions. x: [rows, hidden]
        for s in sequences {
            for t in 0..<s.rows {
                let row = s.firstRow + t
                (x + row * h).update(from: weights.embedding.pointer + tokens[row] * h, count: h)
                positions[row] = s.startPosition + t
            }
        }
        rotary.fill(positions: UnsafeBufferPointer(rebasing: positions[0..<rows]),
                    cos: workspace.cos.pointer, sin: workspace.sin.pointer)

        let eps = Float(c.rmsNormEps)
        let shape = AttentionShape(config: c)
        for (index, layer) in weights.layers.enumerated() {
            // Attention block: x += o_proj(attention(rope(q), rope(k), v)) over rmsnorm(x).
            backend.rmsNorm(x, rows: rows, dim: h, weight: layer.inputNorm.pointer, eps: eps, into: normed)
            // q: [rows, qDim], k, v: [rows, kvDim]
            backend.linear(normed, rows: rows, LinearGroup((layer.query, q), (layer.key, k), (layer.value, v)))
            backend.applyRotary(q, rows: rows, heads: c.numAttentionHeads, headDim: c.headDim,
                                cos: workspace.cos.pointer, sin: workspace.sin.pointer)
            backend.applyRotary(k, rows: rows, heads: c.numKeyValueHeads, headDim: c.headDim,
                                cos: workspace.cos.pointer, sin: workspace.sin.pointer)
            backend.attention(query: q, keys: k, values: v, sequences: sequences, layer: index, shape: shape,
                              output: att, scratch: workspace.attentionScratch)
            backend.linear(att, rows: rows, layer.output, into: x, accumulate: true)

            // MLP block: x += down(silu(gate(n)) ⊙ up(n)), n = rmsnorm(x).
            backend.rmsNorm(x, rows: rows, dim: h, weight: layer.postAttentionNorm.pointer, eps: eps, into: normed)
            backend.linear(normed, rows: rows, LinearGroup((layer.gate, gate), (layer.up, up)))  // [rows, inter]
            backend.siluMultiply(gate, up, count: rows * inter)
            backend.linear(gate, rows: rows, layer.down, into: x, accumulate: true)
        }

        // Final norm and output projection, only for the rows asked for.
        let hidden = workspace.outputHidden.pointer, logits = workspace.logits.pointer  // [outputRows, hidden / vocab]
        switch outputs {
        case .all:
            backend.rmsNorm(x, rows: rows, dim: h, weight: weights.finalNorm.pointer, eps: eps, into: hidden)
        case .last:
            for (i, s) in sequences.enumerated() {
                VectorKernels.rmsNorm(x + (s.firstRow + s.rows - 1) * h, dim: h, weight: weights.finalNorm.pointer,
                                      eps: eps, into: hidden + i * h)
            }
        }
        backend.linear(hidden, rows: outputRows, weights.output, into: logits, accumulate: false)
        if validVocabularySize < vocab {
            for r in 0..<outputRows {
                (logits + r * vocab + validVocabularySize).update(repeating: -.infinity, count: vocab - validVocabularySize)
            }
        }
        return outputRows
    }
}
