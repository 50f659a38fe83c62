/// One tensor's entry in a safetensors header.
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's name (the header key).
    public let name: String
    /// Element type.
    public let dtype: SafeTensorsDType
    /// Dimensions, outermost first (row-major). Empty for a 0-rank scalar.
    public let shape: [Int]
    /// Byte range within the data section (which starts at 8 + header length).
    public let dataRange: Range<Int>

    /// Number of elements (1 for a scalar, 0 when a dimension is 0). Validation guarantees
    /// the product of a non-empty tensor's shape fits, since it is bounded by the file size.
    public var elementCount: Int { shape.contains(0) ? 0 : shape.reduce(1, *) }
    /// Size of the tensor data in bytes.
    public var byteCount: Int { dataRange.count }
}

/// A parsed and validated safetensors header.
///
/// Parsing follows the reference reader check for check (see `SafeTensorsError`): a header
/// that parses here describes data that exactly tiles the rest of the file.
public struct SafeTensorsHeader: Sendable {
    /// The header length N from the first 8 bytes.
    public let headerLength: Int
    /// Byte offset of the data section within the file (8 + N).
    public let dataStart: Int
    /// Tensors in the order of their data offsets.
    public let tensors: [SafeTensorInfo]
    /// Tensors by name.
    public let tensorsByName: [String: SafeTensorInfo]
    /// The free-form `__metadata__` map, if present.
    public let metadata: [String: String]?

