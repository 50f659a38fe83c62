import CBLAS

/// One sequence's part of a batched attention call.
///
/// Its keys and values live in blocks of `blockSize` positions, each block laid out
/// `[layers][keys | values][blockSize][kvHeads · headDim]` (see `KVBlockLayout`): a paged
/// cache passes one pointer per block, a contiguous `KVCache` passes one block as large as
/// its capacity. The blocks must already hold the first `startPosition` positions and have
/// room for `rows` more.
public struct AttentionSequence: @unchecked Sendable {
    /// Batch row of the sequence's first new token.
    public var firstRow: Int
    /// New tokens (query rows).
    public var rows: Int
    /// Positions already cached; new row t sits at position `startPosition + t`.
    public var startPosition: Int
    /// Block base pointers covering positions `0..<startPosition + rows`.
    public var blocks: UnsafePointer<UnsafeMutablePointer<Float>>
    /// Positions per block.
    public var blockSize: Int

    /// Describes one sequence of a batch.
    public init(firstRow: Int, rows: Int, startPosition: Int,
                blocks: UnsafePointer<UnsafeMutablePointer<Float>>, blockSize: Int) {
        self.firstRow = firstRow
        self.rows = rows
        self.startPosition = startPosition
        self.blocks = blocks
        self.blockSize = blockSize
    }
}

/// Where layer `layer`'s keys and values sit inside a KV block.
public enum KVBlockLayout {
    /// Floats one block holds: layers × 2 × blockSize × kvDim.
    public static func floatsPerBlock(layers: Int, blockSize: Int, keyValueDim: Int) -> Int {
        layers * 2 * blockSize * keyValueDim
    }

    /// Offset of layer `layer`'s keys `[blockSize, kvDim]`; its values follow at
    /// `+ blockSize · kvDim`.
    @inline(__always)
    public static func keyOffset(layer: Int, blockSize: Int, keyValueDim: Int) -> Int {
        layer * 2 * blockSize * keyValueDim
    }
}

/// The shape of a model's attention.
public struct AttentionShape: Sendable, Equatable {
    /// Query heads.
    public var heads: Int
    /// Key/value heads (heads is a multiple).
    public var kvHeads: Int
    /// Per-head width.
    public var headDim: Int
    /// Score scale, 1/√headDim.
    public var scale: Float

    /// The attention shape of `config`.
    public init(config: ModelConfig) {
        heads = config.numAttentionHeads
        kvHeads = config.numKeyValueHeads
        headDim = config.headDim
        scale = 1 / Float(config.headDim).squareRoot()
    }

    var keyValueDim: Int { kvHeads * headDim }
    var queryDim: Int { heads * headDim }
}

/// Per-thread scratch for attention, grown on demand and reused across calls.
public final class AttentionScratch {
    private(set) var perThread = 0
    private(set) var buffers: [FloatBuffer] = []
    /// Work items of the current pass: (sequence, kvHead, firstRow, endRow) packed in fours.
    var tasks = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    private(set) var taskCount = 0

    /// An empty scratch.
    public init() {}

    deinit { tasks.deallocate() }

    func ensure(threads: Int, floatsPerThread: Int) {
        if buffers.count < threads || floatsPerThread > perThread {
            let size = max(floatsPerThread, perThread * 2)
            buffers = (0..<max(threads, buffers.count)).map { _ in FloatBuffer(count: size) }
            perThread = size
        }
    }

    func beginTasks(capacity: Int) {
        if tasks.count < capacity * 4 {
            tasks.deallocate()
            tasks = .allocate(capacity: max(capacity * 4, tasks.count * 2))
        }
        taskCount = 0
    }

    func addTask(sequence: Int, kvHead: Int, rows: Range<Int>) {
        let base = taskCount * 4
        tasks[base] = sequence
        tasks[base + 1] = kvHead
        tasks[base + 2] = rows.lowerBound
        tasks[base + 3] = rows.upperBound
        taskCount += 1
    }
}

