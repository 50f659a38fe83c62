/// One decoder layer's parameters, in fp32.
public struct DecoderLayerWeights: Sendable {
    /// `[hidden]`
    public let inputNorm: FloatBuffer
    /// `[heads · headDim, hidden]`
    public let query: LinearWeights
    /// `[kvHeads · headDim, hidden]`
    public let key: LinearWeights
    /// `[kvHeads · headDim, hidden]`
    public let value: LinearWeights
    /// `[hidden, heads · headDim]`
    public let output: LinearWeights
    /// `[hidden]`
    public let postAttentionNorm: FloatBuffer
    /// `[intermediate, hidden]`
    public let gate: LinearWeights
    /// `[intermediate, hidden]`
    public let up: LinearWeights
    /// `[hidden, intermediate]`
    public let down: LinearWeights
}

/// All parameters of a decoder-only transformer, converted to fp32 at load.
public struct TransformerWeights: Sendable {
    /// `[vocab, hidden]`
    public let embedding: FloatBuffer
    /// The decoder layers, first to last.
    public let layers: [DecoderLayerWeights]
    /// `[hidden]`
    public let finalNorm: FloatBuffer
    /// `[vocab, hidden]`; shares `embedding`'s storage when embeddings are tied.
    public let output: LinearWeights

    /// One tensor the architecture needs: its checkpoint name and the shape config.json implies.
    public struct TensorSpec: Sendable, Equatable {
        /// Checkpoint tensor name.
        public let name: String
        /// Shape implied by config.json.
        public let shape: [Int]
        /// Number of elements.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Every tensor `architecture` needs under `config`, in load order.
    public static func plan(for config: ModelConfig, architecture: any DecoderArchitecture) -> [TensorSpec] {
        let h = config.hiddenSize, i = config.intermediateSize
        let bias = architecture.biases(for: config)
        var specs = [TensorSpec(name: architecture.embeddingName, shape: [config.vocabSize, h])]
        func linear(_ base: String, out: Int, in inFeatures: Int, bias hasBias: Bool) {
            specs.append(TensorSpec(name: base + ".weight", shape: [out, inFeatures]))
            if hasBias { specs.append(TensorSpec(name: base + ".bias", shape: [out])) }
        }
        for layer in 0..<config.numHiddenLayers {
            let names = architecture.layerNames(layer)
            specs.append(TensorSpec(name: names.inputNorm + ".weight", shape: [h]))
            linear(names.query, out: config.queryDim, in: h, bias: bias.query)
            linear(names.key, out: config.keyValueDim, in: h, bias: bias.key)
            linear(names.value, out: config.keyValueDim, in: h, bias: bias.value)
            linear(names.output, out: h, in: config.queryDim, bias: bias.output)
            specs.append(TensorSpec(name: names.postAttentionNorm + ".weight", shape: [h]))
            linear(names.gate, out: i, in: h, bias: bias.mlp)
            linear(names.up, out: i, in: h, bias: bias.mlp)
            linear(names.down, out: h, in: i, bias: bias.mlp)
        }
        specs.append(TensorSpec(name: architecture.finalNormName, shape: [h]))
        if !config.tieWordEmbeddings {
            specs.append(TensorSpec(name: architecture.outputName, shape: [config.vocabSize, h]))
        }
        return specs
    }

