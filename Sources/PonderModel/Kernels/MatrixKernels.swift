import CBLAS

/// A weight element type the streaming kernels read: `Float`, or `UInt16` holding bf16 bit
/// patterns (`BF16Buffer`), widened to Float exactly as it is loaded.
protocol StreamedWeightElement {
    /// Eight consecutive elements as Floats.
    static func load8(_ p: UnsafePointer<Self>) -> SIMD8<Float>
    /// The element as a Float.
    var widened: Float { get }
}

extension Float: StreamedWeightElement {
    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    @inline(__always)
    var widened: Float { self }
}

extension UInt16: StreamedWeightElement {
    /// bf16 is the top half of a float: widen to 32 bits and shift into place (exact).
    @inline(__always)
    static func load8(_ p: UnsafePointer<UInt16>) -> SIMD8<Float> {
        let bits = SIMD8<UInt32>(truncatingIfNeeded: UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt16>.self)) &<< 16
        return unsafeBitCast(bits, to: SIMD8<Float>.self)
    }
    @inline(__always)
    var widened: Float { Float(bitPattern: UInt32(self) << 16) }
}

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
    static func skinny<W: StreamedWeightElement>(x: UnsafePointer<Float>, rows: Int, k: Int, weight: UnsafePointer<W>,
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
        // Two weight rows at a time against blocks of four input rows: 8 independent
        // accumulators (the FMA latency × throughput) and 2 weight registers, 11 of the 16
        // vector registers (a 3 × 4 tile makes the compiler spill its accumulators to the stack,
        // halving the speed). Blocks of input rows are the outer loop: one block (4 rows of x)
        // stays in L1 while the slice's weight rows stream past; the first block reads them
        // from memory, in order, and later blocks from L2 (the caller keeps a slice's weights
        // within L2, see `skinnySliceWidth`). So up to about 16 rows the product costs about
        // one read of W.
        let lastColumn = columns.upperBound - columns.count % 2
        var r = 0
        while r < rows {
            let block = min(4, rows - r), xr = x + r * k, yr = y + r * ldy
            var j = columns.lowerBound
            while j < lastColumn {
                let w = weight + j * k
                // The first block also prefetches the next two weight rows, so that their
                // memory traffic overlaps this pair's arithmetic instead of stalling the next.
                let next: UnsafePointer<W>? = r == 0 && j + 2 < lastColumn ? w + 2 * k : nil
                switch block {
                case 4: tile(4, xr, w, k, bias, j, yr, ldy, accumulate, prefetch: next)
                case 3: tile(3, xr, w, k, bias, j, yr, ldy, accumulate, prefetch: next)
                case 2: tile(2, xr, w, k, bias, j, yr, ldy, accumulate, prefetch: next)
                default: tile(1, xr, w, k, bias, j, yr, ldy, accumulate, prefetch: next)
                }
                j += 2
            }
            r += block
        }
        var j = lastColumn
        // The leftover column (out odd): one weight row at a time.
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

    /// Two output columns j, j+1 for `rows` (1...4) input rows over `k` inputs:
    /// y[r, j + c] (+)= Σᵢ x[r, i] · w[c, i] (+ bias[j + c]).
    /// x: rows of k (stride k); w: 2 weight rows of k (stride k); y: rows with stride ldy.
    /// `prefetch`: the next two weight rows, to pull into cache along the way.
    @inline(__always)
    private static func tile<W: StreamedWeightElement>(_ rows: Int, _ x: UnsafePointer<Float>, _ w: UnsafePointer<W>,
                                                       _ k: Int, _ bias: UnsafePointer<Float>?, _ j: Int,
                                                       _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ accumulate: Bool,
                                                       prefetch: UnsafePointer<W>?) {
        let w0 = w, w1 = w + k
        let x0 = x, x1 = x + k, x2 = x + 2 * k, x3 = x + 3 * k
        var a0 = Vector(), a1 = Vector(), b0 = Vector(), b1 = Vector()
        var c0 = Vector(), c1 = Vector(), d0 = Vector(), d1 = Vector()
        var i = 0
        while i &+ 8 <= k {
            if let prefetch, i & 15 == 0 {  // one hint per 16 elements of each row (a line of fp32)
                ponder_prefetch(prefetch + i)
                ponder_prefetch(prefetch + k + i)
            }
            let v0 = W.load8(w0 + i), v1 = W.load8(w1 + i)
            let p = load(x0 + i)
            a0.addProduct(p, v0); a1.addProduct(p, v1)
            if rows > 1 {
                let q = load(x1 + i)
                b0.addProduct(q, v0); b1.addProduct(q, v1)
            }
            if rows > 2 {
                let q = load(x2 + i)
                c0.addProduct(q, v0); c1.addProduct(q, v1)
            }
            if rows > 3 {
                let q = load(x3 + i)
                d0.addProduct(q, v0); d1.addProduct(q, v1)
            }
            i &+= 8
        }
        // Lanes: (row 0, col 0), (row 0, col 1), (row 1, col 0), …
        var sums = SIMD8<Float>(a0.sum(), a1.sum(), b0.sum(), b1.sum(), c0.sum(), c1.sum(), d0.sum(), d1.sum())
        while i < k {
            let wa = w0[i].widened, wb = w1[i].widened
            sums.addProduct(SIMD8<Float>(x0[i], x0[i], rows > 1 ? x1[i] : 0, rows > 1 ? x1[i] : 0,
                                         rows > 2 ? x2[i] : 0, rows > 2 ? x2[i] : 0,
                                         rows > 3 ? x3[i] : 0, rows > 3 ? x3[i] : 0),
                            SIMD8<Float>(wa, wb, wa, wb, wa, wb, wa, wb))
            i += 1
        }
        let bias0 = bias?[j] ?? 0, bias1 = bias?[j + 1] ?? 0
        for r in 0..<rows {
            let out = y + r * ldy + j
            let s0 = sums[2 * r] + bias0, s1 = sums[2 * r + 1] + bias1
            out[0] = accumulate ? out[0] + s0 : s0
            out[1] = accumulate ? out[1] + s1 : s1
        }
    }

    /// `skinny` for `rows` ≤ 3 input rows: each weight row is read once, 16 floats (one
    /// cache line) per step, against every input row held in L1.
    @inline(__always)
    private static func stream<W: StreamedWeightElement>(_ rows: Int, _ x: UnsafePointer<Float>, _ k: Int, _ weight: UnsafePointer<W>,
                               _ bias: UnsafePointer<Float>?, _ columns: Range<Int>, _ y: UnsafeMutablePointer<Float>,
                               _ ldy: Int, _ accumulate: Bool) {
        let xa = x, xb = x + k, xc = x + 2 * k
        for j in columns {
            let w = weight + j * k
            var a0 = Vector(), a1 = Vector(), b0 = Vector(), b1 = Vector(), c0 = Vector(), c1 = Vector()
            var i = 0
            while i + 16 <= k {
                let v0 = W.load8(w + i), v1 = W.load8(w + i + 8)
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
                sums.addProduct(SIMD4<Float>(xa[i], rows > 1 ? xb[i] : 0, rows > 2 ? xc[i] : 0, 0), w[i].widened)
                i += 1
            }
            let b = bias?[j] ?? 0
            for r in 0..<rows {
                let out = y + r * ldy + j
                out.pointee = accumulate ? out.pointee + (sums[r] + b) : sums[r] + b
            }
        }
    }

    /// Output columns per slice of a `skinny` product with `k` inputs: about 192 KiB of weights,
    /// so that a slice read once from memory is still in L2 (1 MiB here) when the later blocks
    /// of input rows read it again. Even, so that slices split on the kernel's column pairs.
    static func skinnySliceWidth(k: Int) -> Int {
        max(8, min(64, (192 << 10) / max(1, 4 * k)) / 2 * 2)
    }

    /// Σᵢ a[i] · b[i].
    @inline(__always)
    static func dot<W: StreamedWeightElement>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<W>, count: Int) -> Float {
        var s0 = Vector(), s1 = Vector()
        var i = 0
        while i + 16 <= count {
            s0.addProduct(load(a + i), W.load8(b + i))
            s1.addProduct(load(a + i + 8), W.load8(b + i + 8))
            i += 16
        }
        if i + 8 <= count {
            s0.addProduct(load(a + i), W.load8(b + i))
            i += 8
        }
        var total = (s0 + s1).sum()
        while i < count {
            total += a[i] * b[i].widened
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
