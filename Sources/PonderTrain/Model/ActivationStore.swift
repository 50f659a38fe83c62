import PonderModel

/// What one decoder layer's forward pass keeps for its backward pass.
final class LayerActivations {
    let input: FloatBuffer        // [rows, hidden] residual stream entering the layer
    let normed1: FloatBuffer      // [rows, hidden] input_layernorm output
    let inverseRMS1: FloatBuffer  // [rows]
    let query: FloatBuffer        // [rows, heads · headDim], after RoPE
    let key: FloatBuffer          // [rows, kvHeads · headDim], after RoPE
    let value: FloatBuffer        // [rows, kvHeads · headDim]
    let probabilities: FloatBuffer  // per sequence [heads, n, n], back to back
    let attention: FloatBuffer    // [rows, heads · headDim] attention output before o_proj
    let middle: FloatBuffer       // [rows, hidden] residual stream after attention
    let normed2: FloatBuffer      // [rows, hidden] post_attention_layernorm output
    let inverseRMS2: FloatBuffer  // [rows]
    let gate: FloatBuffer         // [rows, intermediate] gate_proj output (pre-activation)
    let up: FloatBuffer           // [rows, intermediate]
    let activated: FloatBuffer    // [rows, intermediate] silu(gate) ⊙ up

    init(config: ModelConfig, rows: Int, probabilityCount: Int) {
        let h = config.hiddenSize, inter = config.intermediateSize
        input = FloatBuffer(count: rows * h)
        normed1 = FloatBuffer(count: rows * h)
        inverseRMS1 = FloatBuffer(count: rows)
        query = FloatBuffer(count: rows * config.queryDim)
        key = FloatBuffer(count: rows * config.keyValueDim)
        value = FloatBuffer(count: rows * config.keyValueDim)
        probabilities = FloatBuffer(count: probabilityCount)
        attention = FloatBuffer(count: rows * config.queryDim)
        middle = FloatBuffer(count: rows * h)
        normed2 = FloatBuffer(count: rows * h)
        inverseRMS2 = FloatBuffer(count: rows)
        gate = FloatBuffer(count: rows * inter)
        up = FloatBuffer(count: rows * inter)
        activated = FloatBuffer(count: rows * inter)
    }
}

/// Saved activations of a whole forward pass plus the backward pass's scratch, sized for a
/// number of rows and grown (never shrunk) as batches demand, so steady-state training
/// allocates nothing per step.
final class ActivationStore {
    let config: ModelConfig
    private(set) var rowCapacity = 0
    private(set) var probabilityCapacity = 0
    private(set) var longestCapacity = 0

    private(set) var layers: [LayerActivations] = []
    private(set) var finalInput = FloatBuffer(count: 0)   // [rows, hidden] stream after the last layer
    private(set) var finalNormed = FloatBuffer(count: 0)  // [rows, hidden]
    private(set) var finalInverseRMS = FloatBuffer(count: 0)  // [rows]
    private(set) var logits = FloatBuffer(count: 0)       // [rows, vocab]
    private(set) var cos = FloatBuffer(count: 0)          // [rows, headDim / 2]
    private(set) var sin = FloatBuffer(count: 0)          // [rows, headDim / 2]

    // Backward scratch.
    private(set) var dx = FloatBuffer(count: 0)           // [rows, hidden] gradient of the residual stream
    private(set) var dNormed = FloatBuffer(count: 0)      // [rows, hidden]
    private(set) var dQuery = FloatBuffer(count: 0)       // [rows, heads · headDim]
    private(set) var dKey = FloatBuffer(count: 0)         // [rows, kvHeads · headDim]
    private(set) var dValue = FloatBuffer(count: 0)       // [rows, kvHeads · headDim]
    private(set) var dAttention = FloatBuffer(count: 0)   // [rows, heads · headDim]
    private(set) var dGate = FloatBuffer(count: 0)        // [rows, intermediate]
    private(set) var dUp = FloatBuffer(count: 0)          // [rows, intermediate]
    private(set) var dActivated = FloatBuffer(count: 0)   // [rows, intermediate]
    private(set) var dScores = FloatBuffer(count: 0)      // [longest, longest]

    init(config: ModelConfig) {
        self.config = config
    }

    /// Makes room for `rows` rows, `probabilityCount` attention probabilities per layer and
    /// sequences of up to `longest` tokens.
    func ensure(rows: Int, probabilityCount: Int, longest: Int) {
        let c = config
        if rows > rowCapacity || probabilityCount > probabilityCapacity {
            let n = max(rows, rowCapacity)
            let p = max(probabilityCount, probabilityCapacity)
            layers = (0..<c.numHiddenLayers).map { _ in LayerActivations(config: c, rows: n, probabilityCount: p) }
            rowCapacity = n
            probabilityCapacity = p
            let h = c.hiddenSize, inter = c.intermediateSize
            finalInput = FloatBuffer(count: n * h)
            finalNormed = FloatBuffer(count: n * h)
            finalInverseRMS = FloatBuffer(count: n)
            logits = FloatBuffer(count: n * c.vocabSize)
            cos = FloatBuffer(count: n * c.headDim / 2)
            sin = FloatBuffer(count: n * c.headDim / 2)
            dx = FloatBuffer(count: n * h)
            dNormed = FloatBuffer(count: n * h)
            dQuery = FloatBuffer(count: n * c.queryDim)
            dKey = FloatBuffer(count: n * c.keyValueDim)
            dValue = FloatBuffer(count: n * c.keyValueDim)
            dAttention = FloatBuffer(count: n * c.queryDim)
            dGate = FloatBuffer(count: n * inter)
            dUp = FloatBuffer(count: n * inter)
            dActivated = FloatBuffer(count: n * inter)
        }
        if longest > longestCapacity {
            dScores = FloatBuffer(count: longest * longest)
            longestCapacity = longest
        }
    }
}
