import CBLAS
import PonderModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The forward pieces that must keep what backward needs, and the backward of every layer of
/// a pre-norm SwiGLU decoder. Matrix work goes through `cblas_sgemm`; everything else is a
/// plain loop whose summation order is fixed, so a step is bit-for-bit reproducible for a
/// given OpenBLAS thread count (OpenBLAS splits GEMM over output blocks, never over the
/// reduction).
///
/// Pointers are row-major fp32; shapes are in the comments. Gradient outputs named `d…`
/// accumulate (`+=`) unless the comment says they are overwritten.
enum TrainingKernels {
    /// y[rows, dim] = weight ⊙ x · r, r = 1 / sqrt(mean(x²) + eps); keeps r per row.
    /// The same operations in the same order as `CPUBackend.rmsNorm`, so training and
    /// inference logits agree to the last bit on the norm.
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                        eps: Float, into y: UnsafeMutablePointer<Float>, inverseRMS: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * dim, yr = y + r * dim
            var sumOfSquares: Float = 0
            for i in 0..<dim { sumOfSquares += xr[i] * xr[i] }
            let inverse = 1 / (sumOfSquares / Float(dim) + eps).squareRoot()
            inverseRMS[r] = inverse
            for i in 0..<dim { yr[i] = weight[i] * (xr[i] * inverse) }
        }
    }

    /// Backward of `rmsNorm`: dx[rows, dim] += ∂L/∂x, dWeight[dim] += ∂L/∂weight, given
    /// dy[rows, dim] and the saved per-row r.
    ///   dx = r · (w ⊙ dy) − x · r³ · Σ(w ⊙ dy ⊙ x) / dim
    static func rmsNormBackward(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                                inverseRMS: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                dx: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * dim, dyr = dy + r * dim, dxr = dx + r * dim
            let inverse = inverseRMS[r]
            var dot: Float = 0
            for i in 0..<dim { dot += weight[i] * dyr[i] * xr[i] }
            let coefficient = inverse * inverse * inverse * dot / Float(dim)
            for i in 0..<dim {
                dxr[i] += inverse * weight[i] * dyr[i] - xr[i] * coefficient
                dWeight[i] += dyr[i] * xr[i] * inverse
            }
        }
    }

    /// Backward of a linear layer y[rows, out] = x[rows, in] · Wᵀ + b:
    /// dx[rows, in] = dy · W (overwritten, or added when `accumulateInput`),
    /// dW[out, in] += dyᵀ · x, db[out] += Σ_rows dy. `dx` may be nil (the embedding input).
    static func linearBackward(_ x: UnsafePointer<Float>, rows: Int, layer: LinearWeights, dy: UnsafePointer<Float>,
                               gradient: LinearWeights, dx: UnsafeMutablePointer<Float>?, accumulateInput: Bool) {
        let out = Int32(layer.outFeatures), inFeatures = Int32(layer.inFeatures), n = Int32(rows)
        if let dx {
            // dx[rows, in] = dy[rows, out] · W[out, in]
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, inFeatures, out, 1,
                        dy, out, layer.weight.pointer, inFeatures, accumulateInput ? 1 : 0, dx, inFeatures)
        }
        // dW[out, in] += dy[rows, out]ᵀ · x[rows, in]
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, inFeatures, n, 1,
                    dy, out, x, inFeatures, 1, gradient.weight.pointer, inFeatures)
        if let db = gradient.bias?.pointer {
            let width = layer.outFeatures
            for r in 0..<rows {
                let row = dy + r * width
                for j in 0..<width { db[j] += row[j] }
            }
        }
    }

    /// act[count] = silu(gate) ⊙ up, keeping `gate` (pre-activation) for backward. The same
    /// expression as `CPUBackend.siluMultiply`.
    static func swiglu(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                       into act: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let g = gate[i]
            act[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// Backward of `swiglu`: dGate, dUp[count] are overwritten from dAct.
    ///   d up = dAct · silu(g);  d gate = dAct · up · σ(g) · (1 + g · (1 − σ(g)))
    static func swigluBackward(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, dAct: UnsafePointer<Float>,
                               count: Int, dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let g = gate[i]
            let sigmoid = 1 / (1 + expf(-g))
            dUp[i] = dAct[i] * g * sigmoid
            dGate[i] = dAct[i] * up[i] * sigmoid * (1 + g * (1 - sigmoid))
        }
    }

    /// Rotates x[rows, heads · headDim] in place by the per-row angles (`rotate_half`
    /// convention, as `CPUBackend.applyRotary`); with `inverse` it rotates by the negative
    /// angle, which is the backward of the rotation (its transpose).
    static func rotate(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                       cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, inverse: Bool) {
        let half = headDim / 2
        let sign: Float = inverse ? -1 : 1
        for r in 0..<rows {
            let c = cos + r * half, s = sin + r * half
            for h in 0..<heads {
                let v = x + (r * heads + h) * headDim
                for i in 0..<half {
                    let a = v[i], b = v[i + half], si = sign * s[i]
                    v[i] = a * c[i] - b * si
                    v[i + half] = b * c[i] + a * si
                }
            }
        }
    }
}