/// Causal attention over paged keys and values.
enum AttentionKernels {
    /// Query rows at or above which a sequence's attention runs as tiled sgemm over gathered
    /// keys and values; below it, per-row dot products read the blocks in place.
    static let tiledRowThreshold = 16
    /// Query rows per tile on the sgemm path.
    static let tileRows = 32

    /// Scores of one query head against positions 0..<visible: scores[p] = scale · q · K[p].
    static func scores(query q: UnsafePointer<Float>, sequence s: AttentionSequence, keyOffset: Int,
                       headOffset: Int, kvDim: Int, headDim: Int, visible: Int, scale: Float,
                       into scores: UnsafeMutablePointer<Float>) {
        var position = 0, block = 0
        while position < visible {
            let count = min(s.blockSize, visible - position)
            let keys = UnsafePointer(s.blocks[block]) + keyOffset + headOffset  // [blockSize, kvDim]
            var slot = 0
            // Eight positions at a time: one accumulator each, reduced together at the end
            // (one dot product at a time waits on its own FMA chain and on a horizontal sum).
            if headDim % 8 == 0 {
                while slot + 8 <= count {
                    let k = keys + slot * kvDim
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    var a4 = Vector(), a5 = Vector(), a6 = Vector(), a7 = Vector()
                    var i = 0
                    while i < headDim {
                        let query = VectorKernels.load(q + i), key = k + i
                        a0.addProduct(query, VectorKernels.load(key))
                        a1.addProduct(query, VectorKernels.load(key + kvDim))
                        a2.addProduct(query, VectorKernels.load(key + 2 * kvDim))
                        a3.addProduct(query, VectorKernels.load(key + 3 * kvDim))
                        a4.addProduct(query, VectorKernels.load(key + 4 * kvDim))
                        a5.addProduct(query, VectorKernels.load(key + 5 * kvDim))
                        a6.addProduct(query, VectorKernels.load(key + 6 * kvDim))
                        a7.addProduct(query, VectorKernels.load(key + 7 * kvDim))
                        i += 8
                    }
                    VectorKernels.store(scale * laneSums(a0, a1, a2, a3, a4, a5, a6, a7), scores + position + slot)
                    slot += 8
                }
            }
            while slot < count {
                scores[position + slot] = scale * MatrixKernels.dot(q, keys + slot * kvDim, count: headDim)
                slot += 1
            }
            position += count
            block += 1
        }
    }

    typealias Vector = SIMD8<Float>

    /// (Σ a0, Σ a1, …, Σ a7): eight horizontal sums in three rounds of shuffles and adds.
    @inline(__always)
    static func laneSums(_ a0: Vector, _ a1: Vector, _ a2: Vector, _ a3: Vector,
                         _ a4: Vector, _ a5: Vector, _ a6: Vector, _ a7: Vector) -> Vector {
        // [x folded to 4 lanes | y folded to 4 lanes]
        func fold(_ x: Vector, _ y: Vector) -> Vector {
            Vector(lowHalf: x.lowHalf + x.highHalf, highHalf: y.lowHalf + y.highHalf)
        }
        // Adjacent lanes added: 8 partial sums become 4 in each half.
        func pair(_ x: Vector, _ y: Vector) -> Vector {
            Vector(lowHalf: x.evenHalf + x.oddHalf, highHalf: y.evenHalf + y.oddHalf)
        }
        return pair(pair(fold(a0, a1), fold(a2, a3)), pair(fold(a4, a5), fold(a6, a7)))
    }

