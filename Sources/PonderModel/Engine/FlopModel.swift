/// Forward-pass FLOPs of a decoder-only transformer, from its architecture numbers: the one
/// formula the engine (`ExtendResult.flops`), the search ledger (`MeteredPolicy`) and the
/// benchmark rooflines all use.
///
/// It lives in PonderModel, the lowest layer, so that the engine and the ledger cannot drift
/// apart: the ledger charges every forward pass with these numbers, so that greedy decoding,
/// best-of-N and tree search are compared on one x-axis. A FLOP is one multiply or one add (a
/// multiply-accumulate counts 2), as in the "≈ 2 × parameters per token" rule that REBASE
/// uses; unlike that rule, attention is charged at the real context length of every token,
/// which is what makes deep trees more expensive per token than short samples.
///
/// What is counted, per layer and per new token:
/// - projections: Q and O (`hidden × heads·headDim` each) and K, V (`hidden × kvHeads·headDim`);
/// - the MLP: three `hidden × intermediate` matrices when gated (SwiGLU: Qwen2, Llama), else two;
/// - attention: `QKᵀ` and `A·V`, `2 · heads · headDim · c` each, where `c` is the number of keys
///   the token attends to (its own position included).
/// Once per sequence and forward, the LM head (`hidden × vocab`) for the last position only:
/// an engine needs logits just there. Norms, RoPE, softmax and residual adds are O(hidden) per
/// token and left out (well under 1 % of the total for any real model).
public struct FlopModel: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Width of the residual stream (`hidden_size`).
    public var hiddenSize: Int
    /// Number of transformer blocks (`num_hidden_layers`).
    public var layers: Int
    /// Query heads (`num_attention_heads`).
    public var heads: Int
    /// Key/value heads (`num_key_value_heads`); fewer than `heads` under grouped-query attention.
    public var kvHeads: Int
    /// Width of one head (`head_dim`, usually `hiddenSize / heads`).
    public var headDim: Int
    /// Width of the MLP (`intermediate_size`).
    public var intermediateSize: Int
    /// Rows of the LM head (`vocab_size`).
    public var vocabSize: Int
    /// Whether the MLP is gated (three matrices, SwiGLU) rather than two.
    public var gatedMLP: Bool

    /// Creates a model from architecture numbers as they appear in a Hugging Face `config.json`.
    public init(hiddenSize: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int? = nil,
                intermediateSize: Int, vocabSize: Int, gatedMLP: Bool = true) {
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim ?? (heads > 0 ? hiddenSize / heads : 0)
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.gatedMLP = gatedMLP
    }

    /// The FLOP model of a Hugging Face config (Qwen2 and Llama have gated, SwiGLU MLPs).
    public init(config: ModelConfig) {
        self.init(hiddenSize: config.hiddenSize, layers: config.numHiddenLayers,
                  heads: config.numAttentionHeads, kvHeads: config.numKeyValueHeads,
                  headDim: config.headDim, intermediateSize: config.intermediateSize,
                  vocabSize: config.vocabSize, gatedMLP: true)
    }

    /// Qwen2.5-0.5B's shape (896 wide, 24 layers, 14 query and 2 KV heads): the architecture the
    /// tabular policy declares by default, so its FLOP figures have a realistic scale.
    public static let qwen2_5_0_5B = FlopModel(hiddenSize: 896, layers: 24, heads: 14, kvHeads: 2,
                                               headDim: 64, intermediateSize: 4864, vocabSize: 151_936)

    /// Matrix-multiply FLOPs per new token in all blocks, excluding attention scores and the LM head.
    public var blockMatmulFLOPsPerToken: Double {
        let h = Double(hiddenSize), q = Double(heads * headDim), kv = Double(kvHeads * headDim)
        let projections = 2 * h * q * 2 + 2 * h * kv * 2           // Q, O + K, V
        let mlp = 2 * h * Double(intermediateSize) * (gatedMLP ? 3 : 2)
        return Double(layers) * (projections + mlp)
    }

    /// FLOPs of one LM-head row block: the logits of one position.
    public var lmHeadFLOPs: Double { 2 * Double(hiddenSize) * Double(vocabSize) }

    /// Attention-score FLOPs (`QKᵀ` and `A·V`), summed over layers, of one (query, key) pair.
    public var attentionFLOPsPerPosition: Double { 4 * Double(heads * headDim) * Double(layers) }

    /// Attention-score FLOPs, summed over layers, for one token attending to `keys` positions.
    public func attentionFLOPs(keys: Int) -> Double {
        attentionFLOPsPerPosition * Double(keys)
    }

    /// FLOPs of a batched call from its aggregate counts, as `Engine.extend` reports them: it
    /// computed `computedTokens`, produced `outputRows` rows of logits and attended
    /// `attendedPositions` (query, key) pairs. Every other FLOP figure is this one formula.
    public func flops(computedTokens: Int, outputRows: Int, attendedPositions: Int) -> Double {
        Double(computedTokens) * blockMatmulFLOPsPerToken + Double(outputRows) * lmHeadFLOPs
            + Double(attendedPositions) * attentionFLOPsPerPosition
    }

    /// FLOPs of computing `newTokens` tokens of one sequence that already holds `pastLength`
    /// computed tokens, with logits for `logitsPositions` positions (1: only the last).
    public func forwardFLOPs(newTokens: Int, pastLength: Int, logitsPositions: Int = 1) -> Double {
        guard newTokens > 0 else { return 0 }
        let k = newTokens, p = pastLength
        // Token i (0-based) attends to p + i + 1 keys: Σ = k·p + k(k+1)/2.
        return flops(computedTokens: k, outputRows: min(logitsPositions, k), attendedPositions: k * p + k * (k + 1) / 2)
    }

    /// FLOPs of decoding `tokens` tokens one forward at a time after `pastLength` computed
    /// tokens, as lockstep generation charges them: each token is fed once, with logits for
    /// it, attending to everything before it.
    public func decodeFLOPs(tokens: Int, pastLength: Int) -> Double {
        (0..<max(0, tokens)).reduce(0) { $0 + forwardFLOPs(newTokens: 1, pastLength: pastLength + $1) }
    }

    /// Weights in the blocks and the LM head (embeddings excluded: they are a lookup, not a matmul).
    public var matmulParameters: Int {
        let q = heads * headDim, kv = kvHeads * headDim
        let perLayer = hiddenSize * q * 2 + hiddenSize * kv * 2
            + hiddenSize * intermediateSize * (gatedMLP ? 3 : 2)
        return layers * perLayer + hiddenSize * vocabSize
    }

    public var description: String {
        "FlopModel(hidden \(hiddenSize), layers \(layers), heads \(heads)/\(kvHeads)×\(headDim), "
            + "mlp \(intermediateSize)\(gatedMLP ? " gated" : ""), vocab \(vocabSize))"
    }
}
