import Foundation

/// Random-weight Qwen2 checkpoints for benchmarks: the real layout and shapes, no download.
///
/// Timing does not depend on the weights' values, only on their shapes and dtype, so a
/// seeded random checkpoint measures exactly what a trained one of the same shape would.
/// `Benchmarks/make_random_checkpoint.py` writes the same shapes from Python.
public enum RandomCheckpoint {
    /// A benchmark model shape.
    public struct Shape: Sendable, Equatable {
        /// A short name (`125m`, `30m`).
        public var name: String
        public var hiddenSize: Int
        public var layers: Int
        public var heads: Int
        public var kvHeads: Int
        public var intermediateSize: Int
        public var vocabSize: Int

        /// ~121M parameters: hidden 768, 12 layers, 12 heads / 4 KV heads, FFN 2816, 32k
        /// vocabulary, tied embeddings (the llama.cpp reference point in `ponder bench`).
        public static let qwen2_125M = Shape(name: "125m", hiddenSize: 768, layers: 12, heads: 12, kvHeads: 4,
                                             intermediateSize: 2816, vocabSize: 32_000)
        /// ~30M parameters: hidden 384, 8 layers, 6 heads / 2 KV heads, FFN 1536, 32k vocabulary.
        public static let qwen2_30M = Shape(name: "30m", hiddenSize: 384, layers: 8, heads: 6, kvHeads: 2,
                                            intermediateSize: 1536, vocabSize: 32_000)

        /// The shapes by name.
        public static let all = [qwen2_125M, qwen2_30M]

        /// The Qwen2 config of this shape (tied embeddings, 4,096 positions, no EOS id, so
        /// generation always runs to its token limit).
        public func config(dtype: SafeTensorsDType) throws -> ModelConfig {
            try ModelConfig(modelType: "qwen2", hiddenSize: hiddenSize, numHiddenLayers: layers, numAttentionHeads: heads,
                            numKeyValueHeads: kvHeads, intermediateSize: intermediateSize, vocabSize: vocabSize,
                            tieWordEmbeddings: true, maxPositionEmbeddings: 4096,
                            torchDtype: dtype == .bf16 ? "bfloat16" : dtype == .f16 ? "float16" : "float32")
        }
    }

    /// Writes `config.json` and `model.safetensors` for `shape` into `directory` (created if
    /// missing), weights drawn uniformly with standard deviation 0.02 (embeddings 1) from
    /// `seed`. Returns the parameter count.
    @discardableResult
    public static func write(_ shape: Shape, to directory: String, dtype: SafeTensorsDType = .f32,
                             seed: UInt64 = 0) throws -> Int {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = try shape.config(dtype: dtype)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(config).write(to: URL(fileURLWithPath: directory).appendingPathComponent("config.json"))

        var rng = SeededRNG(seed: seed)
        var writer = SafeTensorsWriter()
        var parameters = 0
        for spec in TransformerWeights.plan(for: config, architecture: Qwen2()) {
            let count = spec.elementCount
            let isNorm = spec.name.hasSuffix("norm.weight")
            let std: Float = spec.name == "model.embed_tokens.weight" ? 1 : 0.02
            // Uniform on [−a, a] has standard deviation a/√3.
            let a = std * Float(3).squareRoot()
            var values = [Float](repeating: 1, count: count)
            if !isNorm {
                for i in 0..<count { values[i] = Float(rng.nextDouble() * 2 - 1) * a }
            }
            try values.withUnsafeBufferPointer { try writer.add(spec.name, shape: spec.shape, values: $0, dtype: dtype) }
            parameters += count
        }
        try writer.write(to: (directory as NSString).appendingPathComponent("model.safetensors"))
        return parameters
    }
}
