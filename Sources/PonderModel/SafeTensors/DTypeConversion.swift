/// Conversions from the half-precision storage formats of checkpoints to `Float`.
///
/// Checkpoints ship in bf16 or f16; the engine computes in fp32. Both conversions are exact:
/// every bf16 and every f16 value is representable as an fp32 value.
public enum HalfPrecision {
    /// bfloat16 is the top half of an IEEE binary32, so widening is a shift.
    @inlinable
    public static func bfloat16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// IEEE binary16 to binary32, bit by bit (normals, subnormals, infinities and NaN), so it
    /// does not depend on the platform's `Float16` support.
    @inlinable
    public static func float16ToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0x1F {
            // Infinity or NaN: all-ones exponent, mantissa carried over (keeps NaN payloads).
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal: value = mantissa * 2^-24, exactly representable in fp32.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// fp32 to bfloat16 with round-to-nearest-even, as PyTorch's `.to(torch.bfloat16)` does.
    @inlinable
    public static func floatToBFloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x0040) }
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
