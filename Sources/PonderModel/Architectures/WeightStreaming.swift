/// Which copy of the linear weights the weight-streaming (small-batch) kernels read.
///
/// Decoding a few sequences is a stream over every weight per token, so its speed is the
/// memory bandwidth divided by the bytes per weight. Published checkpoints (DeepSeek-R1-Distill,
/// Qwen2.5) are stored in bf16; `.bf16` keeps that bf16 copy beside the fp32 one the rest of
/// the engine uses and streams it, widening each value on the fly — exactly, so every logit is
/// bit-identical to `.f32`, at half the bytes per decoded token. The price is memory: weights
/// take 1.5× the fp32 size. sgemm (prefill, large batches) keeps reading fp32.
public enum WeightStreaming: String, Sendable, CaseIterable {
    /// Stream the fp32 weights (the default; any checkpoint).
    case f32
    /// Stream a bf16 copy; loading fails with `ModelError.weightNotBF16` unless every linear
    /// weight is exactly representable in bf16 (a checkpoint stored in bf16).
    case bf16
}

extension TransformerWeights {
    /// These weights with a bf16 streaming copy of every linear layer (a tied output layer gets
    /// its own bf16 copy of the embedding matrix; the embedding lookup keeps reading fp32).
    /// - Throws: `ModelError.weightNotBF16` naming the first weight bf16 cannot hold exactly.
    func withBF16Streaming() throws -> TransformerWeights {
        func bf16(_ layer: LinearWeights, _ name: String) throws -> LinearWeights {
            guard let streamed = layer.withBF16Streaming() else { throw ModelError.weightNotBF16(name) }
            return streamed
        }
        let layers = try self.layers.enumerated().map { index, layer in
            let prefix = "layer \(index) "
            return DecoderLayerWeights(
                inputNorm: layer.inputNorm, query: try bf16(layer.query, prefix + "query"),
                key: try bf16(layer.key, prefix + "key"), value: try bf16(layer.value, prefix + "value"),
                output: try bf16(layer.output, prefix + "output"), postAttentionNorm: layer.postAttentionNorm,
                gate: try bf16(layer.gate, prefix + "gate"), up: try bf16(layer.up, prefix + "up"),
                down: try bf16(layer.down, prefix + "down"))
        }
        return TransformerWeights(embedding: embedding, layers: layers, finalNorm: finalNorm,
                                  output: try bf16(output, "the output (lm_head) weight"))
    }
}
