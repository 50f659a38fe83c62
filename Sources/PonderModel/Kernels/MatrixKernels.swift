import CBLAS

/// Single-threaded matrix kernels for `y = x · Wᵀ` with `W` stored `[out, in]` row-major.
///
/// Two regimes, measured on this project's 2-core machine: with a few rows, OpenBLAS's sgemm
/// runs at 4–10 GFLOP/s while the product is really a stream over the weights, so
/// `skinny` reads each weight row once for every input row; with many rows, sgemm's packed
/// micro-kernels win. `CPUBackend.skinnyRowLimit` is the crossover (see `ponder bench`).
/// Callers (the backend) split the output columns between threads.
enum MatrixKernels {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    /// y[r, j] = Σₖ x[r, k] · W[j, k] (+ bias[j]) (+ y[r, j] when `accumulate`) for output
    /// columns `columns` and every row r < rows.
    /// x: [rows, k] (row stride k); W: [out, k]; y: [rows, ldy].
    static func skinny(x: UnsafePointer<Float>, rows: Int, k: Int, weight: UnsafePointer<Float>,
                       bias: UnsafePointer<Float>?, columns: Range<Int>, y: UnsafeMutablePointer<Float>,
                       ldy: Int, accumulate: Bool) {
        // One to three rows (decoding a few sequences): the product is a stream over W, so
        // read W strictly in memory order, one weight row at a time, which the hardware
        // prefetcher follows best.
        switch rows {
        case 1: return stream(1, x, k, weight, bias, columns, y, ldy, accumulate)
        case 2: return stream(2, x, k, weight, bias, columns, y, ldy, accumulate)
        case 3: return stream(3, x, k, weight, bias, columns, y, ldy, accumulate)
        default: break
        }
        // Three weight rows at a time against three input rows: 9 independent accumulators
        // (more than the FMA latency × throughput of 8), 3 + 3 loads per 9 FMAs, 13 of the 16
        // vector registers (a 3 × 4 tile spills accumulators to the stack). The reduction runs
        // in chunks of `depth` so that the chunk of every input row stays in L1 while the weight
        // rows stream past (else the input rows come from L2 for every tile, and L2 bandwidth,
        // not the FMA units, sets the pace); later chunks add onto the partial sums in y.
        let depth = 256
        let lastColumn = columns.upperBound - columns.count % 3
        for k0 in stride(from: 0, to: k, by: depth) {
            let length = min(depth, k - k0)
            let first = k0 == 0
            let chunkBias = first ? bias : nil, chunkAccumulate = first ? accumulate : true
            let xk = x + k0
            var j = columns.lowerBound
            while j < lastColumn {
                let w = weight + j * k + k0
                var r = 0
                while r + 3 <= rows {
                    tile(3, xk + r * k, k, w, k, length, chunkBias, j, y + r * ldy, ldy, chunkAccumulate)
                    r += 3
                }
                switch rows - r {
                case 2: tile(2, xk + r * k, k, w, k, length, chunkBias, j, y + r * ldy, ldy, chunkAccumulate)
                case 1: tile(1, xk + r * k, k, w, k, length, chunkBias, j, y + r * ldy, ldy, chunkAccumulate)
                default: break
                }
                j += 3
            }
        }
        var j = lastColumn
        // Leftover columns (out not a multiple of 3): one weight row at a time.
        while j < columns.upperBound {
            let w = weight + j * k
            for r in 0..<rows {
                let value = dot(x + r * k, w, count: k) + (bias?[j] ?? 0)
                let out = y + r * ldy + j
                out.pointee = accumulate ? out.pointee + value : value
            }
            j += 1
        }
    }

