import Foundation

/// A Hugging Face checkpoint directory loaded for inference: `config.json`, the safetensors
/// weights, and `generation_config.json` when present.
public struct PretrainedModel: Sendable {
    /// The directory it was loaded from.
    public let directory: String
    /// The network.
    public let model: TransformerModel
    /// `generation_config.json`, if the directory has one.
    public let generationConfig: GenerationConfig?

    /// The model configuration.
    public var config: ModelConfig { model.config }

    /// Token ids that end generation: the union of config.json's and generation_config.json's
    /// EOS ids (the files disagree for some checkpoints; missing one means never stopping).
    /// Callers add the tokenizer's EOS ids once a tokenizer is loaded.
    public var eosTokenIds: Set<Int> {
        Set(config.eosTokenId.ids).union(generationConfig?.eosTokenId?.ids ?? [])
    }

    /// The BOS id to prepend: generation_config.json's when it has one (R1-Distill-Qwen's
    /// config.json names a different, misleading id), else config.json's.
    public var bosTokenId: Int? {
        generationConfig?.bosTokenId?.ids.first ?? config.bosTokenId.ids.first
    }

    /// Default sampling parameters: generation_config.json's, else greedy (as transformers).
    public var defaultSampling: SamplingParameters {
        generationConfig?.samplingParameters ?? SamplingParameters(temperature: 0)
    }

    /// Loads a checkpoint directory. `validVocabularySize` (the tokenizer's size) masks padded
    /// logit rows; it defaults to the config's `vocab_size`.
    public static func load(directory: String, validVocabularySize: Int? = nil,
                            backend: any ComputeBackend = CPUBackend()) throws -> PretrainedModel {
        try requireDirectory(directory)
        let model = try TransformerModel.load(directory: directory, validVocabularySize: validVocabularySize,
                                              backend: backend)
        let generationConfig = try GenerationConfig.loadIfPresent(
            path: (directory as NSString).appendingPathComponent("generation_config.json"))
        return PretrainedModel(directory: directory, model: model, generationConfig: generationConfig)
    }

    /// Throws `ModelError.notADirectory` unless `path` is an existing directory.
    static func requireDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError.notADirectory(path)
        }
    }
}
