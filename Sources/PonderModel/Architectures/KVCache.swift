/// The keys and values one sequence has computed so far, for every layer.
///
/// A cache is a sequence handle: `TransformerModel.extend` appends to it, `trim(to:)` backs
/// up (a rejected search step), and `fork()` copies it (a new branch). Storage per layer is
/// `[capacity, kvHeads · headDim]`, position-major, so a new token's keys are one contiguous
/// row and a later paged cache can split positions into blocks without changing the
/// attention kernel's view (a strided `[positions, kvDim]` matrix).
public final class KVCache {
    /// Number of layers.
    public let layerCount: Int
    /// Width of one position's keys (or values) in one layer: kvHeads × headDim.
    public let keyValueDim: Int
    /// Positions stored (the next token's position).
    public private(set) var count: Int = 0
    /// Positions that fit before the storage must grow.
    public private(set) var capacity: Int
    private var keys: FloatBuffer    // [layers, capacity, kvDim]
    private var values: FloatBuffer  // [layers, capacity, kvDim]

    /// An empty cache for a model with `layerCount` layers and `keyValueDim`-wide keys.
    public init(layerCount: Int, keyValueDim: Int, capacity: Int = 256) {
        self.layerCount = layerCount
        self.keyValueDim = keyValueDim
        self.capacity = max(1, capacity)
        keys = FloatBuffer(count: layerCount * self.capacity * keyValueDim)
        values = FloatBuffer(count: layerCount * self.capacity * keyValueDim)
    }

    /// An empty cache sized for `config`.
    public convenience init(config: ModelConfig, capacity: Int = 256) {
        self.init(layerCount: config.numHiddenLayers, keyValueDim: config.keyValueDim, capacity: capacity)
    }

    /// Layer `layer`'s keys: `[capacity, kvDim]`, valid up to `count` (plus rows being written).
    public func keys(layer: Int) -> UnsafeMutablePointer<Float> {
        keys.pointer + layer * capacity * keyValueDim
    }

    /// Layer `layer`'s values: `[capacity, kvDim]`.
    public func values(layer: Int) -> UnsafeMutablePointer<Float> {
        values.pointer + layer * capacity * keyValueDim
    }

    /// Grows storage (geometrically) so that `positions` positions fit. Existing rows are kept.
    public func reserve(_ positions: Int) {
        guard positions > capacity else { return }
        let newCapacity = max(positions, capacity * 2)
        let newKeys = FloatBuffer(count: layerCount * newCapacity * keyValueDim)
        let newValues = FloatBuffer(count: layerCount * newCapacity * keyValueDim)
        let used = count * keyValueDim
        for layer in 0..<layerCount {
            (newKeys.pointer + layer * newCapacity * keyValueDim).update(from: keys(layer: layer), count: used)
            (newValues.pointer + layer * newCapacity * keyValueDim).update(from: values(layer: layer), count: used)
        }
        keys = newKeys
        values = newValues
        capacity = newCapacity
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
    public var allocatedBytes: Int { 2 * layerCount * capacity * keyValueDim * MemoryLayout<Float>.stride }
}
