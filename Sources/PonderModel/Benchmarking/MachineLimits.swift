import CBLAS
import Foundation

/// The machine's own limits, measured in the same process as the workloads they judge:
/// memory bandwidth (a STREAM-like triad and a read-only stream) and matrix-multiply peak
/// (a large sgemm split over the worker pool exactly as the engine splits its products).
public struct MachineLimits: Sendable, Codable {
    /// STREAM triad a = b + s·c, counting 12 bytes per element (STREAM's convention), GB/s.
    public var triadGBPerSecond: Double
    /// A read-only SIMD sum over a large array, GB/s: what weight streaming can reach.
    public var readGBPerSecond: Double
    /// The bandwidth limit used for rooflines: the larger of the two.
    public var bandwidthGBPerSecond: Double { max(triadGBPerSecond, readGBPerSecond) }
    /// sgemm GFLOP/s on a square product over all threads.
    public var sgemmGFLOPS: Double
    /// sgemm GFLOP/s on one thread.
    public var sgemmGFLOPSOneThread: Double
    /// Threads used.
    public var threads: Int
    /// `sgemmGFLOPS / sgemmGFLOPSOneThread`: about the thread count when every core is really
    /// ours, lower when another process holds one.
    public var threadScaling: Double { sgemmGFLOPS / max(sgemmGFLOPSOneThread, 1e-9) }

    enum CodingKeys: String, CodingKey {
        case triadGBPerSecond = "triad_gb_per_s", readGBPerSecond = "read_gb_per_s"
        case sgemmGFLOPS = "sgemm_gflops", sgemmGFLOPSOneThread = "sgemm_gflops_one_thread", threads
    }

    /// Measures every limit on `pool`; each figure is the median of `repeats` runs.
    public static func measure(pool: WorkerPool, repeats: Int = 5) -> MachineLimits {
        let (triad, read) = bandwidth(pool: pool, repeats: repeats)
        let single = WorkerPool(threads: 1)
        return MachineLimits(triadGBPerSecond: triad, readGBPerSecond: read,
                             sgemmGFLOPS: sgemm(pool: pool, repeats: repeats),
                             sgemmGFLOPSOneThread: sgemm(pool: single, repeats: repeats), threads: pool.threadCount)
    }

    /// Triad and read bandwidth over arrays of 2²⁴ floats (64 MiB each, twice the L3).
    public static func bandwidth(pool: WorkerPool, repeats: Int) -> (triad: Double, read: Double) {
        let n = 1 << 24
        let a = FloatBuffer(count: n), b = FloatBuffer(count: n), c = FloatBuffer(count: n)
        b.fill(1)
        c.fill(2)
        let chunks = pool.threadCount * 8, per = n / chunks
        let triad = median((0..<repeats).map { _ in
            let seconds = time {
                pool.run(tasks: chunks) { task, _ in
                    let start = task * per
                    let x = a.pointer + start, y = UnsafePointer(b.pointer + start), z = UnsafePointer(c.pointer + start)
                    var i = 0
                    while i < per {  // a = b + 3·c
                        VectorKernels.store(VectorKernels.load(y + i) + 3 * VectorKernels.load(z + i), x + i)
                        i += 8
                    }
                }
            }
            return Double(3 * n * 4) / seconds / 1e9
        })
        let sums = FloatBuffer(count: chunks)
        let read = median((0..<repeats).map { _ in
            let seconds = time {
                pool.run(tasks: chunks) { task, _ in
                    let p = UnsafePointer(a.pointer + task * per)
                    var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
                    var i = 0
                    while i < per {
                        s0 += VectorKernels.load(p + i)
                        s1 += VectorKernels.load(p + i + 8)
                        s2 += VectorKernels.load(p + i + 16)
                        s3 += VectorKernels.load(p + i + 24)
                        i += 32
                    }
                    sums.pointer[task] = (s0 + s1 + s2 + s3).sum()
                }
            }
            return Double(n * 4) / seconds / 1e9
        })
        return (triad, read)
    }

    /// GFLOP/s of a 2048³ sgemm, its columns split over `pool` as the backend splits them.
    public static func sgemm(pool: WorkerPool, repeats: Int, size n: Int = 2048) -> Double {
        let a = FloatBuffer(count: n * n), b = FloatBuffer(count: n * n), c = FloatBuffer(count: n * n)
        a.fill(0.5)
        b.fill(0.25)
        let slices = pool.threadCount, width = (n + slices - 1) / slices
        let run = {
            pool.run(tasks: slices) { task, _ in
                let first = task * width, count = min(width, n - first)
                // c[:, first...] = a · b[first..., :]ᵀ
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(count), Int32(n), 1,
                            a.pointer, Int32(n), b.pointer + first * n, Int32(n), 0, c.pointer + first, Int32(n))
            }
        }
        run()  // warm up: OpenBLAS allocates its buffers on first use
        return median((0..<repeats).map { _ in 2 * Double(n * n * n) / time(run) / 1e9 })
    }

    /// Seconds `body` takes.
    public static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The median of `values` (the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