    /// Three output columns j..<j+3 for `rows` (1...3) input rows over `k` inputs:
    /// y[r, j + c] (+)= Σᵢ x[r, i] · w[c, i] (+ bias[j + c]).
    /// x: rows with stride ldx; w: 3 weight rows with stride ldw; y: rows with stride ldy.
    @inline(__always)
    private static func tile(_ rows: Int, _ x: UnsafePointer<Float>, _ ldx: Int, _ w: UnsafePointer<Float>,
                             _ ldw: Int, _ k: Int, _ bias: UnsafePointer<Float>?, _ j: Int,
                             _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ accumulate: Bool) {
        let w0 = w, w1 = w + ldw, w2 = w + 2 * ldw
        let x0 = x, x1 = x + ldx, x2 = x + 2 * ldx
        var a0 = Vector(), a1 = Vector(), a2 = Vector(), b0 = Vector(), b1 = Vector(), b2 = Vector()
        var c0 = Vector(), c1 = Vector(), c2 = Vector()
        var i = 0
        while i + 8 <= k {
            let v0 = load(w0 + i), v1 = load(w1 + i), v2 = load(w2 + i)
            let p = load(x0 + i)
            a0.addProduct(p, v0); a1.addProduct(p, v1); a2.addProduct(p, v2)
            if rows > 1 {
                let q = load(x1 + i)
                b0.addProduct(q, v0); b1.addProduct(q, v1); b2.addProduct(q, v2)
            }
            if rows > 2 {
                let q = load(x2 + i)
                c0.addProduct(q, v0); c1.addProduct(q, v1); c2.addProduct(q, v2)
            }
            i += 8
        }
        var sums = (SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), 0), SIMD4<Float>(b0.sum(), b1.sum(), b2.sum(), 0),
                    SIMD4<Float>(c0.sum(), c1.sum(), c2.sum(), 0))
        while i < k {
            let wv = SIMD4<Float>(w0[i], w1[i], w2[i], 0)
            sums.0.addProduct(x0[i], wv)
            if rows > 1 { sums.1.addProduct(x1[i], wv) }
            if rows > 2 { sums.2.addProduct(x2[i], wv) }
            i += 1
        }
        let b = bias.map { SIMD4<Float>($0[j], $0[j + 1], $0[j + 2], 0) } ?? SIMD4<Float>()
        for r in 0..<rows {
            let s = (r == 0 ? sums.0 : r == 1 ? sums.1 : sums.2) + b
            let out = y + r * ldy + j
            for c in 0..<3 { out[c] = accumulate ? out[c] + s[c] : s[c] }
        }
    }

    /// `skinny` for `rows` ≤ 3 input rows: each weight row is read once, 16 floats (one
    /// cache line) per step, against every input row held in L1.
    @inline(__always)
    private static func stream(_ rows: Int, _ x: UnsafePointer<Float>, _ k: Int, _ weight: UnsafePointer<Float>,
                               _ bias: UnsafePointer<Float>?, _ columns: Range<Int>, _ y: UnsafeMutablePointer<Float>,
                               _ ldy: Int, _ accumulate: Bool) {
        let xa = x, xb = x + k, xc = x + 2 * k
        for j in columns {
            let w = weight + j * k
            var a0 = Vector(), a1 = Vector(), b0 = Vector(), b1 = Vector(), c0 = Vector(), c1 = Vector()
            var i = 0
            while i + 16 <= k {
                let v0 = load(w + i), v1 = load(w + i + 8)
                a0.addProduct(load(xa + i), v0)
                a1.addProduct(load(xa + i + 8), v1)
                if rows > 1 {
                    b0.addProduct(load(xb + i), v0)
                    b1.addProduct(load(xb + i + 8), v1)
                }
                if rows > 2 {
                    c0.addProduct(load(xc + i), v0)
                    c1.addProduct(load(xc + i + 8), v1)
                }
                i += 16
            }
            var sums = SIMD4<Float>((a0 + a1).sum(), (b0 + b1).sum(), (c0 + c1).sum(), 0)
            while i < k {
                sums.addProduct(SIMD4<Float>(xa[i], rows > 1 ? xb[i] : 0, rows > 2 ? xc[i] : 0, 0), w[i])
                i += 1
            }
            let b = bias?[j] ?? 0
            for r in 0..<rows {
                let out = y + r * ldy + j
                out.pointee = accumulate ? out.pointee + (sums[r] + b) : sums[r] + b
            }
        }
    }

    /// Σᵢ a[i] · b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var s0 = Vector(), s1 = Vector()
        var i = 0
        while i + 16 <= count {
            s0.addProduct(load(a + i), load(b + i))
            s1.addProduct(load(a + i + 8), load(b + i + 8))
            i += 16
        }
        if i + 8 <= count {
            s0.addProduct(load(a + i), load(b + i))
            i += 8
        }
        var total = (s0 + s1).sum()
        while i < count {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// The same product through OpenBLAS for output columns `columns` (one thread's share).
    static func sgemm(x: UnsafePointer<Float>, rows: Int, k: Int, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>?, columns: Range<Int>, y: UnsafeMutablePointer<Float>,
                      ldy: Int, accumulate: Bool) {
        let n = columns.count
        guard n > 0 else { return }
        // y[rows, columns] = x[rows, k] · W[columns, k]ᵀ (+ y)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(k), 1,
                    x, Int32(k), weight + columns.lowerBound * k, Int32(k), accumulate ? 1 : 0,
                    y + columns.lowerBound, Int32(ldy))
        if let bias {
            let b = bias + columns.lowerBound
            for r in 0..<rows {
                VectorKernels.add(b, into: y + r * ldy + columns.lowerBound, count: n)
            }
        }
    }
}
