import PonderModel

/// The transformer Ponder runs (`TransformerModel`: Qwen2/Llama, pre-norm RMSNorm, RoPE,
/// grouped-query causal attention with optional q/k/v/o biases, SwiGLU MLP, tied or untied
/// head) with a training forward pass that keeps its activations and a backward pass that
/// accumulates exact gradients into `gradients`.
///
/// The class knows nothing about losses: `forward` returns logits and `backward` takes
/// ∂L/∂logits, so SFT (token cross-entropy), GRPO (advantage-weighted log-probabilities) and
/// anything else only differ in how they turn logits into that gradient. The arithmetic is
/// the inference engine's, operation for operation, so the logits equal `TransformerModel`'s
/// on the same weights.
public final class DifferentiableTransformer {
    /// The trained parameters (updated in place by an optimizer).
    public let parameters: ModelParameters
    /// Gradient accumulators, same structure as `parameters`. `backward` adds to them;
    /// `zeroGradients()` clears them.
    public let gradients: ModelParameters

    private let config: ModelConfig
    private let rotary: RotaryEmbedding
    private let backend = CPUBackend()
    private let store: ActivationStore
    private let shape: AttentionShape
    /// The batch of the last `forward`, which `backward` differentiates.
    private var batch: TokenBatch?
    /// Offset of each sequence's probabilities inside a layer's probability buffer.
    private var probabilityOffsets: [Int] = []

    /// A trainer over `parameters` (shared, not copied).
    public init(parameters: ModelParameters) {
        self.parameters = parameters
        self.gradients = parameters.zerosLike()
        self.config = parameters.config
        self.rotary = RotaryEmbedding(config: parameters.config)
        self.store = ActivationStore(config: parameters.config)
        let c = parameters.config
        self.shape = AttentionShape(heads: c.numAttentionHeads, kvHeads: c.numKeyValueHeads, headDim: c.headDim,
                                    scale: 1 / Float(c.headDim).squareRoot())
    }

    /// Clears the gradient accumulators.
    public func zeroGradients() { gradients.zero() }

