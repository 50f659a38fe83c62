import Foundation

/// Errors from running a model on bad input (token ids, context length, caches).
public enum ModelError: Error, Sendable, Equatable {
    /// A token id outside `0..<vocabSize`.
    case invalidTokenID(Int, vocabularySize: Int)
    /// A forward pass with no tokens for some sequence.
    case emptyInput
    /// The sequence would exceed the model's context length.
    case contextTooLong(needed: Int, limit: Int)
    /// A cache built for a different model shape.
    case cacheMismatch(String)
    /// A workspace built for a different model shape.
    case workspaceMismatch
    /// The same cache appears twice in one batch.
    case duplicateSequence
    /// `validVocabularySize` is outside 1...vocab_size.
    case invalidVocabularySize(Int, configVocabularySize: Int)
    /// The checkpoint's `model_type` has no architecture implementation.
    case unsupportedArchitecture(String)
    /// The model path is not an existing directory.
    case notADirectory(String)
    /// bf16 weight streaming was asked for but this weight is not stored in bf16.
    case weightNotBF16(String)
}

extension ModelError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .invalidTokenID(id, size):
            return "token id \(id) is outside the model's vocabulary (0..<\(size))"
        case .emptyInput:
            return "a forward pass needs at least one token per sequence"
        case let .contextTooLong(needed, limit):
            return "the sequence needs \(needed) positions but the model's context length (max_position_embeddings) is \(limit)"
        case let .cacheMismatch(reason):
            return "the KV cache does not belong to this model: \(reason)"
        case .workspaceMismatch:
            return "the forward workspace was made for a model of another shape; use model.makeWorkspace()"
        case .duplicateSequence:
            return "the same sequence (KV cache) appears twice in one batch"
        case let .invalidVocabularySize(size, configSize):
            return "valid vocabulary size \(size) must be between 1 and the config's vocab_size \(configSize)"
        case let .unsupportedArchitecture(type):
            return "model_type \"\(type)\" is not supported"
        case let .notADirectory(path):
            return "\(path): not a directory; point --model at a Hugging Face checkpoint directory (config.json + *.safetensors)"
        case let .weightNotBF16(name):
            return "bf16 weight streaming needs a checkpoint stored in bf16, but \(name) has values bf16 cannot hold "
                + "exactly; load it without bf16 streaming (fp32)"
        }
    }

    public var errorDescription: String? { description }
}

/// A decoder-only transformer (Qwen2 or Llama) with fp32 weights, run through a
/// `ComputeBackend`.
///
/// The model is immutable after loading and can be shared between threads; per-sequence
/// state lives in `KVCache`s and scratch space in a `ForwardWorkspace`. See
/// `TransformerModel+Forward.swift` for the forward pass.
public final class TransformerModel: Sendable {
    public let config: ModelConfig
    public let architecture: any DecoderArchitecture
    public let weights: TransformerWeights
    public let rotary: RotaryEmbedding
    public let backend: any ComputeBackend
    /// Logits at ids ≥ this are set to −∞: config `vocab_size` is often padded beyond the
    /// tokenizer, and those rows must never be sampled.
    public let validVocabularySize: Int

    /// Wraps loaded weights. `validVocabularySize` defaults to `config.vocabSize`.
    public init(config: ModelConfig, architecture: any DecoderArchitecture, weights: TransformerWeights,
                validVocabularySize: Int? = nil, backend: any ComputeBackend = CPUBackend()) throws {
        let valid = validVocabularySize ?? config.vocabSize
        guard valid >= 1, valid <= config.vocabSize else {
            throw ModelError.invalidVocabularySize(valid, configVocabularySize: config.vocabSize)
        }
        self.config = config
        self.architecture = architecture
        self.weights = weights
        self.rotary = RotaryEmbedding(config: config)
        self.backend = backend
        self.validVocabularySize = valid
    }

    /// Loads `config.json` and the safetensors weights from a checkpoint directory.
    /// `weightStreaming: .bf16` also keeps a bf16 copy of every linear weight for the
    /// small-batch kernels (the checkpoint must be stored in bf16; see `WeightStreaming`).
    public static func load(directory: String, validVocabularySize: Int? = nil,
                            backend: any ComputeBackend = CPUBackend(),
                            weightStreaming: WeightStreaming = .f32) throws -> TransformerModel {
        let config = try ModelConfig.load(path: (directory as NSString).appendingPathComponent("config.json"))
        guard let architecture = Architectures.named(config.modelType) else {
            throw ModelError.unsupportedArchitecture(config.modelType)
        }
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        var weights = try TransformerWeights.load(checkpoint, config: config, architecture: architecture)
        if weightStreaming == .bf16 { weights = try weights.withBF16Streaming() }
        return try TransformerModel(config: config, architecture: architecture, weights: weights,
                                    validVocabularySize: validVocabularySize, backend: backend)
    }

    /// The same weights with a different logit mask (shares all storage).
    public func withValidVocabularySize(_ size: Int) throws -> TransformerModel {
        try TransformerModel(config: config, architecture: architecture, weights: weights,
                             validVocabularySize: size, backend: backend)
    }

    /// An empty KV cache for this model.
    public func makeCache(capacity: Int = 256) -> KVCache {
        KVCache(config: config, capacity: min(capacity, config.maxPositionEmbeddings))
    }

    /// A scratch workspace for this model.
    public func makeWorkspace() -> ForwardWorkspace { ForwardWorkspace(config: config) }

    /// Parameters stored (a tied output matrix counts once).
    public var parameterCount: Int { weights.parameterCount }
}