    /// The reference reader's limit on the header length.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// Parses and validates the header of a whole safetensors file held in `buffer`.
    /// `file` is used in error messages only.
    public init(parsing buffer: UnsafeRawBufferPointer, file: String) throws {
        // 1. At least the 8-byte length prefix.
        guard buffer.count >= 8 else {
            throw SafeTensorsError.headerTooSmall(file: file, fileSize: buffer.count)
        }
        // The length is little-endian; assemble it byte by byte so host order and alignment
        // do not matter.
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(buffer[i]) << (8 * UInt64(i)) }
        // 2. Bounded header size.
        guard n <= Self.maximumHeaderLength else {
            throw SafeTensorsError.headerTooLarge(file: file, headerLength: n)
        }
        // 3. 8 + N must fit in the file (N ≤ 1e8, so the sum cannot overflow here; the check
        //    is kept for parity with the reference).
        let (stop, overflow) = n.addingReportingOverflow(8)
        guard !overflow, stop <= UInt64(buffer.count) else {
            throw SafeTensorsError.invalidHeaderLength(file: file, headerLength: n, fileSize: buffer.count)
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: buffer[8..<Int(stop)])
        // 4a. UTF-8.
        guard UTF8Scanning.isValid(headerBytes) else {
            throw SafeTensorsError.invalidHeaderEncoding(file: file)
        }
        // 4b. JSON (leading and trailing whitespace padding allowed, duplicate keys refused).
        let json: JSONValue
        do {
            json = try JSONValue.parse(headerBytes, options: .strict)
        } catch let error as JSONParseError {
            throw SafeTensorsError.invalidHeaderJSON(file: file, reason: error.description)
        }
        guard case let .object(members) = json else {
            throw SafeTensorsError.invalidHeaderJSON(file: file, reason: "the header must be a JSON object, found \(json.typeName)")
        }
        var metadata: [String: String]?
        var entries: [(name: String, dtype: SafeTensorsDType, shape: [UInt64], begin: UInt64, end: UInt64)] = []
        entries.reserveCapacity(members.count)
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, file: file)
                continue
            }
            entries.append(try Self.parseEntry(name: key, value, file: file))
        }
        // 5–7. Sorted by (BEGIN, END), the tensors must tile the buffer and each must span
        // exactly shape × dtype bytes.
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var cursor: UInt64 = 0
        var tensors: [SafeTensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            guard entry.begin == cursor, entry.end >= entry.begin else {
                throw SafeTensorsError.invalidOffset(file: file, tensor: entry.name, begin: entry.begin,
                                                     end: entry.end, expectedBegin: cursor)
            }
            cursor = entry.end
            var elements: UInt64 = 1
            for dimension in entry.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw SafeTensorsError.validationOverflow(file: file, tensor: entry.name, shape: entry.shape)
                }
                elements = product
            }
            let (bits, overflow) = elements.multipliedReportingOverflow(by: UInt64(entry.dtype.bitSize))
            guard !overflow else {
                throw SafeTensorsError.validationOverflow(file: file, tensor: entry.name, shape: entry.shape)
            }
            guard bits % 8 == 0 else {
                throw SafeTensorsError.misalignedSlice(file: file, tensor: entry.name)
            }
            guard entry.end - entry.begin == bits / 8 else {
                throw SafeTensorsError.tensorInvalidInfo(file: file, tensor: entry.name,
                                                         byteCount: entry.end - entry.begin, expected: bits / 8)
            }
        }
        // 8. The data ends exactly at the end of the file: no truncation, no trailing bytes.
        let bufferSize = UInt64(buffer.count) - stop
        guard cursor == bufferSize else {
            throw SafeTensorsError.metadataIncompleteBuffer(file: file, dataEnd: cursor, bufferSize: bufferSize)
        }
        // Every offset is now ≤ the file size, so the narrowing conversions below are exact;
        // so are the dimensions of any tensor with a non-zero size.
        for entry in entries {
            let shape = entry.shape.map { Int(clamping: $0) }
            tensors.append(SafeTensorInfo(name: entry.name, dtype: entry.dtype, shape: shape,
                                          dataRange: Int(entry.begin)..<Int(entry.end)))
        }
        headerLength = Int(n)
        dataStart = Int(stop)
        self.tensors = tensors
        self.metadata = metadata
        var byName: [String: SafeTensorInfo] = [:]
        byName.reserveCapacity(tensors.count)
        for tensor in tensors {
            // The parser refused names repeated byte for byte; Swift's `==`, and so this
            // table, also equates canonically equivalent ones ("é" and "e\u{301}").
            if let other = byName.updateValue(tensor, forKey: tensor.name) {
                throw SafeTensorsError.invalidHeaderJSON(
                    file: file, reason: "tensor names \(JSONText.quoted(other.name)) and \(JSONText.quoted(tensor.name)) are the same Unicode text in different encodings; rename one")
            }
        }
        tensorsByName = byName
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String]? {
        switch value {
        case .null:
            return nil
        case let .object(pairs):
            var map: [String: String] = [:]
            for (key, item) in pairs {
                guard case let .string(text) = item else {
                    throw SafeTensorsError.invalidHeaderJSON(
                        file: file, reason: "__metadata__ values must be strings, but \"\(key)\" is a \(item.typeName)")
                }
                map[key] = text
            }
            return map
        default:
            throw SafeTensorsError.invalidHeaderJSON(
                file: file, reason: "__metadata__ must be an object of strings, found \(value.typeName)")
        }
    }

    private static func parseEntry(name: String, _ value: JSONValue, file: String) throws
        -> (name: String, dtype: SafeTensorsDType, shape: [UInt64], begin: UInt64, end: UInt64) {
        func bad(_ reason: String) -> SafeTensorsError {
            .invalidHeaderJSON(file: file, reason: "tensor '\(name)': \(reason)")
        }
        guard case let .object(fields) = value else {
            throw bad("expected an object with dtype, shape and data_offsets, found \(value.typeName)")
        }
        var dtypeValue: JSONValue?, shapeValue: JSONValue?, offsetsValue: JSONValue?
        for (key, field) in fields {
            switch key {
            case "dtype": dtypeValue = field
            case "shape": shapeValue = field
            case "data_offsets": offsetsValue = field
            default: continue  // unknown fields are ignored, as by the reference reader
            }
        }
        guard case let .string(dtypeName)? = dtypeValue else { throw bad("missing or non-string \"dtype\"") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw SafeTensorsError.unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard case let .array(dimensions)? = shapeValue else { throw bad("missing or non-array \"shape\"") }
        var shape: [UInt64] = []
        for dimension in dimensions {
            guard let size = dimension.unsignedInteger else { throw bad("shape entries must be non-negative integers") }
            shape.append(size)
        }
        guard case let .array(offsets)? = offsetsValue, offsets.count == 2,
              let begin = offsets[0].unsignedInteger, let end = offsets[1].unsignedInteger else {
            throw bad("\"data_offsets\" must be two non-negative integers [BEGIN, END]")
        }
        return (name, dtype, shape, begin, end)
    }
}
