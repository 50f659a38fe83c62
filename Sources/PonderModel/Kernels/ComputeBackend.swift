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
    /// The same `weight` in bf16, when the model streams bf16 weights (see `WeightStreaming`):
    /// the small-batch kernels read it instead of `weight`, half the bytes per token; sgemm
    /// (prefill, large batches) still reads `weight`.
    public let streamingWeight: BF16Buffer?

    /// Wraps a weight (and bias) whose sizes must match the shape.
    public init(weight: FloatBuffer, bias: FloatBuffer?, outFeatures: Int, inFeatures: Int,
                streamingWeight: BF16Buffer? = nil) {
        precondition(weight.count == outFeatures * inFeatures, "weight size must be out × in")
        precondition(bias.map { $0.count == outFeatures } ?? true, "bias size must be out")
        precondition(streamingWeight.map { $0.count == weight.count } ?? true, "the bf16 copy must match the weight")
        self.weight = weight
        self.bias = bias
        self.outFeatures = outFeatures
        self.inFeatures = inFeatures
        self.streamingWeight = streamingWeight
    }

    /// This layer with a bf16 copy of its weight for the streaming kernels, or nil when the
    /// weight is not exactly representable in bf16.
    public func withBF16Streaming() -> LinearWeights? {
        guard let copy = streamingWeight ?? BF16Buffer(exactly: weight) else { return nil }
        return LinearWeights(weight: weight, bias: bias, outFeatures: outFeatures, inFeatures: inFeatures,
                             streamingWeight: copy)
    }

    /// Number of parameters (weight plus bias).
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }
}

/// Up to three products of the same input, `yᵢ = x · Wᵢᵀ + bᵢ`, run as one parallel pass
/// (q, k and v from one normed input; gate and up). Stored inline, so building one allocates
/// nothing.
public struct LinearGroup {
    /// The products, each a layer and its output `[rows, layer.outFeatures]`.
    public typealias Target = (layer: LinearWeights, output: UnsafeMutablePointer<Float>)
    var first: Target
    var second: Target?
    var third: Target?

    /// A group of one to three products; every layer must take the same input width.
    public init(_ first: Target, _ second: Target? = nil, _ third: Target? = nil) {
        precondition(second.map { $0.layer.inFeatures == first.layer.inFeatures } ?? true, "grouped layers share an input")
        precondition(third.map { $0.layer.inFeatures == first.layer.inFeatures } ?? true, "grouped layers share an input")
        self.first = first
        self.second = second
        self.third = third
    }

    /// Number of products.
    public var count: Int { third != nil ? 3 : second != nil ? 2 : 1 }

    /// Product `i` (0 ≤ i < count).
    public subscript(i: Int) -> Target {
        switch i {
        case 0: return first
        case 1: return second ?? first
        default: return third ?? first
        }
    }
}

/// The one seam between the decoder and the device that does its arithmetic.
///
/// The decoder calls only these operations, each on whole batches of rows, so a different
/// backend (a GPU through cuBLAS, later) can replace `CPUBackend` without touching the model
/// code. Pointers are row-major fp32; shapes are in the comments. A backend owns its own
/// parallelism: callers never spawn threads around these calls.
public protocol ComputeBackend: Sendable {
    /// y[rows, out] = x[rows, in] · Wᵀ + b, or y += x · Wᵀ + b when `accumulate` (residual adds).
    func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: LinearWeights,
                into y: UnsafeMutablePointer<Float>, accumulate: Bool)

    /// yᵢ[rows, outᵢ] = x[rows, in] · Wᵢᵀ + bᵢ for every product of the group, in one pass.
    func linear(_ x: UnsafePointer<Float>, rows: Int, _ group: LinearGroup)

    /// y[rows, dim] = weight ⊙ x / sqrt(mean(x²) + eps), per row (`LlamaRMSNorm`).
    func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                 eps: Float, into y: UnsafeMutablePointer<Float>)

    /// gate[count] = silu(gate) ⊙ up: the SwiGLU activation, in place.
    func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int)

    /// Rotates x[rows, heads, headDim] in place, HF rotate-half layout: element i pairs with
    /// i + headDim/2. cos/sin are [rows, headDim/2], one row per token position.
    func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                     cos: UnsafePointer<Float>, sin: UnsafePointer<Float>)

    /// Causal attention of a batch of sequences for layer `layer`: first stores each
    /// sequence's new keys and values (rows of `keys`, `values`: [rows, kvHeads · headDim],
    /// already rotated) into its KV blocks, then attends each new query row to its own
    /// sequence's positions up to and including itself.
    ///
    /// - query: [rows, heads · headDim]; output: [rows, heads · headDim].
    /// - Query head h reads KV head h / (heads / kvHeads), as transformers' `repeat_kv`.
    func attention(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                   sequences: UnsafeBufferPointer<AttentionSequence>, layer: Int, shape: AttentionShape,
                   output: UnsafeMutablePointer<Float>, scratch: AttentionScratch)
}
