import Foundation

/// Writes safetensors files the way the reference writer does: tensors ordered by descending
/// dtype alignment and then by name, packed back to back, and the JSON header padded with
/// spaces to a multiple of 8 bytes so the data section is 8-byte aligned.
///
/// Values are given as fp32 and stored as F32, BF16 or F16 (round-to-nearest-even, as
/// `tensor.to(torch.bfloat16)`); the trainer writes checkpoints through this.
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        let name: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        let bytes: [UInt8]
    }

    /// Errors raised while adding tensors.
    public enum WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        case unsupportedDType(tensor: String, dtype: SafeTensorsDType)
        case shapeMismatch(tensor: String, shape: [Int], valueCount: Int)
        case duplicateTensor(String)
        case reservedName(String)

        public var description: String {
            switch self {
            case let .unsupportedDType(tensor, dtype):
                return "cannot write tensor '\(tensor)' as \(dtype.rawValue): the writer stores F32, BF16 or F16"
            case let .shapeMismatch(tensor, shape, count):
                return "tensor '\(tensor)': shape \(shape) needs \(shape.reduce(1, *)) values but \(count) were given"
            case let .duplicateTensor(name):
                return "tensor '\(name)' was added twice"
            case let .reservedName(name):
                return "'\(name)' is reserved for the safetensors metadata map"
            }
        }
    }

    private var entries: [Entry] = []
    private var names = Set<String>()
    /// The `__metadata__` map written into the header (HF checkpoints carry `format: pt`).
    public var metadata: [String: String]?

    /// Creates an empty writer.
    public init(metadata: [String: String]? = ["format": "pt"]) {
        self.metadata = metadata
    }

    /// Adds a tensor. `values` are row-major with `shape`; `dtype` is `.f32`, `.bf16` or `.f16`.
    public mutating func add(_ name: String, shape: [Int], values: UnsafeBufferPointer<Float>,
                             dtype: SafeTensorsDType = .f32) throws {
        guard name != "__metadata__" else { throw WriteError.reservedName(name) }
        guard !names.contains(name) else { throw WriteError.duplicateTensor(name) }
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw WriteError.shapeMismatch(tensor: name, shape: shape, valueCount: values.count)
        }
        var bytes: [UInt8] = []
        switch dtype {
        case .f32:
            bytes.reserveCapacity(4 * values.count)
            for value in values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        case .bf16:
            bytes.reserveCapacity(2 * values.count)
            for value in values {
                withUnsafeBytes(of: HalfPrecision.floatToBFloat16(value).littleEndian) { bytes.append(contentsOf: $0) }
            }
        case .f16:
            bytes.reserveCapacity(2 * values.count)
            for value in values {
                withUnsafeBytes(of: HalfPrecision.floatToFloat16(value).littleEndian) { bytes.append(contentsOf: $0) }
            }
        default:
            throw WriteError.unsupportedDType(tensor: name, dtype: dtype)
        }
        names.insert(name)
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds a tensor from an array.
    public mutating func add(_ name: String, shape: [Int], values: [Float], dtype: SafeTensorsDType = .f32) throws {
        try values.withUnsafeBufferPointer { try add(name, shape: shape, values: $0, dtype: dtype) }
    }

    /// The complete file contents.
    public func serialized() -> [UInt8] {
        // Descending dtype (the reference enum's order: F32, then BF16, then F16), then by name.
        func rank(_ dtype: SafeTensorsDType) -> Int { SafeTensorsDType.allCases.firstIndex(of: dtype) ?? 0 }
        let ordered = entries.sorted {
            rank($0.dtype) != rank($1.dtype) ? rank($0.dtype) > rank($1.dtype) : $0.name < $1.name
        }
        var header = "{"
        var first = true
        if let metadata {
            header += "\"__metadata__\":{"
            header += metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0] ?? ""))" }
                .joined(separator: ",")
            header += "}"
            first = false
        }
        var offset = 0
        for entry in ordered {
            if !first { header += "," }
            first = false
            let end = offset + entry.bytes.count
            let shape = entry.shape.map(String.init).joined(separator: ",")
            header += "\(JSONText.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        // Force alignment to 8 bytes, like the reference writer.
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for entry in ordered { out.append(contentsOf: entry.bytes) }
        return out
    }

    /// Writes the file atomically to `path`.
    public func write(to path: String) throws {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafeTensorsError.writeFailed(file: path, reason: error.localizedDescription)
        }
    }
}