    /// out[headDim] = Σₚ weights[p] · V[p] over positions 0..<visible.
    static func weightedValues(_ weights: UnsafePointer<Float>, sequence s: AttentionSequence, valueOffset: Int,
                               headOffset: Int, kvDim: Int, headDim: Int, visible: Int,
                               into out: UnsafeMutablePointer<Float>) {
        typealias V = SIMD8<Float>
        let full = headDim / 8 * 8
        var chunk = 0
        // Up to eight accumulators (64 output lanes) stay in registers while positions stream by.
        while chunk < full {
            let vectors = min(8, (full - chunk) / 8)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
            var position = 0, block = 0
            while position < visible {
                let count = min(s.blockSize, visible - position)
                let values = UnsafePointer(s.blocks[block]) + valueOffset + headOffset + chunk  // [blockSize, kvDim]
                if vectors == 8 {
                    for slot in 0..<count {
                        let w = weights[position + slot], v = values + slot * kvDim
                        a0.addProduct(w, MatrixKernels.load(v)); a1.addProduct(w, MatrixKernels.load(v + 8))
                        a2.addProduct(w, MatrixKernels.load(v + 16)); a3.addProduct(w, MatrixKernels.load(v + 24))
                        a4.addProduct(w, MatrixKernels.load(v + 32)); a5.addProduct(w, MatrixKernels.load(v + 40))
                        a6.addProduct(w, MatrixKernels.load(v + 48)); a7.addProduct(w, MatrixKernels.load(v + 56))
                    }
                } else {
                    for slot in 0..<count {
                        let w = weights[position + slot], v = values + slot * kvDim
                        a0.addProduct(w, MatrixKernels.load(v))
                        if vectors > 1 { a1.addProduct(w, MatrixKernels.load(v + 8)) }
                        if vectors > 2 { a2.addProduct(w, MatrixKernels.load(v + 16)) }
                        if vectors > 3 { a3.addProduct(w, MatrixKernels.load(v + 24)) }
                        if vectors > 4 { a4.addProduct(w, MatrixKernels.load(v + 32)) }
                        if vectors > 5 { a5.addProduct(w, MatrixKernels.load(v + 40)) }
                        if vectors > 6 { a6.addProduct(w, MatrixKernels.load(v + 48)) }
                    }
                }
                position += count
                block += 1
            }
            let o = out + chunk
            VectorKernels.store(a0, o)
            if vectors > 1 { VectorKernels.store(a1, o + 8) }
            if vectors > 2 { VectorKernels.store(a2, o + 16) }
            if vectors > 3 { VectorKernels.store(a3, o + 24) }
            if vectors > 4 { VectorKernels.store(a4, o + 32) }
            if vectors > 5 { VectorKernels.store(a5, o + 40) }
            if vectors > 6 { VectorKernels.store(a6, o + 48) }
            if vectors > 7 { VectorKernels.store(a7, o + 56) }
            chunk += vectors * 8
        }
        // Lanes past the last multiple of 8 (head dims that are not): scalar, in memory.
        guard full < headDim else { return }
        (out + full).update(repeating: 0, count: headDim - full)
        var position = 0, block = 0
        while position < visible {
            let count = min(s.blockSize, visible - position)
            let values = UnsafePointer(s.blocks[block]) + valueOffset + headOffset
            for slot in 0..<count {
                let w = weights[position + slot], v = values + slot * kvDim
                for i in full..<headDim { out[i] += w * v[i] }
            }
            position += count
            block += 1
        }
    }

    /// Rows `rows` of sequence `s`, query heads of KV head `kvHead`, by per-row dot products.
    /// scratch: at least startPosition + rows.upperBound floats.
    static func attendRows(query: UnsafePointer<Float>, sequence s: AttentionSequence, layer: Int, kvHead: Int,
                           rows: Range<Int>, shape: AttentionShape, output: UnsafeMutablePointer<Float>,
                           scratch: UnsafeMutablePointer<Float>) {
        let kvDim = shape.keyValueDim, qDim = shape.queryDim, hd = shape.headDim
        let group = shape.heads / shape.kvHeads
        let keyOffset = KVBlockLayout.keyOffset(layer: layer, blockSize: s.blockSize, keyValueDim: kvDim)
        let valueOffset = keyOffset + s.blockSize * kvDim
        for t in rows {
            let visible = s.startPosition + t + 1
            let row = s.firstRow + t
            for g in 0..<group {
                let head = kvHead * group + g
                scores(query: query + row * qDim + head * hd, sequence: s, keyOffset: keyOffset,
                       headOffset: kvHead * hd, kvDim: kvDim, headDim: hd, visible: visible,
                       scale: shape.scale, into: scratch)
                VectorKernels.softmax(scratch, count: visible)
                weightedValues(scratch, sequence: s, valueOffset: valueOffset, headOffset: kvHead * hd,
                               kvDim: kvDim, headDim: hd, visible: visible, into: output + row * qDim + head * hd)
            }
        }
    }

