/// Llama (`LlamaForCausalLM`, transformers `modeling_llama.py`): Llama 2/3/3.1 and the
/// DeepSeek-R1-Distill-Llama models.
///
/// Biases are optional: `attention_bias` puts one on all four attention projections and
/// `mlp_bias` on gate, up and down (both false for the published Llama checkpoints). Llama
/// 3.1 uses the `llama3` rope scaling, which `RotaryEmbedding` implements.
public struct Llama: DecoderArchitecture {
    /// The Llama architecture.
    public init() {}

    public var modelType: String { "llama" }

    public func biases(for config: ModelConfig) -> BiasLayout {
        BiasLayout(query: config.attentionBias, key: config.attentionBias, value: config.attentionBias,
                   output: config.attentionBias, mlp: config.mlpBias)
    }
}
