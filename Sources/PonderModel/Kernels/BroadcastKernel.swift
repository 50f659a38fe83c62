import Synchronization

/// The streaming product for 9–16 input rows, with the input transposed: xT is `[k, 16]` (row
/// r of x in lane r, lanes past `rows` zero). Each weight element is broadcast once and
/// multiplied into all 16 rows with two FMAs, six weight rows at a time: 12 accumulators, no
/// horizontal sums, and every weight row read once, in order, from memory. The row-major tile
/// (`MatrixKernels.skinny`) needs a load of x for every FMA and a horizontal sum per output,
/// which at 16 rows leaves it compute-bound at about half this rate.
extension MatrixKernels {
    /// Lanes of a transposed input row.
    static let broadcastLanes = 16
    /// Row counts the broadcast kernel takes (fewer rows waste its second vector of lanes).
    static let broadcastRows = 9...16

    /// xT[i, r] = x[r, i] for r < rows, 0 for rows ≤ r < 16. x: [rows, k] (stride k).
    static func transposeForBroadcast(_ x: UnsafePointer<Float>, rows: Int, k: Int,
                                      into xT: UnsafeMutablePointer<Float>) {
        xT.update(repeating: 0, count: k * broadcastLanes)
        for r in 0..<rows {
            let row = x + r * k
            for i in 0..<k { xT[i * broadcastLanes + r] = row[i] }
        }
    }

    /// y[r, j] (+)= Σᵢ xT[i, r] · W[j, i] (+ bias[j]) for r < rows (9...16), j in `columns`.
    /// fp32 weights only: here the product is compute-bound, and widening a bf16 scalar before
    /// each broadcast would cost more than the bytes it saves.
    static func broadcast(xT: UnsafePointer<Float>, rows: Int, k: Int, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>?, columns: Range<Int>, y: UnsafeMutablePointer<Float>,
                          ldy: Int, accumulate: Bool) {
        var j = columns.lowerBound
        while j + 6 <= columns.upperBound {
            broadcastColumns(6, xT, rows, k, weight + j * k, bias, j, y, ldy, accumulate)
            j += 6
        }
        while j < columns.upperBound {
            broadcastColumns(1, xT, rows, k, weight + j * k, bias, j, y, ldy, accumulate)
            j += 1
        }
    }

    /// `count` (1 or 6) output columns from j on; w: their weight rows (stride k).
    @inline(__always)
    private static func broadcastColumns(
        _ count: Int, _ xT: UnsafePointer<Float>, _ rows: Int, _ k: Int, _ w: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>?, _ j: Int, _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ accumulate: Bool
    ) {
        let w0 = w, w1 = w + k, w2 = w + 2 * k, w3 = w + 3 * k, w4 = w + 4 * k, w5 = w + 5 * k
        // a: rows 0–7, b: rows 8–15, per column.
        var a0 = Vector(), b0 = Vector(), a1 = Vector(), b1 = Vector(), a2 = Vector(), b2 = Vector()
        var a3 = Vector(), b3 = Vector(), a4 = Vector(), b4 = Vector(), a5 = Vector(), b5 = Vector()
        var lane = xT
        for i in 0..<k {
            let lo = load(lane), hi = load(lane + 8)
            let s0 = Vector(repeating: w0[i])
            a0.addProduct(lo, s0); b0.addProduct(hi, s0)
            if count > 1 {
                let s1 = Vector(repeating: w1[i])
                a1.addProduct(lo, s1); b1.addProduct(hi, s1)
                let s2 = Vector(repeating: w2[i])
                a2.addProduct(lo, s2); b2.addProduct(hi, s2)
                let s3 = Vector(repeating: w3[i])
                a3.addProduct(lo, s3); b3.addProduct(hi, s3)
                let s4 = Vector(repeating: w4[i])
                a4.addProduct(lo, s4); b4.addProduct(hi, s4)
                let s5 = Vector(repeating: w5[i])
                a5.addProduct(lo, s5); b5.addProduct(hi, s5)
            }
            lane += broadcastLanes
        }
        func write(_ c: Int, _ a: Vector, _ b: Vector) {
            let add = bias?[j + c] ?? 0
            for r in 0..<rows {
                let out = y + r * ldy + j + c
                let value = (r < 8 ? a[r] : b[r - 8]) + add
                out.pointee = accumulate ? out.pointee + value : value
            }
        }
        write(0, a0, b0)
        if count > 1 {
            write(1, a1, b1); write(2, a2, b2); write(3, a3, b3); write(4, a4, b4); write(5, a5, b5)
        }
    }
}

/// The scratch `[k, 16]` a backend transposes its input into for the broadcast kernel. A
/// backend may be shared by engines on different threads, so a call holds it for its whole
/// product (the pool runs one product at a time anyway).
final class TransposedInput: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var buffer = FloatBuffer(count: 0)

    /// Runs `body` with x: [rows, k] transposed into the scratch.
    func with(_ x: UnsafePointer<Float>, rows: Int, k: Int, _ body: (UnsafePointer<Float>) -> Void) {
        lock.withLock { _ in
            if buffer.count < k * MatrixKernels.broadcastLanes {
                buffer = FloatBuffer(count: k * MatrixKernels.broadcastLanes)
            }
            MatrixKernels.transposeForBroadcast(x, rows: rows, k: k, into: buffer.pointer)
            body(buffer.pointer)
        }
    }
}