    /// Floats of per-thread scratch `attendTile` needs for a context of `context` positions.
    static func tileScratch(context: Int, headDim: Int) -> Int {
        context * (2 * headDim + tileRows)
    }

    /// A tile of rows of sequence `s` (query heads of `kvHead`) as sgemm over keys and values
    /// gathered from the blocks into contiguous scratch.
    static func attendTile(query: UnsafePointer<Float>, sequence s: AttentionSequence, layer: Int, kvHead: Int,
                           rows: Range<Int>, shape: AttentionShape, output: UnsafeMutablePointer<Float>,
                           scratch: UnsafeMutablePointer<Float>) {
        let kvDim = shape.keyValueDim, qDim = shape.queryDim, hd = shape.headDim
        let group = shape.heads / shape.kvHeads
        let visible = s.startPosition + rows.upperBound  // the tile's last row sees this many
        let keys = scratch, values = scratch + visible * hd, scores = values + visible * hd
        let keyOffset = KVBlockLayout.keyOffset(layer: layer, blockSize: s.blockSize, keyValueDim: kvDim)
        let valueOffset = keyOffset + s.blockSize * kvDim
        // keys, values: [visible, hd] for this KV head.
        var position = 0, block = 0
        while position < visible {
            let count = min(s.blockSize, visible - position)
            let base = UnsafePointer(s.blocks[block]) + kvHead * hd
            for slot in 0..<count {
                (keys + (position + slot) * hd).update(from: base + keyOffset + slot * kvDim, count: hd)
                (values + (position + slot) * hd).update(from: base + valueOffset + slot * kvDim, count: hd)
            }
            position += count
            block += 1
        }
        let m = rows.count
        for g in 0..<group {
            let head = kvHead * group + g
            let q = query + (s.firstRow + rows.lowerBound) * qDim + head * hd  // [m, hd], stride qDim
            // scores[m, visible] = scale · Q · Kᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(visible), Int32(hd),
                        shape.scale, q, Int32(qDim), keys, Int32(hd), 0, scores, Int32(visible))
            for i in 0..<m {
                // Row i sits at position startPosition + rows.lowerBound + i and sees up to it.
                let row = scores + i * visible
                let seen = s.startPosition + rows.lowerBound + i + 1
                VectorKernels.softmax(row, count: seen)
                if seen < visible { (row + seen).update(repeating: 0, count: visible - seen) }
            }
            // out[m, hd] = P[m, visible] · V[visible, hd]
            let out = output + (s.firstRow + rows.lowerBound) * qDim + head * hd
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(hd), Int32(visible),
                        1, scores, Int32(visible), values, Int32(hd), 0, out, Int32(qDim))
        }
    }

    /// Writes the new keys and values of `s` (rows of k, v: [rows, kvDim]) into its blocks.
    static func store(keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, sequence s: AttentionSequence,
                      layer: Int, kvDim: Int) {
        let keyOffset = KVBlockLayout.keyOffset(layer: layer, blockSize: s.blockSize, keyValueDim: kvDim)
        let valueOffset = keyOffset + s.blockSize * kvDim
        for t in 0..<s.rows {
            let position = s.startPosition + t
            let base = s.blocks[position / s.blockSize] + (position % s.blockSize) * kvDim
            (base + keyOffset).update(from: k + (s.firstRow + t) * kvDim, count: kvDim)
            (base + valueOffset).update(from: v + (s.firstRow + t) * kvDim, count: kvDim)
        }
    }
}