    /// Runs `batch` through the model, keeping what `backward` needs, and returns the logits
    /// of every row: `[batch.rows, vocab_size]`, valid until the next `forward`.
    @discardableResult
    public func forward(_ batch: TokenBatch) -> UnsafeBufferPointer<Float> {
        let c = config
        let rows = batch.rows, h = c.hiddenSize, inter = c.intermediateSize
        probabilityOffsets = []
        var probabilityCount = 0
        for sequence in batch.sequences {
            probabilityOffsets.append(probabilityCount)
            probabilityCount += c.numAttentionHeads * sequence.tokens.count * sequence.tokens.count
        }
        store.ensure(rows: rows, probabilityCount: probabilityCount, longest: batch.longest)
        self.batch = batch
        let weights = parameters.weights

        // Embeddings and positions (each sequence starts at position 0). x: [rows, hidden]
        let x = store.layers.first?.input.pointer ?? store.finalInput.pointer
        var positions: [Int] = []
        positions.reserveCapacity(rows)
        for (index, sequence) in batch.sequences.enumerated() {
            for (position, token) in sequence.tokens.enumerated() {
                (x + (batch.rowOffsets[index] + position) * h).update(from: weights.embedding.pointer + token * h, count: h)
                positions.append(position)
            }
        }
        positions.withUnsafeBufferPointer {
            rotary.fill(positions: $0, cos: store.cos.pointer, sin: store.sin.pointer)
        }

        let eps = Float(c.rmsNormEps)
        for (index, layer) in weights.layers.enumerated() {
            let saved = store.layers[index]
            let next = index + 1 < store.layers.count ? store.layers[index + 1].input.pointer : store.finalInput.pointer
            // Attention block: middle = input + o_proj(attention(rope(q), rope(k), v)).
            TrainingKernels.rmsNorm(saved.input.pointer, rows: rows, dim: h, weight: layer.inputNorm.pointer, eps: eps,
                                    into: saved.normed1.pointer, inverseRMS: saved.inverseRMS1.pointer)
            backend.linear(saved.normed1.pointer, rows: rows, layer.query, into: saved.query.pointer, accumulate: false)
            backend.linear(saved.normed1.pointer, rows: rows, layer.key, into: saved.key.pointer, accumulate: false)
            backend.linear(saved.normed1.pointer, rows: rows, layer.value, into: saved.value.pointer, accumulate: false)
            TrainingKernels.rotate(saved.query.pointer, rows: rows, heads: c.numAttentionHeads, headDim: c.headDim,
                                   cos: store.cos.pointer, sin: store.sin.pointer, inverse: false)
            TrainingKernels.rotate(saved.key.pointer, rows: rows, heads: c.numKeyValueHeads, headDim: c.headDim,
                                   cos: store.cos.pointer, sin: store.sin.pointer, inverse: false)
            for (s, sequence) in batch.sequences.enumerated() {
                let first = batch.rowOffsets[s]
                TrainingKernels.attentionForward(
                    q: saved.query.pointer + first * c.queryDim, k: saved.key.pointer + first * c.keyValueDim,
                    v: saved.value.pointer + first * c.keyValueDim, n: sequence.tokens.count, shape: shape,
                    probs: saved.probabilities.pointer + probabilityOffsets[s],
                    out: saved.attention.pointer + first * c.queryDim)
            }
            saved.middle.pointer.update(from: saved.input.pointer, count: rows * h)
            backend.linear(saved.attention.pointer, rows: rows, layer.output, into: saved.middle.pointer, accumulate: true)

            // MLP block: next = middle + down(silu(gate(n)) ⊙ up(n)), n = rmsnorm(middle).
            TrainingKernels.rmsNorm(saved.middle.pointer, rows: rows, dim: h, weight: layer.postAttentionNorm.pointer,
                                    eps: eps, into: saved.normed2.pointer, inverseRMS: saved.inverseRMS2.pointer)
            backend.linear(saved.normed2.pointer, rows: rows, layer.gate, into: saved.gate.pointer, accumulate: false)
            backend.linear(saved.normed2.pointer, rows: rows, layer.up, into: saved.up.pointer, accumulate: false)
            TrainingKernels.swiglu(gate: saved.gate.pointer, up: saved.up.pointer, count: rows * inter,
                                   into: saved.activated.pointer)
            next.update(from: saved.middle.pointer, count: rows * h)
            backend.linear(saved.activated.pointer, rows: rows, layer.down, into: next, accumulate: true)
        }

        // Final norm and output head. logits: [rows, vocab]
        TrainingKernels.rmsNorm(store.finalInput.pointer, rows: rows, dim: h, weight: weights.finalNorm.pointer,
                                eps: eps, into: store.finalNormed.pointer, inverseRMS: store.finalInverseRMS.pointer)
        backend.linear(store.finalNormed.pointer, rows: rows, weights.output, into: store.logits.pointer, accumulate: false)
        return UnsafeBufferPointer(start: store.logits.pointer, count: rows * c.vocabSize)
    }

