/// The element types a safetensors header may name (the `Dtype` enum of the reference
/// `safetensors/src/tensor.rs`).
///
/// Every type is known so that a file's offsets can be validated in full; only `F32`, `F16`
/// and `BF16` can be read as numbers (`isFloatLoadable`). The raw values are the header
/// strings.
public enum SafeTensorsDType: String, Sendable, CaseIterable, Codable {
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bits per element. Sub-byte types (F4, F6) exist, so sizes are checked in bits and the
    /// total must come out to whole bytes.
    public var bitSize: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Whether Ponder can convert this type to `Float` (the checkpoint formats in use).
    public var isFloatLoadable: Bool {
        self == .f32 || self == .f16 || self == .bf16
    }

    /// The name transformers uses for this dtype in config.json (`torch_dtype`), when one exists.
    public var torchName: String? {
        switch self {
        case .f32: return "float32"
        case .f16: return "float16"
        case .bf16: return "bfloat16"
        default: return nil
        }
    }
}
