/// The loop bodies `CPUBackend` hands to its `WorkerPool`, as structs so that dispatching one
/// allocates nothing (see `WorkerPool.run(tasks:job:)`).

/// One column slice of one product of a `LinearGroup`.
struct LinearJob: ParallelJob {
    let x: UnsafePointer<Float>
    /// x transposed to `[k, 16]` when the broadcast kernel runs (9–16 rows), else nil.
    let transposed: UnsafePointer<Float>?
    let rows: Int
    let group: LinearGroup
    let skinny: Bool
    let accumulate: Bool
    /// Slices per product, and each product's slice width.
    let slices: (Int, Int, Int)
    let widths: (Int, Int, Int)

    func run(task: Int, thread: Int) {
        let (index, slice) = task < slices.0 ? (0, task)
            : task < slices.0 + slices.1 ? (1, task - slices.0) : (2, task - slices.0 - slices.1)
        let width = index == 0 ? widths.0 : index == 1 ? widths.1 : widths.2
        let (layer, y) = group[index]
        let n = layer.outFeatures
        let columns = (slice * width)..<min(n, (slice + 1) * width)
        if let transposed {
            // The fp32 weights even when a bf16 copy exists (see `broadcast`); both hold the
            // same values, so the result is the same.
            MatrixKernels.broadcast(xT: transposed, rows: rows, k: layer.inFeatures, weight: layer.weight.pointer,
                                    bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
        } else if skinny, let bf16 = layer.streamingWeight {
            MatrixKernels.skinny(x: x, rows: rows, k: layer.inFeatures, weight: UnsafePointer(bf16.pointer),
                                 bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
        } else if skinny {
            MatrixKernels.skinny(x: x, rows: rows, k: layer.inFeatures, weight: UnsafePointer(layer.weight.pointer),
                                 bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
        } else {
            MatrixKernels.sgemm(x: x, rows: rows, k: layer.inFeatures, weight: layer.weight.pointer,
                                bias: layer.bias?.pointer, columns: columns, y: y, ldy: n, accumulate: accumulate)
        }
    }
}

/// Rows `slice · ⌈rows / slices⌉ ..< …` of a row-wise operation.
@inline(__always)
private func sliceRange(_ slice: Int, of slices: Int, rows: Int) -> Range<Int> {
    let per = (rows + slices - 1) / slices
    return min(rows, slice * per)..<min(rows, (slice + 1) * per)
}

/// RMSNorm of a slice of rows. x, y: [rows, dim]
struct RMSNormJob: ParallelJob {
    let x: UnsafePointer<Float>
    let rows: Int
    let slices: Int
    let dim: Int
    let weight: UnsafePointer<Float>
    let eps: Float
    let y: UnsafeMutablePointer<Float>

    func run(task: Int, thread: Int) {
        for r in sliceRange(task, of: slices, rows: rows) {
            VectorKernels.rmsNorm(x + r * dim, dim: dim, weight: weight, eps: eps, into: y + r * dim)
        }
    }
}

/// SwiGLU over one chunk of `count` elements.
struct SiluJob: ParallelJob {
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafePointer<Float>
    let count: Int
    let chunk: Int

    func run(task: Int, thread: Int) {
        let start = task * chunk
        VectorKernels.siluMultiply(gate + start, up + start, count: min(chunk, count - start))
    }
}

/// RoPE of a slice of rows. x: [rows, heads, headDim]; cos, sin: [rows, headDim / 2]
struct RotaryJob: ParallelJob {
    let x: UnsafeMutablePointer<Float>
    let rows: Int
    let slices: Int
    let heads: Int
    let headDim: Int
    let cos: UnsafePointer<Float>
    let sin: UnsafePointer<Float>

    func run(task: Int, thread: Int) {
        let half = headDim / 2
        for r in sliceRange(task, of: slices, rows: rows) {
            VectorKernels.rotate(x + r * heads * headDim, heads: heads, headDim: headDim,
                                 cos: cos + r * half, sin: sin + r * half)
        }
    }
}

/// One attention work item: a sequence, a KV head and a range of its query rows.
struct AttentionJob: ParallelJob {
    let query: UnsafePointer<Float>
    let sequences: UnsafeBufferPointer<AttentionSequence>
    let layer: Int
    let shape: AttentionShape
    let output: UnsafeMutablePointer<Float>
    /// (sequence, kvHead, firstRow, endRow) per task.
    let tasks: UnsafeMutableBufferPointer<Int>
    /// Per-thread scratch.
    let buffers: [FloatBuffer]

    func run(task: Int, thread: Int) {
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
