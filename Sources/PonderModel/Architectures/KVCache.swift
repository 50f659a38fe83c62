/// The keys and values one sequence has computed so far, for every layer, in one contiguous
/// allocation: the simple single-sequence cache behind `TransformerModel.forward`.
///
/// A cache is a sequence handle: `TransformerModel.extend` appends to it, `trim(to:)` backs
/// up (a rejected search step), and `fork()` copies it (a new branch). Many sequences sharing
/// prefixes belong in an `Engine`, whose paged cache forks without copying.
///
/// Storage is one KV block (`KVBlockLayout`) as large as the capacity —
/// `[layers][keys | values][capacity][kvHeads · headDim]` — so the attention kernels read it
/// exactly as they read a paged cache's blocks.
public final class KVCache {
    /// Number of layers.
    public let layerCount: Int
    /// Width of one position's keys (or values) in one layer: kvHeads × headDim.
    public let keyValueDim: Int
    /// Positions stored (the next token's position).
    public private(set) var count: Int = 0
    /// Positions that fit before the storage must grow.
    public private(set) var capacity: Int
    private var storage: FloatBuffer  // [layers, 2, capacity, kvDim]
    /// The block table the attention kernels read: one entry, `storage`'s base.
    let blockTable: UnsafeMutablePointer<UnsafeMutablePointer<Float>>

    /// An empty cache for a model with `layerCount` layers and `keyValueDim`-wide keys.
    public init(layerCount: Int, keyValueDim: Int, capacity: Int = 256) {
        self.layerCount = layerCount
        self.keyValueDim = keyValueDim
        self.capacity = max(1, capacity)
        storage = FloatBuffer(count: KVBlockLayout.floatsPerBlock(layers: layerCount, blockSize: self.capacity,
                                                                 keyValueDim: keyValueDim))
        blockTable = .allocate(capacity: 1)
        blockTable.initialize(to: storage.pointer)
    }

    /// An empty cache sized for `config`.
    public convenience init(config: ModelConfig, capacity: Int = 256) {
        self.init(layerCount: config.numHiddenLayers, keyValueDim: config.keyValueDim, capacity: capacity)
    }

    deinit { blockTable.deallocate() }

    /// Layer `layer`'s keys: `[capacity, kvDim]`, valid up to `count`.
    public func keys(layer: Int) -> UnsafeMutablePointer<Float> {
        storage.pointer + KVBlockLayout.keyOffset(layer: layer, blockSize: capacity, keyValueDim: keyValueDim)
    }

    /// Layer `layer`'s values: `[capacity, kvDim]`.
    public func values(layer: Int) -> UnsafeMutablePointer<Float> {
        keys(layer: layer) + capacity * keyValueDim
    }

    /// Grows storage (geometrically) so that `positions` positions fit. Existing rows are kept.
    public func reserve(_ positions: Int) {
        guard positions > capacity else { return }
        let newCapacity = max(positions, capacity * 2)
        let newStorage = FloatBuffer(count: KVBlockLayout.floatsPerBlock(layers: layerCount, blockSize: newCapacity,
                                                                        keyValueDim: keyValueDim))
        let used = count * keyValueDim
        for layer in 0..<layerCount {
            let keys = newStorage.pointer + KVBlockLayout.keyOffset(layer: layer, blockSize: newCapacity,
                                                                    keyValueDim: keyValueDim)
            keys.update(from: self.keys(layer: layer), count: used)
            (keys + newCapacity * keyValueDim).update(from: values(layer: layer), count: used)
        }
        storage = newStorage
        capacity = newCapacity
        blockTable.pointee = storage.pointer
    }

    /// Records that `positions` more rows were written (called by the forward pass).
    func advance(by positions: Int) {
        precondition(count + positions <= capacity, "KV cache advanced past its storage")
        count += positions
    }

    /// Forgets every position from `length` on, so decoding resumes at position `length`.
    public func trim(to length: Int) {
        count = max(0, min(count, length))
    }

    /// Forgets everything.
    public func reset() { count = 0 }

    /// An independent copy holding the same positions (a branch in a search tree).
    public func fork() -> KVCache {
        let copy = KVCache(layerCount: layerCount, keyValueDim: keyValueDim, capacity: max(capacity, 1))
        let used = count * keyValueDim
        for layer in 0..<layerCount {
            copy.keys(layer: layer).update(from: keys(layer: layer), count: used)
            copy.values(layer: layer).update(from: values(layer: layer), count: used)
        }
        copy.count = count
        return copy
    }

    /// Bytes of storage held.
    public var allocatedBytes: Int { storage.count * MemoryLayout<Float>.stride }
}
