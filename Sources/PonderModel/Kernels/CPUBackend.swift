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

    /// The default crossover (see `skinnyRowLimit`).
    public static let defaultSkinnyRowLimit = 8

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
        let threads = pool.threadCount
        // Slices per product: small ones for the streaming kernel (fine-grained balancing),
        // about one per thread for sgemm (its packing favours wide slices).
        var slices = (0, 0, 0), widths = (0, 0, 0)
        for i in 0..<group.count {
            let n = group[i].layer.outFeatures
            let width = skinny ? 64 : max(64, (n + threads - 1) / threads + 15) / 16 * 16
            let count = (n + width - 1) / width
            switch i {
            case 0: slices.0 = count; widths.0 = width
            case 1: slices.1 = count; widths.1 = width
            default: slices.2 = count; widths.2 = width
            }
        }
        let total = slices.0 + slices.1 + slices.2
        pool.run(tasks: total) { task, _ in
            let (index, slice) = task < slices.0 ? (0, task)
                : task < slices.0 + slices.1 ? (1, task - slices.0) : (2, task - slices.0 - slices.1)
            let width = index == 0 ? widths.0 : index == 1 ? widths.1 : widths.2
            let (layer, y) = group[index]
            let n = layer.outFeatures
            let columns = (slice * width)..<min(n, (slice + 1) * width)
            if skinny {
                MatrixKernels.skinny(x: x, rows: rows, k: layer.inFeatures, weight: layer.weight.pointer,
                                     bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
            } else {
                MatrixKernels.sgemm(x: x, rows: rows, k: layer.inFeatures, weight: layer.weight.pointer,
                                    bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
            }
        }
    }

    /// Splits `rows` into about two slices per thread when there are enough to be worth it.
    private func forRows(_ rows: Int, minimum: Int, _ body: (Range<Int>) -> Void) {
        let slices = rows >= minimum ? min(rows, pool.threadCount * 2) : 1
        let per = (rows + slices - 1) / slices
        pool.run(tasks: slices) { slice, _ in
            let range = (slice * per)..<min(rows, (slice + 1) * per)
            if !range.isEmpty { body(range) }
        }
    }

    public func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: UnsafePointer<Float>,
                        eps: Float, into y: UnsafeMutablePointer<Float>) {
        forRows(rows, minimum: 16) { range in
            for r in range { VectorKernels.rmsNorm(x + r * dim, dim: dim, weight: weight, eps: eps, into: y + r * dim) }
        }
    }

    public func siluMultiply(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        let chunk = 16_384
        let slices = (count + chunk - 1) / chunk
        pool.run(tasks: slices) { slice, _ in
            let start = slice * chunk
            VectorKernels.siluMultiply(gate + start, up + start, count: min(chunk, count - start))
        }
    }

    public func applyRotary(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int,
                            cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = headDim / 2
        forRows(rows, minimum: 32) { range in
            for r in range {
                VectorKernels.rotate(x + r * heads * headDim, heads: heads, headDim: headDim,
                                     cos: cos + r * half, sin: sin + r * half)
            }
        }
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
        let tasks = scratch.tasks, buffers = scratch.buffers
        pool.run(tasks: scratch.taskCount) { task, thread in
            let s = sequences[tasks[task * 4]]
            let kvHead = tasks[task * 4 + 1], rows = tasks[task * 4 + 2]..<tasks[task * 4 + 3]
            let work = buffers[thread].pointer
            if s.rows >= AttentionKernels.tiledRowThreshold {
                AttentionKernels.attendTile(query: query, sequence: s, layer: layer, kvHead: kvHead, rows: rows,
                                            shape: shape, output: output, scratch: work)
            } else {
                AttentionKernels.attendRows(query: query, sequence: s, layer: layer, kvHead: kvHead, rows: rows,
                                            shape: shape, output: output, scratch: work)
            }
        }
    }
}
