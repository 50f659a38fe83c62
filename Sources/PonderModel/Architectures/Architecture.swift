/// Which projections of a decoder layer carry a bias.
public struct BiasLayout: Sendable, Equatable {
    public var query: Bool
    public var key: Bool
    public var value: Bool
    public var output: Bool
    /// gate, up and down projections.
    public var mlp: Bool

    public init(query: Bool, key: Bool, value: Bool, output: Bool, mlp: Bool) {
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.mlp = mlp
    }
}

/// The state-dict names of one decoder layer's tensors, without the `.weight`/`.bias` suffix.
public struct LayerTensorNames: Sendable, Equatable {
    public var inputNorm: String
    public var query: String
    public var key: String
    public var value: String
    public var output: String
    public var postAttentionNorm: String
    public var gate: String
    public var up: String
    public var down: String

    /// The `*ForCausalLM` layout shared by transformers' Llama-family models
    /// (`model.layers.{i}.self_attn.q_proj`, `model.layers.{i}.mlp.gate_proj`, …).
    public static func huggingFace(layer i: Int) -> LayerTensorNames {
        let prefix = "model.layers.\(i)"
        return LayerTensorNames(
            inputNorm: "\(prefix).input_layernorm",
            query: "\(prefix).self_attn.q_proj", key: "\(prefix).self_attn.k_proj",
            value: "\(prefix).self_attn.v_proj", output: "\(prefix).self_attn.o_proj",
            postAttentionNorm: "\(prefix).post_attention_layernorm",
            gate: "\(prefix).mlp.gate_proj", up: "\(prefix).mlp.up_proj", down: "\(prefix).mlp.down_proj")
    }
}

/// What distinguishes one pre-norm SwiGLU decoder family from another: tensor names and
/// bias flags. The computation itself is shared (`TransformerModel`), so an architecture
/// file is a short mapping, in the spirit of llama.cpp's `src/models/*.cpp`.
public protocol DecoderArchitecture: Sendable {
    /// The `model_type` in config.json.
    var modelType: String { get }
    /// The projections that have a bias under `config`.
    func biases(for config: ModelConfig) -> BiasLayout
    /// The names of layer `layer`'s tensors.
    func layerNames(_ layer: Int) -> LayerTensorNames
    /// The token embedding (`[vocab, hidden]`).
    var embeddingName: String { get }
    /// The final RMSNorm weight.
    var finalNormName: String { get }
    /// The output projection (absent when embeddings are tied).
    var outputName: String { get }
    /// Whether a tensor found in a checkpoint may be skipped: buffers that older exports saved
    /// by mistake, such as `*.rotary_emb.inv_freq` (mlx-lm's `sanitize` drops them too).
    func isIgnorable(_ tensorName: String) -> Bool
}

extension DecoderArchitecture {
    public var embeddingName: String { "model.embed_tokens.weight" }
    public var finalNormName: String { "model.norm.weight" }
    public var outputName: String { "lm_head.weight" }
    public func layerNames(_ layer: Int) -> LayerTensorNames { .huggingFace(layer: layer) }
    public func isIgnorable(_ tensorName: String) -> Bool { tensorName.hasSuffix(".rotary_emb.inv_freq") }
}

/// The architectures Ponder implements, looked up by `model_type`.
public enum Architectures {
    /// Every supported architecture.
    public static let all: [any DecoderArchitecture] = [Qwen2(), Llama()]

    /// The architecture for a `model_type`, or nil.
    public static func named(_ modelType: String) -> (any DecoderArchitecture)? {
        all.first { $0.modelType == modelType }
    }
}
