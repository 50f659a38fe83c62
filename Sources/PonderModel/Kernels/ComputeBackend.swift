/// A linear layer's parameters: `y = x · Wᵀ + b`, with `W` stored `[out, in]` row-major as in
/// PyTorch state dicts.
public struct LinearWeights: Sendable {
    /// `[outFeatures, inFeatures]`.
    public let weight: FloatBuffer
    /// `[outFeatures]`, when the layer has a bias.
    public let bias: FloatBuffer?
    /// Output width.
    public let outFeatures: Int
    /// Input width.
    public let inFeatures: Int

    /// Wraps a weight (and bias) whose sizes must match the shape.
    public init(weight: FloatBuffer, bias: FloatBuffer?, outFeatures: Int, inFeatures: Int) {
        precondition(weight.count == outFeatures * inFeatures, "weight size must be out × in")
        precondition(bias.map { $0.count == outFeatures } ?? true, "bias size must be out")
        self.weight = weight
        self.bias = bias
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
    }

    /// Number of parameters (weight plus bias).
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }
}

/// The one seam between the decoder and the device that does its arithmetic.
///
/// The decoder (`TransformerModel`) calls only these operations, each on whole batches of
/// rows, so a different backend (a GPU through cuBLAS, later) can replace `CPUBackend`
/// without touching the model code. Pointers are row-major fp32; shapes are in the comments.
public protocol ComputeBackend: Sendable {
    /// y[rows, out] = x[rows, in] · Wᵀ + b, or y += x · Wᵀ + b when `accumulate` (residual adds).
    func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: LinearWeights,
                into y: UnsafeMutablePointer<Float>, accumulate: Bool)

    /// y[rows, dim] = weight ⊙ x / sqrt(mean(x²) + eps), per row (`LlamaRMSNorm`).
    func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                 eps: Float, into y: UnsafeMutablePointer<Float>)

    /// gate[count] = silu(gate) ⊙ up: the SwiGLU activation, in place.
    func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int)

    /// Rotates x[rows, heads, headDim] in place, HF rotate-half layout: element i pairs with
    /// i + headDim/2. cos/sin are [rows, headDim/2], one row per token position.
    func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                     cos: UnsafePointer<Float>, sin: UnsafePointer<Float>)

    /// Causal multi-head attention of `rows` new queries against a sequence's cached keys and
    /// values. Query row t sits at position `startPosition + t` and sees positions 0...that.
    ///
    /// - query: [rows, heads · headDim]; keys, values: [startPosition + rows, kvHeads · headDim]
    ///   (the cache, already holding the new rows); output: [rows, heads · headDim].
    /// - Query head h reads KV head h / (heads / kvHeads), as transformers' `repeat_kv`.
    /// - scores: scratch of at least rows × (startPosition + rows) floats.
    func attention(query: UnsafePointer<Float>, rows: Int, startPosition: Int,
                   keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                   heads: Int, kvHeads: Int, headDim: Int, scale: Float,
                   scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>)
}
