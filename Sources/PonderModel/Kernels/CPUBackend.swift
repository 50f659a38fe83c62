import CBLAS

/// The CPU implementation of `ComputeBackend`: Swift SIMD kernels for small batches and
/// element-wise work, OpenBLAS sgemm for large matrix products, all split over one
/// `WorkerPool` (OpenBLAS itself runs single-threaded inside each slice).
public struct CPUBackend: ComputeBackend {
    /// The threads every operation is split over.
    public let pool: WorkerPool
    /// Products with at most this many rows use the weight-streaming `skinny` kernel; more
    /// rows go to sgemm. Measured on the project's 2-core machine with `ponder bench`
    /// (`crossover` in its output); `CPUBackend.measureCrossover` re-measures it anywhere.
    public let skinnyRowLimit: Int
    /// The transposed input of the broadcast kernel (one per backend; calls hold it in turn).
    private let transposed = TransposedInput()

    /// The default crossover (see `skinnyRowLimit`): on the project's 2-core machine the
    /// streaming kernel beat OpenBLAS sgemm at 16 rows in every `ponder bench` run (53–98
    /// against 52–70 GFLOP/s on the FFN shape of the 125M checkpoint); at 24 rows either wins.
    public static let defaultSkinnyRowLimit = 16

    /// A backend over `pool` (the process-wide pool by default).
    public init(pool: WorkerPool = .shared, skinnyRowLimit: Int = CPUBackend.defaultSkinnyRowLimit) {
        self.pool = pool
        self.skinnyRowLimit = max(0, skinnyRowLimit)
    }

    /// A backend on a pool of its own with `threads` threads.
    public init(threads: Int, skinnyRowLimit: Int = CPUBackend.defaultSkinnyRowLimit) {
        self.init(pool: WorkerPool(threads: threads), skinnyRowLimit: skinnyRowLimit)
    }

    public func linear(_ x: UnsafePointer<Float>, rows: Int, _ layer: LinearWeights,
                       into y: UnsafeMutablePointer<Float>, accumulate: Bool) {
        run(x, rows: rows, LinearGroup((layer, y)), accumulate: accumulate)
    }

    public func linear(_ x: UnsafePointer<Float>, rows: Int, _ group: LinearGroup) {
        run(x, rows: rows, group, accumulate: false)
    }

    /// Splits every product of `group` into column slices and hands the slices to the pool.
    private func run(_ x: UnsafePointer<Float>, rows: Int, _ group: LinearGroup, accumulate: Bool) {
        guard rows > 0 else { return }
        let skinny = rows <= skinnyRowLimit
        if skinny, MatrixKernels.broadcastRows.contains(rows) {
            transposed.with(x, rows: rows, k: group[0].layer.inFeatures) { xT in
                dispatch(x, rows: rows, group, accumulate: accumulate, skinny: true, transposed: xT)
            }
        } else {
            dispatch(x, rows: rows, group, accumulate: accumulate, skinny: skinny, transposed: nil)
        }
    }

    /// Cuts each product into column slices sized for its kernel and runs them on the pool.
    /// `transposed`: x as `[k, 16]` for the broadcast kernel (9–16 rows), else nil.
    private func dispatch(_ x: UnsafePointer<Float>, rows: Int, _ group: LinearGroup, accumulate: Bool,
                          skinny: Bool, transposed: UnsafePointer<Float>?) {
        let threads = pool.threadCount
        // Slices per product: small ones for the streaming kernel (fine-grained balancing),
        // about one per thread for sgemm (its packing favours wide slices).
        var slices = (0, 0, 0), widths = (0, 0, 0)
        for i in 0..<group.count {
            let n = group[i].layer.outFeatures
            let k = group[i].layer.inFeatures
            // The broadcast kernel takes six columns at a time: slices of a multiple of six.
            let width = transposed != nil ? max(6, MatrixKernels.skinnySliceWidth(k: k) / 6 * 6)
                : skinny ? MatrixKernels.skinnySliceWidth(k: k) : max(64, (n + threads - 1) / threads + 15) / 16 * 16
            let count = (n + width - 1) / width
            switch i {
            case 0: slices.0 = count; widths.0 = width
            case 1: slices.1 = count; widths.1 = width
            default: slices.2 = count; widths.2 = width
            }
        }
        pool.run(tasks: slices.0 + slices.1 + slices.2,
                 job: LinearJob(x: x, transposed: transposed, rows: rows, group: group, skinny: skinny, accumulate: accumulate,
                                slices: slices, widths: widths))
    }

    /// About two slices per thread when `rows` reaches `minimum`, else one.
    private func rowSlices(_ rows: Int, minimum: Int) -> Int {
        rows >= minimum ? min(rows, pool.threadCount * 2) : 1
    }

    public func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                        eps: Float, into y: UnsafeMutablePointer<Float>) {
        let slices = rowSlices(rows, minimum: 16)
        pool.run(tasks: slices, job: RMSNormJob(x: x, rows: rows, slices: slices, dim: dim, weight: weight, eps: eps, y: y))
    }

    public func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        let chunk = 16_384
        pool.run(tasks: (count + chunk - 1) / chunk, job: SiluJob(gate: gate, up: up, count: count, chunk: chunk))
    }

    public func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                            cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let slices = rowSlices(rows, minimum: 32)
        pool.run(tasks: slices, job: RotaryJob(x: x, rows: rows, slices: slices, heads: heads, headDim: headDim,
                                               cos: cos, sin: sin))
    }

    public func attention(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                          sequences: UnsafeBufferPointer<AttentionSequence>, layer: Int, shape: AttentionShape,
                          output: UnsafeMutablePointer<Float>, scratch: AttentionScratch) {
        let kvDim = shape.keyValueDim
        var longest = 0, taskCapacity = 0
        for s in sequences {
            AttentionKernels.store(keys: keys, values: values, sequence: s, layer: layer, kvDim: kvDim)
            longest = max(longest, s.startPosition + s.rows)
            taskCapacity += shape.kvHeads * (s.rows / AttentionKernels.tileRows + 1)
        }
        // Work items: a decoding sequence is one item per KV head; a long one (prefill) is one
        // per KV head and tile of query rows, so a single prompt still keeps every core busy.
        scratch.beginTasks(capacity: taskCapacity)
        for (index, s) in sequences.enumerated() {
            let tile = s.rows >= AttentionKernels.tiledRowThreshold ? AttentionKernels.tileRows : s.rows
            for kvHead in 0..<shape.kvHeads {
                for first in stride(from: 0, to: s.rows, by: tile) {
                    scratch.addTask(sequence: index, kvHead: kvHead, rows: first..<min(s.rows, first + tile))
                }
            }
        }
        scratch.ensure(threads: pool.threadCount,
                       floatsPerThread: AttentionKernels.tileScratch(context: longest, headDim: shape.headDim))
        pool.run(tasks: scratch.taskCount,
                 job: AttentionJob(query: query, sequences: sequences, layer: layer, shape: shape, output: output,
                                   tasks: scratch.tasks, buffers: scratch.buffers))
    }
}
