/// A JSON value, used only for the small irregular parts of tokenizer files (component
/// configs, added tokens, tokenizer_config.json). The 150k-entry vocabulary and merge list
/// never go through it: `JSONReader` streams them straight into typed tables (engine-facts A8).
enum TokenizerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([TokenizerJSON])
    case object([String: TokenizerJSON])
}

/// A forward-only JSON reader over UTF-8 bytes. Callers pull exactly the shape they expect
/// (`readObject`, `readArray`, `readString`, `readInt`) or fall back to `readValue` for a
/// generic tree. Errors are `TokenizerError.malformedJSON` with the byte offset.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0
    let file: String
    /// Deep nesting is never legitimate in tokenizer files; the limit keeps hostile input
    /// from exhausting the stack.
    private static let maxDepth = 256

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    func error(_ reason: String) -> TokenizerError {
        .malformedJSON(file: file, offset: offset, reason: reason)
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it.
    mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of file") }
        return bytes[offset]
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try peek() == byte else { throw error("expected \(what)") }
        offset += 1
    }

    /// Requires that only whitespace remains.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected data after the top-level value") }
    }

    /// Calls `body` once per member with the reader positioned at the member's value; `body`
    /// must consume that value.
    mutating func readObject(_ body: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        if try peek() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            try body(&self, key)
            let next = try peek()
            offset += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw error("expected ',' or '}'") }
        }
    }

    /// Calls `body` once per element with the reader positioned at the element.
    mutating func readArray(_ body: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "'['")
        if try peek() == UInt8(ascii: "]") { offset += 1; return }
        while true {
            try body(&self)
            let next = try peek()
            offset += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { offset -= 1; throw error("expected ',' or ']'") }
        }
    }

    /// Reads a string, validating its UTF-8 and decoding escapes (surrogate pairs included).
    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        // Fast path: most vocabulary strings have no escapes and are copied in one go.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                guard UTF8Scanning.isValid(raw) else { throw error("string is not valid UTF-8") }
                return String(decoding: raw, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in a string") }
            offset += 1
        }
        var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                let valid = buffer.withUnsafeBytes { UTF8Scanning.isValid($0) }
                guard valid else { throw error("string is not valid UTF-8") }
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try readEscape(into: &buffer)
            case 0..<0x20:
                throw error("control character in a string")
            default:
                buffer.append(byte)
            }
        }
        throw error("unterminated string")
    }

    private mutating func readEscape(into buffer: inout [UInt8]) throws {
        guard offset < bytes.count else { throw error("unterminated escape") }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var value = UInt32(try readHex4())
            if (0xD800...0xDBFF).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                      bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate escape")
                }
                offset += 2
                let low = UInt32(try readHex4())
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate escape") }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("unpaired surrogate escape") }
            buffer.append(contentsOf: String(scalar).utf8)
        default:
            offset -= 1
            throw error("invalid escape")
        }
    }

    private mutating func readHex4() throws -> UInt16 {
        guard offset + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    /// Reads an integer (the vocabulary's ids); a number with a fraction or exponent must
    /// still be integral.
    mutating func readInt() throws -> Int {
        let start = try peekOffset()
        var negative = false
        if bytes[offset] == UInt8(ascii: "-") { negative = true; offset += 1 }
        var value = 0
        var digits = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            value = value &* 10 &+ Int(bytes[offset] - UInt8(ascii: "0"))
            digits += 1
            offset += 1
        }
        let next = offset < bytes.count ? bytes[offset] : 0
        if digits > 0 && digits <= 18 && next != UInt8(ascii: ".") && next != UInt8(ascii: "e")
            && next != UInt8(ascii: "E") {
            return negative ? -value : value
        }
        offset = start
        guard case .number(let number) = try readValue(), let integer = Int(exactly: number) else {
            offset = start
            throw error("expected an integer")
        }
        return integer
    }

    private mutating func peekOffset() throws -> Int {
        _ = try peek()
        return offset
    }

    /// Reads any value as a generic tree.
    mutating func readValue() throws -> TokenizerJSON {
        try readValue(depth: 0)
    }

    private mutating func readValue(depth: Int) throws -> TokenizerJSON {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
        switch try peek() {
        case UInt8(ascii: "{"):
            var members: [String: TokenizerJSON] = [:]
            try readObject { reader, key in members[key] = try reader.readValue(depth: depth + 1) }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [TokenizerJSON] = []
            try readArray { reader in elements.append(try reader.readValue(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        default:
            return .number(try readNumber())
        }
    }

    private mutating func readLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { throw error("unexpected end of file") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        guard matches else { throw error("invalid literal") }
        offset += count
    }

    private mutating func readNumber() throws -> Double {
        let start = offset
        while offset < bytes.count && Self.isNumberByte(bytes[offset]) { offset += 1 }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]),
                          as: UTF8.self)
        guard !text.isEmpty, let value = Double(text), value.isFinite else {
            offset = start
            throw error("expected a value")
        }
        return value
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"),
             UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }
}
