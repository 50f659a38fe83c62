/// A fixed-size, 64-byte-aligned block of bfloat16 values (the top 16 bits of an IEEE
/// float): the copy of a weight matrix that the weight-streaming kernels read when a model is
/// loaded with `WeightStreaming.bf16`, so that decoding reads half the bytes per token.
///
/// It is only ever made from weights that are exactly representable in bf16 (a checkpoint
/// stored in bf16), so widening it back gives the fp32 weights bit for bit and results do not
/// change. Written once while loading, read-only afterwards (`@unchecked Sendable`).
public final class BF16Buffer: @unchecked Sendable {
    /// The elements' bit patterns.
    public let pointer: UnsafeMutablePointer<UInt16>
    /// Number of elements.
    public let count: Int

    /// The bf16 bit patterns of `source`, or nil when some element is not a bf16 value
    /// (its low 16 bits are not zero): rounding would change the model's outputs.
    public init?(exactly source: FloatBuffer) {
        let n = source.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(n, 1) * 2, alignment: 64)
        let bits = raw.bindMemory(to: UInt16.self, capacity: max(n, 1))
        let words = UnsafeRawPointer(source.pointer).bindMemory(to: UInt32.self, capacity: n)
        var inexact: UInt32 = 0
        for i in 0..<n {
            let word = words[i]
            inexact |= word & 0xFFFF
            bits[i] = UInt16(truncatingIfNeeded: word >> 16)
        }
        guard inexact == 0 else {
            raw.deallocate()
            return nil
        }
        pointer = bits
        count = n
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Element `i` widened to Float.
    @inline(__always)
    public subscript(i: Int) -> Float { Float(bitPattern: UInt32(pointer[i]) << 16) }
}