    /// The final hidden states (after the last RMSNorm) of the last `forward`: `[rows, hidden]`.
    public var finalHiddenStates: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: store.finalNormed.pointer, count: (batch?.rows ?? 0) * config.hiddenSize)
    }

    /// Backpropagates ∂L/∂logits (`[rows, vocab_size]` for the last `forward`'s batch) and
    /// adds the parameter gradients to `gradients`.
    public func backward(logitGradients dLogits: UnsafePointer<Float>) {
        guard let batch else { preconditionFailure("backward needs a forward pass first") }
        let c = config
        let rows = batch.rows, h = c.hiddenSize, inter = c.intermediateSize
        let weights = parameters.weights, grads = gradients.weights
        let dx = store.dx.pointer, dNormed = store.dNormed.pointer

        // Output head and final norm: dNormed = dLogits · W_out, dW_out += dLogitsᵀ · normed.
        TrainingKernels.linearBackward(store.finalNormed.pointer, rows: rows, layer: weights.output, dy: dLogits,
                                       gradient: grads.output, dx: dNormed, accumulateInput: false)
        dx.update(repeating: 0, count: rows * h)
        TrainingKernels.rmsNormBackward(store.finalInput.pointer, rows: rows, dim: h, weight: weights.finalNorm.pointer,
                                        inverseRMS: store.finalInverseRMS.pointer, dy: dNormed, dx: dx,
                                        dWeight: grads.finalNorm.pointer)

        for index in stride(from: weights.layers.count - 1, through: 0, by: -1) {
            let layer = weights.layers[index], grad = grads.layers[index], saved = store.layers[index]
            // MLP block; dx is ∂L/∂(layer output) = ∂L/∂middle through the residual.
            TrainingKernels.linearBackward(saved.activated.pointer, rows: rows, layer: layer.down, dy: dx,
                                           gradient: grad.down, dx: store.dActivated.pointer, accumulateInput: false)
            TrainingKernels.swigluBackward(gate: saved.gate.pointer, up: saved.up.pointer,
                                           dAct: store.dActivated.pointer, count: rows * inter,
                                           dGate: store.dGate.pointer, dUp: store.dUp.pointer)
            TrainingKernels.linearBackward(saved.normed2.pointer, rows: rows, layer: layer.gate, dy: store.dGate.pointer,
                                           gradient: grad.gate, dx: dNormed, accumulateInput: false)
            TrainingKernels.linearBackward(saved.normed2.pointer, rows: rows, layer: layer.up, dy: store.dUp.pointer,
                                           gradient: grad.up, dx: dNormed, accumulateInput: true)
            TrainingKernels.rmsNormBackward(saved.middle.pointer, rows: rows, dim: h,
                                            weight: layer.postAttentionNorm.pointer, inverseRMS: saved.inverseRMS2.pointer,
                                            dy: dNormed, dx: dx, dWeight: grad.postAttentionNorm.pointer)

            // Attention block; dx is now ∂L/∂middle = ∂L/∂(o_proj output) = ∂L/∂input through the residual.
            TrainingKernels.linearBackward(saved.attention.pointer, rows: rows, layer: layer.output, dy: dx,
                                           gradient: grad.output, dx: store.dAttention.pointer, accumulateInput: false)
            store.dKey.pointer.update(repeating: 0, count: rows * c.keyValueDim)
            store.dValue.pointer.update(repeating: 0, count: rows * c.keyValueDim)
            for (s, sequence) in batch.sequences.enumerated() {
                let first = batch.rowOffsets[s]
                TrainingKernels.attentionBackward(
                    q: saved.query.pointer + first * c.queryDim, k: saved.key.pointer + first * c.keyValueDim,
                    v: saved.value.pointer + first * c.keyValueDim, n: sequence.tokens.count, shape: shape,
                    probs: saved.probabilities.pointer + probabilityOffsets[s],
                    dOut: store.dAttention.pointer + first * c.queryDim,
                    dq: store.dQuery.pointer + first * c.queryDim, dk: store.dKey.pointer + first * c.keyValueDim,
                    dv: store.dValue.pointer + first * c.keyValueDim, scratch: store.dScores.pointer)
            }
            // RoPE backward: rotate the gradients back by the negative angle.
            TrainingKernels.rotate(store.dQuery.pointer, rows: rows, heads: c.numAttentionHeads, headDim: c.headDim,
                                   cos: store.cos.pointer, sin: store.sin.pointer, inverse: true)
            TrainingKernels.rotate(store.dKey.pointer, rows: rows, heads: c.numKeyValueHeads, headDim: c.headDim,
                                   cos: store.cos.pointer, sin: store.sin.pointer, inverse: true)
            TrainingKernels.linearBackward(saved.normed1.pointer, rows: rows, layer: layer.query, dy: store.dQuery.pointer,
                                           gradient: grad.query, dx: dNormed, accumulateInput: false)
            TrainingKernels.linearBackward(saved.normed1.pointer, rows: rows, layer: layer.key, dy: store.dKey.pointer,
                                           gradient: grad.key, dx: dNormed, accumulateInput: true)
            TrainingKernels.linearBackward(saved.normed1.pointer, rows: rows, layer: layer.value, dy: store.dValue.pointer,
                                           gradient: grad.value, dx: dNormed, accumulateInput: true)
            TrainingKernels.rmsNormBackward(saved.input.pointer, rows: rows, dim: h, weight: layer.inputNorm.pointer,
                                            inverseRMS: saved.inverseRMS1.pointer, dy: dNormed, dx: dx,
                                            dWeight: grad.inputNorm.pointer)
        }

        // Embedding lookup: each row's gradient goes to its token's row, in row order.
        let dEmbedding = grads.embedding.pointer
        for (s, sequence) in batch.sequences.enumerated() {
            for (position, token) in sequence.tokens.enumerated() {
                let source = dx + (batch.rowOffsets[s] + position) * h, target = dEmbedding + token * h
                for i in 0..<h { target[i] += source[i] }
            }
        }
    }
}
