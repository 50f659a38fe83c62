import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU implementation of `ComputeBackend`: matrix work through OpenBLAS, the rest in
/// plain loops over raw pointers. OpenBLAS owns the threads (see `setThreadCount`).
public struct CPUBackend: ComputeBackend {
    /// The CPU backend (stateless).
    public init() {}

    /// Sets how many threads OpenBLAS uses for every matrix product in the process.
    public static func setThreadCount(_ count: Int) {
        ponder_openblas_set_threads(Int32(max(1, count)))
    }

    public func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: LinearWeights,
                       into y: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let n = layer.outFeatures, k = layer.inFeatures
        let beta: Float = accumulate ? 1 : 0
        if rows == 1 {
            // One row: sgemv streams W once; sgemm with M = 1 runs several times slower.
            // y[out] = W[out, in] · x[in]
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), 1,
                        layer.weight.pointer, Int32(k), x, 1, beta, y, 1)
        } else {
            // y[rows, out] = x[rows, in] · W[out, in]ᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(k), 1,
                        x, Int32(k), layer.weight.pointer, Int32(k), beta, y, Int32(n))
        }
        if let bias = layer.bias?.pointer {
            for r in 0..<rows {
                let row = y + r * n
                for j in 0..<n { row[j] += bias[j] }
            }
        }
    }

    public func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                        eps: Float, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * dim, yr = y + r * dim
            var sumOfSquares: Float = 0
            for i in 0..<dim { sumOfSquares += xr[i] * xr[i] }
            // rsqrt(mean(x²) + eps), then weight * (x * rsqrt): transformers' order of operations.
            let inverseRMS = 1 / (sumOfSquares / Float(dim) + eps).squareRoot()
            for i in 0..<dim { yr[i] = weight[i] * (xr[i] * inverseRMS) }
        }
    }

    public func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    public func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                            cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDim / 2
        for r in 0..<rows {
            let c = cos + r * half, s = sin + r * half
            for h in 0..<heads {
                // x[r, h, :]: first half pairs with second half (rotate_half), not neighbours.
                let v = x + (r * heads + h) * headDim
                for i in 0..<half {
                    let a = v[i], b = v[i + half]
                    v[i] = a * c[i] - b * s[i]
                    v[i + half] = b * c[i] + a * s[i]
                }
            }
        }
    }

    public func attention(query: UnsafePointer<Float>, rows: Int, startPosition: Int,
                          keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                          heads: Int, kvHeads: Int, headDim: Int, scale: Float,
                          scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let context = startPosition + rows
        let qStride = heads * headDim, kvStride = kvHeads * headDim
        let group = heads / kvHeads
        for h in 0..<heads {
            let q = query + h * headDim                 // [rows, headDim] with row stride qStride
            let k = keys + (h / group) * headDim        // [context, headDim] with row stride kvStride
            let v = values + (h / group) * headDim
            let out = output + h * headDim
            if rows == 1 {
                // scores[context] = K · q
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(context), Int32(headDim), scale,
                            k, Int32(kvStride), q, 1, 0, scores, 1)
                Self.softmax(scores, count: context)
                // out[headDim] = Vᵀ · p
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(context), Int32(headDim), 1,
                            v, Int32(kvStride), scores, 1, 0, out, 1)
            } else {
                // scores[rows, context] = Q · Kᵀ · scale
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(context), Int32(headDim),
                            scale, q, Int32(qStride), k, Int32(kvStride), 0, scores, Int32(context))
                for t in 0..<rows {
                    // Row t may see positions 0...startPosition + t; later ones get probability 0.
                    let row = scores + t * context
                    let visible = startPosition + t + 1
                    Self.softmax(row, count: visible)
                    for j in visible..<context { row[j] = 0 }
                }
                // out[rows, headDim] = P[rows, context] · V[context, headDim]
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(headDim), Int32(context),
                            1, scores, Int32(context), v, Int32(kvStride), 0, out, Int32(qStride))
            }
        }
    }

    /// In-place softmax over x[count] in fp32, max-subtracted for stability.
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var maximum = -Float.infinity
        for i in 0..<count where x[i] > maximum { maximum = x[i] }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - maximum)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }
}
