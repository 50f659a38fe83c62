/// Building weights from buffers and walking them by checkpoint name: what a trainer needs to
/// own parameters in exactly the layout `TransformerModel` runs and `load` reads back.
extension DecoderLayerWeights {
    /// Wraps one layer's buffers (shapes as documented on the properties); `attentionOutput`
    /// is `output` (o_proj), labelled apart from the module-internal memberwise initializer.
    public init(inputNorm: FloatBuffer, query: LinearWeights, key: LinearWeights, value: LinearWeights,
                attentionOutput output: LinearWeights, postAttentionNorm: FloatBuffer, gate: LinearWeights,
                up: LinearWeights, down: LinearWeights) {
        self.inputNorm = inputNorm
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.postAttentionNorm = postAttentionNorm
        self.gate = gate
        self.up = up
        self.down = down
    }
}

extension TransformerWeights {
    /// Wraps buffers as model weights; `head` is `output` (lm_head). For tied embeddings pass
    /// a head whose weight is `embedding` itself (the same object), as `load` does.
    public init(embedding: FloatBuffer, layers: [DecoderLayerWeights], finalNorm: FloatBuffer,
                head output: LinearWeights) {
        self.embedding = embedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.output = output
    }

    /// What part of the network a tensor is, for optimizers that treat kinds differently
    /// (weight decay skips norms and biases).
    public enum TensorRole: String, Sendable, Equatable {
        /// The token embedding (also the output head when tied).
        case embedding
        /// An RMSNorm gain vector.
        case norm
        /// A linear layer's matrix.
        case weight
        /// A linear layer's bias.
        case bias
        /// The untied output head.
        case outputHead
    }

    /// One tensor of the model: its checkpoint name and shape, its role, and its storage.
    public struct NamedTensor {
        /// Checkpoint name and shape (as in `plan`).
        public let spec: TensorSpec
        /// What the tensor is.
        public let role: TensorRole
        /// The values, `spec.elementCount` floats.
        public let buffer: FloatBuffer
    }

    /// Every distinct tensor, in `plan(for:architecture:)` order and with its names; a tied
    /// output head is not listed again. `config` and `architecture` must be the ones the
    /// weights were built for.
    public func namedTensors(config: ModelConfig, architecture: any DecoderArchitecture) -> [NamedTensor] {
        let plan = Self.plan(for: config, architecture: architecture)
        var buffers: [(FloatBuffer, TensorRole)] = [(embedding, .embedding)]
        func linear(_ layer: LinearWeights) {
            buffers.append((layer.weight, .weight))
            if let bias = layer.bias { buffers.append((bias, .bias)) }
        }
        for layer in layers {
            buffers.append((layer.inputNorm, .norm))
            linear(layer.query)
            linear(layer.key)
            linear(layer.value)
            linear(layer.output)
            buffers.append((layer.postAttentionNorm, .norm))
            linear(layer.gate)
            linear(layer.up)
            linear(layer.down)
        }
        buffers.append((finalNorm, .norm))
        if !config.tieWordEmbeddings { buffers.append((output.weight, .outputHead)) }
        precondition(buffers.count == plan.count, "weights do not have the layout of config.json")
        return zip(plan, buffers).map { spec, entry in
            precondition(entry.0.count == spec.elementCount, "tensor \(spec.name) has the wrong size")
            return NamedTensor(spec: spec, role: entry.1, buffer: entry.0)
        }
    }

    /// Writes the weights as one safetensors file in the Hugging Face layout, which
    /// `TransformerModel.load` and transformers both read. `dtype` is `.f32`, `.bf16` or `.f16`.
    public func write(to path: String, config: ModelConfig, architecture: any DecoderArchitecture,
                      dtype: SafeTensorsDType = .f32) throws {
        var writer = SafeTensorsWriter()
        for tensor in namedTensors(config: config, architecture: architecture) {
            try writer.add(tensor.spec.name, shape: tensor.spec.shape,
                           values: UnsafeBufferPointer(tensor.buffer.buffer), dtype: dtype)
        }
        try writer.write(to: path)
    }
}
