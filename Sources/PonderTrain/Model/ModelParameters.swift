import Foundation
import PonderModel

/// A model's trainable tensors in the exact layout `TransformerModel` runs: a
/// `TransformerWeights` bag of buffers plus the list of distinct tensors with their checkpoint
/// names and roles.
///
/// The same type holds gradients and the optimizer's moments (`zerosLike()`), so every
/// per-tensor loop (clipping, AdamW, saving) walks one list. A tied output head shares the
/// embedding's buffer, exactly as `TransformerWeights.load` builds it, so gradients from the
/// head and from the embedding lookup land in one tensor.
public final class ModelParameters: @unchecked Sendable {
    /// The model's shape.
    public let config: ModelConfig
    /// Tensor names and bias layout.
    public let architecture: any DecoderArchitecture
    /// The buffers, in the structure the forward pass walks.
    public let weights: TransformerWeights
    /// Every distinct tensor, in checkpoint plan order (a tied head is not listed twice).
    public let tensors: [TransformerWeights.NamedTensor]

    /// Wraps existing weights (they are shared, not copied).
    public init(config: ModelConfig, architecture: any DecoderArchitecture, weights: TransformerWeights) {
        self.config = config
        self.architecture = architecture
        self.weights = weights
        self.tensors = weights.namedTensors(config: config, architecture: architecture)
    }

    /// Fresh zeroed buffers shaped for `config` (tied when `tie_word_embeddings` is set).
    public convenience init(config: ModelConfig, architecture: any DecoderArchitecture) {
        let bias = architecture.biases(for: config)
        let h = config.hiddenSize, i = config.intermediateSize
        func linear(_ out: Int, _ inFeatures: Int, _ hasBias: Bool) -> LinearWeights {
            LinearWeights(weight: FloatBuffer(count: out * inFeatures), bias: hasBias ? FloatBuffer(count: out) : nil,
                          outFeatures: out, inFeatures: inFeatures)
        }
        let embedding = FloatBuffer(count: config.vocabSize * h)
        let layers = (0..<config.numHiddenLayers).map { _ in
            DecoderLayerWeights(
                inputNorm: FloatBuffer(count: h),
                query: linear(config.queryDim, h, bias.query), key: linear(config.keyValueDim, h, bias.key),
                value: linear(config.keyValueDim, h, bias.value), attentionOutput: linear(h, config.queryDim, bias.output),
                postAttentionNorm: FloatBuffer(count: h),
                gate: linear(i, h, bias.mlp), up: linear(i, h, bias.mlp), down: linear(h, i, bias.mlp))
        }
        let output = config.tieWordEmbeddings
            ? LinearWeights(weight: embedding, bias: nil, outFeatures: config.vocabSize, inFeatures: h)
            : linear(config.vocabSize, h, false)
        self.init(config: config, architecture: architecture,
                  weights: TransformerWeights(embedding: embedding, layers: layers,
                                              finalNorm: FloatBuffer(count: h), head: output))
    }

    /// A freshly initialized model, deterministic in `seed`: matrices and embeddings drawn
    /// from N(0, `standardDeviation`²) (transformers' `initializer_range`, 0.02 by default),
    /// norms set to 1, biases to 0. Tensors are filled in plan order from one stream.
    public static func initialized(config: ModelConfig, architecture: any DecoderArchitecture,
                                   seed: UInt64, standardDeviation: Double = 0.02) -> ModelParameters {
        let parameters = ModelParameters(config: config, architecture: architecture)
        var gaussian = GaussianSampler(rng: SeededRNG(seed: seed))
        for tensor in parameters.tensors {
            let values = tensor.buffer.pointer
            switch tensor.role {
            case .norm:
                tensor.buffer.fill(1)
            case .bias:
                tensor.buffer.fill(0)
            case .weight, .embedding, .outputHead:
                for index in 0..<tensor.buffer.count {
                    values[index] = Float(gaussian.next() * standardDeviation)
                }
            }
        }
        return parameters
    }

    /// Loads the weights of a checkpoint directory (config.json + safetensors) as trainable
    /// parameters (loading converts to fresh fp32 buffers, which the trainer then owns).
    public static func load(directory: String) throws -> ModelParameters {
        let model = try TransformerModel.load(directory: directory)
        return ModelParameters(config: model.config, architecture: model.architecture, weights: model.weights)
    }

    /// New zeroed buffers with the same structure (and the same tying).
    public func zerosLike() -> ModelParameters {
        ModelParameters(config: config, architecture: architecture)
    }

    /// An independent copy of the values.
    public func copied() -> ModelParameters {
        let copy = zerosLike()
        copy.copy(from: self)
        return copy
    }

    /// Overwrites every tensor with `other`'s values (same structure required).
    public func copy(from other: ModelParameters) {
        precondition(other.tensors.count == tensors.count, "parameter sets of different models")
        for (target, source) in zip(tensors, other.tensors) {
            precondition(target.buffer.count == source.buffer.count, "tensor \(target.spec.name) differs in size")
            target.buffer.pointer.update(from: source.buffer.pointer, count: source.buffer.count)
        }
    }

    /// Sets every element of every tensor to zero.
    public func zero() {
        for tensor in tensors { tensor.buffer.fill(0) }
    }

    /// Number of distinct parameters.
    public var count: Int { tensors.reduce(0) { $0 + $1.buffer.count } }

    /// The tensor called `name`, if any.
    public func tensor(named name: String) -> TransformerWeights.NamedTensor? {
        tensors.first { $0.spec.name == name }
    }

    /// The squared L2 norm of every tensor together, summed in double precision tensor by
    /// tensor in plan order (a fixed order, so the result is reproducible).
    public func squaredNorm() -> Double {
        tensors.reduce(0) { $0 + Self.squaredNorm($1.buffer) }
    }

    /// The squared L2 norm of one buffer, in double precision.
    public static func squaredNorm(_ buffer: FloatBuffer) -> Double {
        var sum = 0.0
        let values = buffer.pointer
        for index in 0..<buffer.count { sum += Double(values[index]) * Double(values[index]) }
        return sum
    }

    /// A `TransformerModel` running on these very buffers (no copy): held-out evaluation and
    /// sampling during training see the current weights. Do not train while it generates.
    public func makeModel(validVocabularySize: Int? = nil) throws -> TransformerModel {
        try TransformerModel(config: config, architecture: architecture, weights: weights,
                             validVocabularySize: validVocabularySize)
    }
}

/// Standard normal draws from a `SeededRNG` by the Box–Muller transform (both values of each
/// pair are used, in order), so initialization is reproducible on every platform.
public struct GaussianSampler: Sendable {
    private var rng: SeededRNG
    private var spare: Double?

    /// A sampler drawing its uniforms from `rng`.
    public init(rng: SeededRNG) {
        self.rng = rng
    }

    /// The next N(0, 1) draw.
    public mutating func next() -> Double {
        if let spare {
            self.spare = nil
            return spare
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        let radius = (-2 * Foundation.log(1 - rng.nextDouble())).squareRoot()
        let angle = 2 * Double.pi * rng.nextDouble()
        spare = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }
}