    /// Checks that `checkpoint` holds exactly the tensors of `plan` with the right shapes and
    /// loadable dtypes, without reading any data. Extra tensors are an error unless the
    /// architecture marks them ignorable (or they are a redundant `lm_head.weight` of a tied
    /// model, which transformers also drops).
    public static func validate(_ checkpoint: SafeTensorsCheckpoint, plan: [TensorSpec],
                                config: ModelConfig, architecture: any DecoderArchitecture) throws {
        var expected = Set<String>()
        for spec in plan {
            expected.insert(spec.name)
            guard let location = checkpoint.location(spec.name) else {
                throw SafeTensorsError.tensorNotFound(file: checkpoint.sourceDescription, tensor: spec.name)
            }
            guard location.info.shape == spec.shape else {
                throw SafeTensorsError.shapeMismatch(file: location.file.path, tensor: spec.name,
                                                     expected: spec.shape, found: location.info.shape)
            }
            guard location.info.dtype.isFloatLoadable else {
                throw SafeTensorsError.unsupportedDType(file: location.file.path, tensor: spec.name,
                                                        dtype: location.info.dtype)
            }
        }
        let unexpected = checkpoint.tensorNames.filter { name in
            !expected.contains(name) && !architecture.isIgnorable(name)
                && !(config.tieWordEmbeddings && name == architecture.outputName)
        }
        guard unexpected.isEmpty else {
            throw SafeTensorsError.unexpectedTensors(file: checkpoint.sourceDescription, tensors: unexpected)
        }
    }

    /// Loads and converts every tensor after `validate` has passed.
    public static func load(_ checkpoint: SafeTensorsCheckpoint, config: ModelConfig,
                            architecture: any DecoderArchitecture) throws -> TransformerWeights {
        let plan = plan(for: config, architecture: architecture)
        try validate(checkpoint, plan: plan, config: config, architecture: architecture)
        let shapes = Dictionary(plan.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func tensor(_ name: String) throws -> FloatBuffer {
            guard let spec = shapes[name] else {
                throw SafeTensorsError.tensorNotFound(file: checkpoint.sourceDescription, tensor: name)
            }
            let buffer = FloatBuffer(uninitializedCount: spec.elementCount)
            try checkpoint.readFloats(name, expectedShape: spec.shape, into: buffer.buffer)
            return buffer
        }
        let bias = architecture.biases(for: config)
        func linear(_ base: String, out: Int, in inFeatures: Int, bias hasBias: Bool) throws -> LinearWeights {
            LinearWeights(weight: try tensor(base + ".weight"), bias: hasBias ? try tensor(base + ".bias") : nil,
                          outFeatures: out, inFeatures: inFeatures)
        }
        let h = config.hiddenSize, i = config.intermediateSize
        let embedding = try tensor(architecture.embeddingName)
        var layers: [DecoderLayerWeights] = []
        layers.reserveCapacity(config.numHiddenLayers)
        for layer in 0..<config.numHiddenLayers {
            let names = architecture.layerNames(layer)
            layers.append(DecoderLayerWeights(
                inputNorm: try tensor(names.inputNorm + ".weight"),
                query: try linear(names.query, out: config.queryDim, in: h, bias: bias.query),
                key: try linear(names.key, out: config.keyValueDim, in: h, bias: bias.key),
                value: try linear(names.value, out: config.keyValueDim, in: h, bias: bias.value),
                output: try linear(names.output, out: h, in: config.queryDim, bias: bias.output),
                postAttentionNorm: try tensor(names.postAttentionNorm + ".weight"),
                gate: try linear(names.gate, out: i, in: h, bias: bias.mlp),
                up: try linear(names.up, out: i, in: h, bias: bias.mlp),
                down: try linear(names.down, out: h, in: i, bias: bias.mlp)))
        }
        let finalNorm = try tensor(architecture.finalNormName)
        let output = config.tieWordEmbeddings
            ? LinearWeights(weight: embedding, bias: nil, outFeatures: config.vocabSize, inFeatures: h)
            : try linear(String(architecture.outputName.dropLast(".weight".count)), out: config.vocabSize, in: h, bias: false)
        return TransformerWeights(embedding: embedding, layers: layers, finalNorm: finalNorm, output: output)
    }

    /// Number of distinct parameters (a tied output matrix counts once).
    public var parameterCount: Int {
        var total = embedding.count + finalNorm.count
        for layer in layers {
            total += layer.inputNorm.count + layer.postAttentionNorm.count
            for linear in [layer.query, layer.key, layer.value, layer.output, layer.gate, layer.up, layer.down] {
                total += linear.parameterCount
            }
        }
        if output.weight !== embedding { total += output.parameterCount }
        return total
    }
}
