/// One safetensors file, memory-mapped and validated.
///
/// Opening reads and checks the header only; tensor data stays in the mapping until
/// `readFloats` converts it. The mapping lives as long as this object (or any reference to
/// `mapping`), so raw views into it stay valid for the model's lifetime.
public final class SafeTensorsFile: Sendable {
    /// The mapped file.
    public let mapping: MappedFile
    /// The validated header.
    public let header: SafeTensorsHeader

    /// The path the file was opened from.
    public var path: String { mapping.path }

    /// Maps and validates the file at `path`.
    public init(path: String) throws {
        mapping = try MappedFile(path: path)
        header = try SafeTensorsHeader(parsing: mapping.bytes, file: path)
    }

    /// Tensor names in data order.
    public var tensorNames: [String] { header.tensors.map(\.name) }

    /// The header entry for `name`, or nil.
    public func info(_ name: String) -> SafeTensorInfo? { header.tensorsByName[name] }

    /// The raw bytes of a tensor, inside the mapping (no alignment guaranteed).
    public func rawBytes(_ info: SafeTensorInfo) -> UnsafeRawBufferPointer {
        guard let base = mapping.bytes.baseAddress, info.byteCount > 0 else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: base + header.dataStart + info.dataRange.lowerBound,
                                      count: info.byteCount)
    }

    /// Converts tensor `name` to fp32 into `destination`, which must hold exactly its elements.
    /// Throws when the tensor is missing or its dtype is not F32, F16 or BF16.
    public func readFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let info = info(name) else { throw SafeTensorsError.tensorNotFound(file: path, tensor: name) }
        try readFloats(info, into: destination)
    }

    /// Converts a tensor to fp32 into `destination` (exactly `info.elementCount` elements).
    public func readFloats(_ info: SafeTensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard info.dtype.isFloatLoadable else {
            throw SafeTensorsError.unsupportedDType(file: path, tensor: info.name, dtype: info.dtype)
        }
        precondition(destination.count == info.elementCount, "destination size must match the tensor")
        Self.convert(rawBytes(info), dtype: info.dtype, into: destination)
    }

    /// A tensor converted to a fresh `[Float]` (small tensors, tests).
    public func floats(_ name: String) throws -> [Float] {
        guard let info = info(name) else { throw SafeTensorsError.tensorNotFound(file: path, tensor: name) }
        var result = [Float](repeating: 0, count: info.elementCount)
        try result.withUnsafeMutableBufferPointer { try readFloats(info, into: $0) }
        return result
    }

    /// Little-endian F32/F16/BF16 bytes → fp32. Loads are unaligned: other writers than the
    /// reference one need not align the data section.
    static func convert(_ source: UnsafeRawBufferPointer, dtype: SafeTensorsDType,
                        into destination: UnsafeMutableBufferPointer<Float>) {
        guard let out = destination.baseAddress else { return }
        let n = destination.count
        switch dtype {
        case .f32:
            for i in 0..<n {
                out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        case .bf16:
            for i in 0..<n {
                out[i] = HalfPrecision.bfloat16ToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .f16:
            for i in 0..<n {
                out[i] = HalfPrecision.float16ToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        default:
            preconditionFailure("convert called with a dtype that is not float-loadable")
        }
    }
}
