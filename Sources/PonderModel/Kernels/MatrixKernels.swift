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
        var j = columns.lowerBound
        // Four weight rows at a time, against two input rows at a time: 8 accumulators, 4 + 2
        // loads per 8 FMAs, and the four weight rows stay in L1 while the input rows go by.
        while j + 4 <= columns.upperBound {
            let w0 = weight + j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k
            var r = 0
            while r + 2 <= rows {
                let xa = x + r * k, xb = xa + k
                var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                var b0 = Vector(), b1 = Vector(), b2 = Vector(), b3 = Vector()
                var i = 0
                while i + 8 <= k {
                    let va = load(xa + i), vb = load(xb + i)
                    let v0 = load(w0 + i), v1 = load(w1 + i), v2 = load(w2 + i), v3 = load(w3 + i)
                    a0.addProduct(va, v0); a1.addProduct(va, v1); a2.addProduct(va, v2); a3.addProduct(va, v3)
                    b0.addProduct(vb, v0); b1.addProduct(vb, v1); b2.addProduct(vb, v2); b3.addProduct(vb, v3)
                    i += 8
                }
                var sa = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
                var sb = SIMD4<Float>(b0.sum(), b1.sum(), b2.sum(), b3.sum())
                while i < k {
                    let xs = xa[i], xt = xb[i]
                    let wv = SIMD4<Float>(w0[i], w1[i], w2[i], w3[i])
                    sa.addProduct(xs, wv)
                    sb.addProduct(xt, wv)
                    i += 1
                }
                store(sa, row: y + r * ldy + j, bias: bias.map { $0 + j }, accumulate: accumulate)
                store(sb, row: y + (r + 1) * ldy + j, bias: bias.map { $0 + j }, accumulate: accumulate)
                r += 2
            }
            if r < rows {
                let xa = x + r * k
                // Two accumulators per weight row hide the FMA latency when streaming one row.
                var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector()
                var i = 0
                while i + 16 <= k {
                    let va = load(xa + i), vc = load(xa + i + 8)
                    a0.addProduct(va, load(w0 + i)); a1.addProduct(va, load(w1 + i))
                    a2.addProduct(va, load(w2 + i)); a3.addProduct(va, load(w3 + i))
                    c0.addProduct(vc, load(w0 + i + 8)); c1.addProduct(vc, load(w1 + i + 8))
                    c2.addProduct(vc, load(w2 + i + 8)); c3.addProduct(vc, load(w3 + i + 8))
                    i += 16
                }
                while i + 8 <= k {
                    let va = load(xa + i)
                    a0.addProduct(va, load(w0 + i)); a1.addProduct(va, load(w1 + i))
                    a2.addProduct(va, load(w2 + i)); a3.addProduct(va, load(w3 + i))
                    i += 8
                }
                var sa = SIMD4<Float>((a0 + c0).sum(), (a1 + c1).sum(), (a2 + c2).sum(), (a3 + c3).sum())
                while i < k {
                    sa.addProduct(xa[i], SIMD4<Float>(w0[i], w1[i], w2[i], w3[i]))
                    i += 1
                }
                store(sa, row: y + r * ldy + j, bias: bias.map { $0 + j }, accumulate: accumulate)
            }
            j += 4
        }
        // Leftover columns (out not a multiple of 4): one weight row at a time.
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

    @inline(__always)
    private static func store(_ s: SIMD4<Float>, row: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                              accumulate: Bool) {
        var value = s
        if let bias { value += UnsafeRawPointer(bias).loadUnaligned(as: SIMD4<Float>.self) }
        if accumulate { value += UnsafeRawPointer(row).loadUnaligned(as: SIMD4<Float>.self) }
        UnsafeMutableRawPointer(row).storeBytes(of: value, as: SIMD4<Float>.self)
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
