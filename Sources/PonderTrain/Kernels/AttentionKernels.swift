import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Causal grouped-query attention over one sequence, forward (keeping the probabilities) and
/// backward. Query head h reads KV head h / (heads / kvHeads), as transformers' `repeat_kv`;
/// the KV heads' gradients therefore sum over their group, in head order.
struct AttentionShape {
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    let scale: Float

    var queryDim: Int { heads * headDim }
    var keyValueDim: Int { kvHeads * headDim }
    var group: Int { heads / kvHeads }
}

extension TrainingKernels {
    /// Forward for one sequence of n tokens.
    /// - q: [n, heads · headDim], k, v: [n, kvHeads · headDim] (rotated q and k)
    /// - probs: [heads, n, n] written (row t is zero beyond column t)
    /// - out: [n, heads · headDim] written
    static func attentionForward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                 n: Int, shape: AttentionShape, probs: UnsafeMutablePointer<Float>,
                                 out: UnsafeMutablePointer<Float>) {
        let qStride = Int32(shape.queryDim), kvStride = Int32(shape.keyValueDim)
        let hd = Int32(shape.headDim), rows = Int32(n)
        for h in 0..<shape.heads {
            let kvHead = h / shape.group
            let qh = q + h * shape.headDim, kh = k + kvHead * shape.headDim, vh = v + kvHead * shape.headDim
            let p = probs + h * n * n
            // p[n, n] = scale · Q_h · K_gᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, rows, hd, shape.scale,
                        qh, qStride, kh, kvStride, 0, p, rows)
            for t in 0..<n {
                let row = p + t * n
                softmax(row, count: t + 1)
                for j in (t + 1)..<n { row[j] = 0 }
            }
            // out_h[n, headDim] = p · V_g
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, hd, rows, 1,
                        p, rows, vh, kvStride, 0, out + h * shape.headDim, qStride)
        }
    }

    /// Backward for one sequence: from dOut[n, heads · headDim] and the saved probabilities,
    /// writes dq[n, heads · headDim] and accumulates dk, dv[n, kvHeads · headDim] (which the
    /// caller zeroes). `scratch` holds at least n · n floats.
    ///   dP = dO · Vᵀ;  dS = P ⊙ (dP − rowsum(dP ⊙ P)) · scale
    ///   dQ = dS · K;   dK += dSᵀ · Q;   dV += Pᵀ · dO
    static func attentionBackward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                  n: Int, shape: AttentionShape, probs: UnsafePointer<Float>,
                                  dOut: UnsafePointer<Float>, dq: UnsafeMutablePointer<Float>,
                                  dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                                  scratch: UnsafeMutablePointer<Float>) {
        let qStride = Int32(shape.queryDim), kvStride = Int32(shape.keyValueDim)
        let hd = Int32(shape.headDim), rows = Int32(n)
        for h in 0..<shape.heads {
            let kvHead = h / shape.group
            let offsetQ = h * shape.headDim, offsetKV = kvHead * shape.headDim
            let p = probs + h * n * n
            let dOh = dOut + offsetQ
            // dV_g[n, headDim] += pᵀ · dO_h
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, rows, hd, rows, 1,
                        p, rows, dOh, qStride, 1, dv + offsetKV, kvStride)
            // scratch = dP[n, n] = dO_h · V_gᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, rows, hd, 1,
                        dOh, qStride, v + offsetKV, kvStride, 0, scratch, rows)
            for t in 0..<n {
                let pr = p + t * n, dr = scratch + t * n
                var dot: Float = 0
                for j in 0...t { dot += pr[j] * dr[j] }
                for j in 0...t { dr[j] = pr[j] * (dr[j] - dot) * shape.scale }
                for j in (t + 1)..<n { dr[j] = 0 }
            }
            // dQ_h[n, headDim] = dS · K_g
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, hd, rows, 1,
                        scratch, rows, k + offsetKV, kvStride, 0, dq + offsetQ, qStride)
            // dK_g[n, headDim] += dSᵀ · Q_h
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, rows, hd, rows, 1,
                        scratch, rows, q + offsetQ, qStride, 1, dk + offsetKV, kvStride)
        }
    }

    /// In-place softmax over x[count], max-subtracted (as `CPUBackend.softmax`).
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
