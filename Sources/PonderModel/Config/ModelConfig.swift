import Foundation

/// A Qwen2 or Llama `config.json` (transformers `configuration_qwen2.py` / `configuration_llama.py`).
///
/// Reads both the hub form (`rope_theta`, `rope_scaling`, `torch_dtype`) that published
/// checkpoints use and the transformers 5 form (`rope_parameters`, `dtype`); writes the hub
/// form. Defaults are transformers' class defaults. Anything Ponder does not implement is an
/// error naming the key, never ignored.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// `model_type`: `"qwen2"` or `"llama"`.
    public var modelType: String
    /// Width of the residual stream (`hidden_size`).
    public var hiddenSize: Int
    /// Number of decoder layers (`num_hidden_layers`).
    public var numHiddenLayers: Int
    /// Query heads (`num_attention_heads`).
    public var numAttentionHeads: Int
    /// Key/value heads (GQA); equals `numAttentionHeads` when the key is absent.
    public var numKeyValueHeads: Int
    /// Per-head dimension: `head_dim`, or `hidden_size / num_attention_heads` when absent.
    public var headDim: Int
    /// MLP width (`intermediate_size`).
    public var intermediateSize: Int
    /// Rows of the embedding and output matrices (may exceed the tokenizer's vocabulary).
    public var vocabSize: Int
    /// RMSNorm epsilon (`rms_norm_eps`; 1e-6 when absent).
    public var rmsNormEps: Double
    /// RoPE base (`rope_theta`, or `rope_parameters.rope_theta`; 10000 when absent).
    public var ropeTheta: Double
    /// RoPE scaling (`rope_scaling` or `rope_parameters`).
    public var ropeScaling: RopeScaling
    /// Whether the output head reuses the embedding matrix (`tie_word_embeddings`).
    public var tieWordEmbeddings: Bool
    /// Bias on q/k/v/o (Llama's `attention_bias`). Qwen2 always has q/k/v bias, no o bias.
    public var attentionBias: Bool
    /// Bias on gate/up/down (Llama's `mlp_bias`).
    public var mlpBias: Bool
    /// The context length the model was trained for.
    public var maxPositionEmbeddings: Int
    /// The checkpoint's stored dtype name (`torch_dtype` or `dtype`), informational.
    public var torchDtype: String?
    /// `bos_token_id` (possibly empty).
    public var bosTokenId: TokenIDList
    /// `eos_token_id`, an id or a list (possibly empty).
    public var eosTokenId: TokenIDList
    /// `hidden_act`; only `silu` is accepted.
    public var hiddenAct: String

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case intermediateSize = "intermediate_size"
        case vocabSize = "vocab_size"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case maxPositionEmbeddings = "max_position_embeddings"
        case torchDtype = "torch_dtype"
        case dtype
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case hiddenAct = "hidden_act"
        case useSlidingWindow = "use_sliding_window"
        case slidingWindow = "sliding_window"
        case maxWindowLayers = "max_window_layers"
        case layerTypes = "layer_types"
        case quantizationConfig = "quantization_config"
    }

    /// The architectures Ponder implements, by `model_type`.
    public static let supportedModelTypes = ["qwen2", "llama"]

    /// Creates a configuration directly (tests, synthetic models).
    public init(modelType: String, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                numKeyValueHeads: Int? = nil, headDim: Int? = nil, intermediateSize: Int, vocabSize: Int,
                rmsNormEps: Double = 1e-6, ropeTheta: Double = 10_000, ropeScaling: RopeScaling = .none,
                tieWordEmbeddings: Bool = false, attentionBias: Bool = false, mlpBias: Bool = false,
                maxPositionEmbeddings: Int = 4096, torchDtype: String? = "float32",
                bosTokenId: [Int] = [], eosTokenId: [Int] = []) throws {
        self.modelType = modelType
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.headDim = headDim ?? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0)
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.attentionBias = attentionBias
        self.mlpBias = mlpBias
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.torchDtype = torchDtype
        self.bosTokenId = TokenIDList(bosTokenId)
        self.eosTokenId = TokenIDList(eosTokenId)
        self.hiddenAct = "silu"
        try validate(headDimGiven: headDim != nil)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        guard Self.supportedModelTypes.contains(modelType) else {
            throw ConfigError(key: "model_type", "\"\(modelType)\" is not supported; Ponder runs \(Self.supportedModelTypes.joined(separator: " and ")) checkpoints")
        }
        if c.contains(.quantizationConfig), try !c.decodeNil(forKey: .quantizationConfig) {
            throw ConfigError(key: "quantization_config", "quantized checkpoints are not supported; use the bf16/fp16/fp32 weights")
        }
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? numAttentionHeads
        let explicitHeadDim = try c.decodeIfPresent(Int.self, forKey: .headDim)
        headDim = explicitHeadDim ?? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        rmsNormEps = try c.decodeIfPresent(Double.self, forKey: .rmsNormEps) ?? 1e-6
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings)
            ?? (modelType == "qwen2" ? 32_768 : 2_048)
        torchDtype = try c.decodeIfPresent(String.self, forKey: .torchDtype) ?? c.decodeIfPresent(String.self, forKey: .dtype)
        bosTokenId = try c.decodeIfPresent(TokenIDList.self, forKey: .bosTokenId) ?? TokenIDList([])
        eosTokenId = try c.decodeIfPresent(TokenIDList.self, forKey: .eosTokenId) ?? TokenIDList([])
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"

        // RoPE: transformers 5's rope_parameters wins; otherwise the hub form.
        if let parameters = try c.decodeIfPresent([String: ConfigScalar].self, forKey: .ropeParameters) {
            ropeScaling = try RopeScaling.parse(parameters, key: "rope_parameters")
            ropeTheta = try parameters["rope_theta"]?.number
                ?? c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 10_000
        } else {
            ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 10_000
            if let scaling = try c.decodeIfPresent([String: ConfigScalar].self, forKey: .ropeScaling) {
                ropeScaling = try RopeScaling.parse(scaling, key: "rope_scaling")
            } else {
                ropeScaling = .none
            }
        }

        // Sliding-window attention (Qwen2) is not implemented: refuse it where it would apply.
        if try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) == true {
            throw ConfigError(key: "use_sliding_window", "sliding-window attention is not supported; every layer must use full attention")
        }
        if let layerTypes = try c.decodeIfPresent([String].self, forKey: .layerTypes),
           let other = layerTypes.first(where: { $0 != "full_attention" }) {
            throw ConfigError(key: "layer_types", "\"\(other)\" layers are not supported; every layer must be \"full_attention\"")
        }
        try validate(headDimGiven: explicitHeadDim != nil)
    }

    /// Checks the values Ponder depends on; throws `ConfigError` naming the key.
    private func validate(headDimGiven: Bool) throws {
        func positive(_ value: Int, _ key: String) throws {
            guard value > 0 else { throw ConfigError(key: key, "must be a positive integer, found \(value)") }
        }
        try positive(hiddenSize, "hidden_size")
        try positive(numHiddenLayers, "num_hidden_layers")
        try positive(numAttentionHeads, "num_attention_heads")
        try positive(numKeyValueHeads, "num_key_value_heads")
        try positive(intermediateSize, "intermediate_size")
        try positive(vocabSize, "vocab_size")
        try positive(maxPositionEmbeddings, "max_position_embeddings")
        if !headDimGiven, hiddenSize % numAttentionHeads != 0 {
            throw ConfigError(key: "hidden_size", "\(hiddenSize) is not divisible by num_attention_heads \(numAttentionHeads); give head_dim explicitly")
        }
        try positive(headDim, "head_dim")
        guard headDim % 2 == 0 else { throw ConfigError(key: "head_dim", "must be even for rotary embeddings, found \(headDim)") }
        guard numAttentionHeads % numKeyValueHeads == 0 else {
            throw ConfigError(key: "num_key_value_heads", "\(numKeyValueHeads) must divide num_attention_heads \(numAttentionHeads)")
        }
        guard rmsNormEps > 0, rmsNormEps.isFinite else { throw ConfigError(key: "rms_norm_eps", "must be a positive number") }
        guard ropeTheta > 0, ropeTheta.isFinite else { throw ConfigError(key: "rope_theta", "must be a positive number") }
        guard hiddenAct == "silu" else {
            throw ConfigError(key: "hidden_act", "\"\(hiddenAct)\" is not supported; Qwen2 and Llama use \"silu\"")
        }
        if modelType == "qwen2", attentionBias || mlpBias {
            throw ConfigError(key: attentionBias ? "attention_bias" : "mlp_bias",
                              "not a Qwen2 setting (Qwen2 always has q/k/v bias and no MLP bias)")
        }
        for id in bosTokenId.ids + eosTokenId.ids where id < 0 || id >= vocabSize {
            throw ConfigError(key: bosTokenId.ids.contains(id) ? "bos_token_id" : "eos_token_id",
                              "token id \(id) is outside the vocabulary (vocab_size \(vocabSize))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelType, forKey: .modelType)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(numKeyValueHeads, forKey: .numKeyValueHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(rmsNormEps, forKey: .rmsNormEps)
        try c.encode(ropeTheta, forKey: .ropeTheta)
        try c.encode(ropeScaling.hubObject, forKey: .ropeScaling)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        if modelType == "llama" {
            try c.encode(attentionBias, forKey: .attentionBias)
            try c.encode(mlpBias, forKey: .mlpBias)
        } else {
            try c.encode(false, forKey: .useSlidingWindow)
        }
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encodeIfPresent(torchDtype, forKey: .torchDtype)
        if !bosTokenId.ids.isEmpty { try c.encode(bosTokenId, forKey: .bosTokenId) }
        if !eosTokenId.ids.isEmpty { try c.encode(eosTokenId, forKey: .eosTokenId) }
        try c.encode(hiddenAct, forKey: .hiddenAct)
    }

    /// Reads and validates `config.json` at `path`. Errors name the path and key.
    public static func load(path: String) throws -> ModelConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, key: nil, "cannot read the file (\(error.localizedDescription)); a checkpoint directory needs config.json")
        }
        return try decode(data, file: path)
    }

    /// Decodes and validates a config from JSON bytes; `file` names it in errors.
    public static func decode(_ data: Data, file: String = "config.json") throws -> ModelConfig {
        // Foundation's JSONDecoder silently keeps one value of a repeated key; transformers
        // (Python's json) keeps the last. Refuse repeats, so that Ponder never builds a model
        // other than the one transformers builds from the same file.
        do {
            let options = JSONParseOptions(duplicateKeys: .reject, allowsNonFiniteNumbers: true, skipsByteOrderMark: true)
            _ = try data.withUnsafeBytes { try JSONValue.parse($0, options: options) }
        } catch let error as JSONParseError {
            let fix = error.reason.hasPrefix("duplicate key")
                ? "; transformers would use the last value: keep only the one you mean" : ""
            throw ConfigError(file: file, key: nil, "not valid JSON (\(error))\(fix)")
        }
        do {
            return try JSONDecoder().decode(ModelConfig.self, from: data)
        } catch var error as ConfigError {
            error.file = file
            throw error
        } catch let error as DecodingError {
            throw ConfigError.from(error, file: file)
        }
    }

    // MARK: - Derived sizes

    /// Query projection width: heads × head_dim.
    public var queryDim: Int { numAttentionHeads * headDim }
    /// Key/value projection width: KV heads × head_dim.
    public var keyValueDim: Int { numKeyValueHeads * headDim }
    /// Query heads per KV head (GQA group size).
    public var queriesPerKeyValueHead: Int { numAttentionHeads / numKeyValueHeads }
}
