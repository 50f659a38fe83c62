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
    /// fp32 to IEEE binary16 with round-to-nearest-even (overflow → ±∞, tiny values →
    /// subnormals or ±0, NaN stays NaN), bit by bit like `float16ToFloat`.
    @inlinable
    public static func floatToFloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            // Infinity, or NaN kept quiet and non-zero.
            return sign | 0x7C00 | (mantissa == 0 ? 0 : UInt16(truncatingIfNeeded: 0x200 | (mantissa >> 13)))
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal result: shift the significand (with its implicit 1) into 10 bits.
            let shift = 14 - halfExponent
            guard shift <= 24 else { return sign }
            let significand = mantissa | 0x80_0000
            var result = significand >> UInt32(shift)
            let remainder = significand & ((1 << UInt32(shift)) - 1)
            let halfway = UInt32(1) << UInt32(shift - 1)
            if remainder > halfway || (remainder == halfway && result & 1 == 1) { result += 1 }
            return sign | UInt16(truncatingIfNeeded: result)
        }
        var result = (UInt32(halfExponent) << 10) | (mantissa >> 13)
        let remainder = mantissa & 0x1FFF
        // A carry out of the mantissa correctly bumps the exponent (up to infinity).
        if remainder > 0x1000 || (remainder == 0x1000 && result & 1 == 1) { result += 1 }
        return sign | UInt16(truncatingIfNeeded: result)
    }
}
