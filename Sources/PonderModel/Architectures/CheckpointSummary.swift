import Foundation

/// What `ponder inspect` reports about a checkpoint, computed from config files and
/// safetensors headers without reading any weights.
public struct CheckpointSummary: Sendable, Codable {
    /// `model_type`.
    public let architecture: String
    /// `hidden_size`.
    public let hiddenSize: Int
    /// `num_hidden_layers`.
    public let layers: Int
    /// `num_attention_heads`.
    public let attentionHeads: Int
    /// `num_key_value_heads`.
    public let keyValueHeads: Int
    /// Per-head dimension.
    public let headDim: Int
    /// `intermediate_size`.
    public let intermediateSize: Int
    /// Config `vocab_size` (rows of the embedding).
    public let vocabularySize: Int
    /// `max_position_embeddings`.
    public let contextLength: Int
    /// RoPE base.
    public let ropeTheta: Double
    /// `default`, `linear` or `llama3`.
    public let ropeType: String
    /// `tie_word_embeddings`.
    public let tiedEmbeddings: Bool
    /// Parameters the architecture uses (a tied output matrix counts once).
    public let parameterCount: Int
    /// Stored tensors per dtype (`BF16: 339`).
    public let tensorsPerDType: [String: Int]
    /// Bytes of tensor data in the files.
    public let tensorBytes: Int
    /// Bytes the fp32 weights take once loaded.
    public let loadedBytes: Int
    /// The safetensors files (one, or the shards).
    public let files: [String]
    /// `torch_dtype` / `dtype` from config.json.
    public let configDType: String?
    /// BOS id (generation_config.json first, then config.json).
    public let bosTokenId: Int?
    /// Union of config.json and generation_config.json EOS ids, sorted.
    public let eosTokenIds: [Int]

    /// Reads and checks a checkpoint directory: the config, the headers of every file, and that
    /// the stored tensors are exactly the ones the architecture needs with the right shapes.
    public static func inspect(directory: String) throws -> CheckpointSummary {
        try PretrainedModel.requireDirectory(directory)
        let config = try ModelConfig.load(path: (directory as NSString).appendingPathComponent("config.json"))
        guard let architecture = Architectures.named(config.modelType) else {
            throw ModelError.unsupportedArchitecture(config.modelType)
        }
        let generation = try GenerationConfig.loadIfPresent(
            path: (directory as NSString).appendingPathComponent("generation_config.json"))
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        let plan = TransformerWeights.plan(for: config, architecture: architecture)
        try TransformerWeights.validate(checkpoint, plan: plan, config: config, architecture: architecture)

        var perDType: [String: Int] = [:]
        var bytes = 0
        for name in checkpoint.tensorNames {
            guard let info = checkpoint.location(name)?.info else { continue }
            perDType[info.dtype.rawValue, default: 0] += 1
            bytes += info.byteCount
        }
        let parameters = plan.reduce(0) { $0 + $1.elementCount }
        let eos = Set(config.eosTokenId.ids).union(generation?.eosTokenId?.ids ?? [])
        return CheckpointSummary(
            architecture: config.modelType, hiddenSize: config.hiddenSize, layers: config.numHiddenLayers,
            attentionHeads: config.numAttentionHeads, keyValueHeads: config.numKeyValueHeads,
            headDim: config.headDim, intermediateSize: config.intermediateSize,
            vocabularySize: config.vocabSize, contextLength: config.maxPositionEmbeddings,
            ropeTheta: config.ropeTheta, ropeType: config.ropeScaling.typeName,
            tiedEmbeddings: config.tieWordEmbeddings, parameterCount: parameters,
            tensorsPerDType: perDType, tensorBytes: bytes, loadedBytes: parameters * MemoryLayout<Float>.stride,
            files: checkpoint.files.map { ($0.path as NSString).lastPathComponent },
            configDType: config.torchDtype,
            bosTokenId: generation?.bosTokenId?.ids.first ?? config.bosTokenId.ids.first,
            eosTokenIds: eos.sorted())
    }
}
