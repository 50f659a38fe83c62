/// Qwen2 (`Qwen2ForCausalLM`, transformers `modeling_qwen2.py`): the DeepSeek-R1-Distill-Qwen
/// models and Qwen2/2.5.
///
/// A Llama-layout decoder whose q, k and v projections always have a bias (o_proj and the MLP
/// never do). Sliding-window attention is rejected when the config is read.
public struct Qwen2: DecoderArchitecture {
    /// The Qwen2 architecture.
    public init() {}

    public var modelType: String { "qwen2" }

    public func biases(for config: ModelConfig) -> BiasLayout {
        BiasLayout(query: true, key: true, value: true, output: false, mlp: false)
    }
}
