/// A fixed-size, 64-byte-aligned block of `Float`s with a stable address.
///
/// Weights, KV caches and scratch space live in these rather than in `[Float]`, so hot loops
/// work on raw pointers without copy-on-write checks and BLAS sees cache-line-aligned rows.
/// Weight buffers are written once while loading and only read afterwards, which is what
/// makes sharing a model between threads safe (`@unchecked Sendable`); scratch and cache
/// buffers belong to one owner at a time.
public final class FloatBuffer: @unchecked Sendable {
    /// The elements.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    /// Allocates `count` zeroed elements.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must be non-negative")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates `count` elements without zeroing them, for buffers the caller overwrites in
    /// full straight away (weights being loaded): skips a pass over hundreds of megabytes.
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "FloatBuffer count must be non-negative")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        // Float is a trivial type: binding is enough, and every element is written before use.
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates a buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deinitialize(count: max(count, 1))
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    /// The elements as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// A copy of the elements as an array (tests, serialization).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }
}
