import Foundation

/// A Hugging Face checkpoint directory loaded for inference: `config.json`, the safetensors
/// weights, and — when present — `generation_config.json`, the tokenizer (`tokenizer.json`
/// with `tokenizer_config.json`) and the chat template.
public struct PretrainedModel: Sendable {
    /// The directory it was loaded from.
    public let directory: String
    /// The network.
    public let model: TransformerModel
    /// `generation_config.json`, if the directory has one.
    public let generationConfig: GenerationConfig?
    /// The tokenizer, when the directory has a `tokenizer.json`.
    public let tokenizer: Tokenizer?
    /// The chat template from `tokenizer_config.json` (or `chat_template.jinja`), if any.
    public let chatTemplate: ChatTemplate?
    /// BOS/EOS strings from `tokenizer_config.json`, which chat templates print.
    public let specialStrings: TokenizerSpecialStrings

    /// The model configuration.
    public var config: ModelConfig { model.config }

    /// Token ids that end generation: the union of config.json's and generation_config.json's
    /// EOS ids (the files disagree for some checkpoints; missing one means never stopping).
    /// The tokenizer's EOS ids join them (mlx-vlm PR #309/#2112 fixed exactly this bug).
    public var eosTokenIds: Set<Int> {
        Set(config.eosTokenId.ids).union(generationConfig?.eosTokenId?.ids ?? [])
            .union(tokenizer?.eosTokenIds ?? [])
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

    /// Loads a checkpoint directory. `validVocabularySize` masks padded logit rows (config
    /// `vocab_size` can exceed the tokenizer); it defaults to the tokenizer's size when the
    /// directory has a tokenizer, else to the config's `vocab_size`.
    public static func load(directory: String, validVocabularySize: Int? = nil,
                            backend: any ComputeBackend = CPUBackend()) throws -> PretrainedModel {
        try requireDirectory(directory)
        let url = URL(fileURLWithPath: directory)
        let hasTokenizer = FileManager.default.fileExists(atPath: url.appendingPathComponent("tokenizer.json").path)
        let tokenizer = hasTokenizer ? try Tokenizer.load(directory: url) : nil
        let model = try TransformerModel.load(directory: directory,
                                              validVocabularySize: validVocabularySize ?? tokenizer?.count,
                                              backend: backend)
        let generationConfig = try GenerationConfig.loadIfPresent(
            path: (directory as NSString).appendingPathComponent("generation_config.json"))
        let specialStrings = try TokenizerSpecialStrings.load(directory: url)
        return PretrainedModel(directory: directory, model: model, generationConfig: generationConfig,
                               tokenizer: tokenizer, chatTemplate: try ChatTemplate.load(directory: url),
                               specialStrings: specialStrings)
    }

    /// Throws `ModelError.notADirectory` unless `path` is an existing directory.
    static func requireDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError.notADirectory(path)
        }
    }
}
