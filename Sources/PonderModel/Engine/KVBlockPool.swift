/// How much memory an `Engine`'s KV cache may take.
public enum KVCacheLimit: Sendable, Equatable {
    /// At most this many bytes of keys and values (rounded down to whole blocks).
    case bytes(Int)
    /// At most this many token positions over all sequences (rounded up to whole blocks).
    case tokens(Int)
}

/// Fixed-size KV blocks with reference counts, a free list and a hard cap: the storage of an
/// `Engine`'s paged cache.
///
/// A block holds `blockSize` positions of every layer's keys and values, laid out as
/// `KVBlockLayout` describes. Sequences own blocks through block tables; a fork shares
/// them (the count goes up) and a write into a shared block first copies it. Blocks are
/// allocated lazily up to the cap and recycled through the free list, so memory grows to the
/// peak in use and a steady decode loop allocates nothing.
final class KVBlockPool {
    let blockSize: Int
    let layerCount: Int
    let keyValueDim: Int
    /// Blocks that may exist at once.
    let capacity: Int
    /// Floats per block.
    let floatsPerBlock: Int
    private var storage: [FloatBuffer] = []
    /// Base pointer of each allocated block, indexed by block id.
    private(set) var bases: [UnsafeMutablePointer<Float>] = []
    private var referenceCounts: [Int32] = []
    private var freeList: [Int32] = []

    init(blockSize: Int, layerCount: Int, keyValueDim: Int, capacity: Int) {
        self.blockSize = blockSize
        self.layerCount = layerCount
        self.keyValueDim = keyValueDim
        self.capacity = capacity
        floatsPerBlock = KVBlockLayout.floatsPerBlock(layers: layerCount, blockSize: blockSize, keyValueDim: keyValueDim)
    }

    /// Bytes one block takes.
    var bytesPerBlock: Int { floatsPerBlock * MemoryLayout<Float>.stride }
    /// Blocks allocated so far (in use or on the free list).
    var allocatedCount: Int { storage.count }
    /// Blocks some sequence holds.
    var inUseCount: Int { storage.count - freeList.count }
    /// Blocks that can still be handed out (free or not yet allocated).
    var availableCount: Int { capacity - inUseCount }

    /// A block for exclusive use (reference count 1). Callers check `availableCount` first.
    func allocate() -> Int32 {
        if let id = freeList.popLast() {
            referenceCounts[Int(id)] = 1
            return id
        }
        precondition(storage.count < capacity, "KV block pool over its cap; callers must check availableCount")
        // Contents are always written before they are read (positions ≥ a sequence's length
        // are never attended), so the block needs no zeroing.
        let buffer = FloatBuffer(uninitializedCount: floatsPerBlock)
        storage.append(buffer)
        bases.append(buffer.pointer)
        referenceCounts.append(1)
        return Int32(storage.count - 1)
    }

    /// One more holder of `id` (a fork).
    func retain(_ id: Int32) {
        referenceCounts[Int(id)] += 1
    }

    /// One holder fewer; the block returns to the free list when none is left.
    func release(_ id: Int32) {
        let i = Int(id)
        precondition(referenceCounts[i] > 0, "KV block released more often than retained")
        referenceCounts[i] -= 1
        if referenceCounts[i] == 0 { freeList.append(id) }
    }

    /// Holders of `id`.
    func referenceCount(_ id: Int32) -> Int { Int(referenceCounts[Int(id)]) }

    /// Copies the first `positions` positions of every layer's keys and values of `source`
    /// into `destination` (copy-on-write of a shared partial block).
    func copy(_ source: Int32, to destination: Int32, positions: Int) {
        let from = bases[Int(source)], to = bases[Int(destination)]
        let stride = blockSize * keyValueDim, used = positions * keyValueDim
        for half in 0..<(2 * layerCount) {  // keys and values of each layer
            (to + half * stride).update(from: from + half * stride, count: used)
        }
    }

    /// Blocks needed to hold `positions` positions.
    func blocks(for positions: Int) -> Int { (positions + blockSize - 1) / blockSize }
}
