/// A forward-only JSON reader over UTF-8 bytes: the one JSON parser in Ponder.
///
/// Callers pull exactly the shape they expect (`readObject`, `readArray`, `readString`,
/// `readInt`), so a 150k-entry vocabulary streams straight into a typed table without a tree
/// in between (engine-facts A8); `readValue` builds a `JSONValue` for the small irregular
/// parts, and `JSONValue.parse` reads a whole document. Every failure is a `JSONParseError`
/// with the byte offset, which callers wrap into their own error naming the file.
///
/// The grammar is RFC 8259; `JSONParseOptions` chooses the policy for repeated keys, the
/// nesting cap, Python's non-finite literals and a leading byte-order mark. Strings must be
/// well-formed UTF-8 (checked as they are read) and escapes may not leave a lone surrogate.
///
/// The reader holds an unsafe view of `bytes`: they must outlive it.
public struct JSONReader {
    /// The whole input.
    public let bytes: UnsafeRawBufferPointer
    /// The byte the reader stands at.
    public private(set) var offset = 0
    /// The choices this reader makes where readers differ.
    public let options: JSONParseOptions
    /// Containers currently open, checked against `options.maximumDepth`.
    private var depth = 0

    /// A reader at the start of `bytes` (after a byte-order mark, if the options skip one).
    public init(bytes: UnsafeRawBufferPointer, options: JSONParseOptions = .strict) {
        self.bytes = bytes
        self.options = options
        if options.skipsByteOrderMark, bytes.count >= 3,
           bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            offset = 3
        }
    }

    /// An error at the current offset.
    public func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }

    /// Moves past spaces, tabs and line ends.
    public mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    /// The next non-whitespace byte, without consuming it.
    /// - Throws: at the end of the input.
    public mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard offset < bytes.count else { throw error("unexpected end of input") }
        return bytes[offset]
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try peek() == byte else { throw error("expected \(what)") }
        offset += 1
    }

    /// Requires that only whitespace remains.
    public mutating func expectEnd() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw error("unexpected data after the JSON value") }
    }

    // MARK: Containers

    /// Opens a container, refusing nesting beyond `options.maximumDepth`.
    private mutating func enter(_ opening: UInt8, _ what: String) throws {
        guard try peek() == opening else { throw error("expected \(what)") }
        guard depth < options.maximumDepth else {
            throw error("nesting deeper than \(options.maximumDepth) levels")
        }
        depth += 1
        offset += 1
    }

    /// Calls `body` once per member, in file order and repeats included, with the reader
    /// positioned at the member's value; `body` must consume exactly that value.
    public mutating func readObject(_ body: (inout JSONReader, String) throws -> Void) throws {
        try readMembers { reader, key, _ in try body(&reader, key) }
    }

    /// `readObject`, also passing the offset of each key's opening quote (for errors that
    /// point at a key).
    private mutating func readMembers(_ body: (inout JSONReader, String, Int) throws -> Void) throws {
        try enter(UInt8(ascii: "{"), "'{'")
        if try peek() == UInt8(ascii: "}") { offset += 1; depth -= 1; return }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = offset
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after a key")
            try body(&self, key, keyOffset)
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; depth -= 1; return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// Calls `body` once per element with the reader positioned at it; `body` must consume
    /// exactly that element.
    public mutating func readArray(_ body: (inout JSONReader) throws -> Void) throws {
        try enter(UInt8(ascii: "["), "'['")
        if try peek() == UInt8(ascii: "]") { offset += 1; depth -= 1; return }
        while true {
            try body(&self)
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; depth -= 1; return
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    // MARK: Trees

    /// Reads any value as a tree, applying `options.duplicateKeys` to its objects.
    public mutating func readValue() throws -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"):
            return try readObjectValue()
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { reader in elements.append(try reader.readValue()) }
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

    private mutating func readObjectValue() throws -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        // Positions by exact key bytes: Swift's `==` would merge canonically equal keys.
        var positions: [TokenKey: Int] = [:]
        try readMembers { reader, key, keyOffset in
            let existing = positions[TokenKey(key)]
            if existing != nil, reader.options.duplicateKeys == .reject {
                throw JSONParseError(offset: keyOffset, reason: "duplicate key \(JSONText.quoted(key))")
            }
            let value = try reader.readValue()
            if let existing {
                members[existing].value = value
            } else {
                positions[TokenKey(key)] = members.count
                members.append((key, value))
            }
        }
        return .object(members)
    }

    private mutating func readLiteral(_ literal: StaticString) throws {
        guard hasPrefix(literal) else { throw error("invalid literal, expected '\(literal)'") }
        offset += literal.utf8CodeUnitCount
    }

    // MARK: Numbers

    /// Reads a number and returns its literal text (RFC 8259 grammar: no leading zeros, `+`,
    /// bare `.` or hex; with `allowsNonFiniteNumbers` also `NaN`, `Infinity`, `-Infinity`).
    public mutating func readNumber() throws -> String {
        let start = try peekOffset()
        if options.allowsNonFiniteNumbers {
            for literal: StaticString in ["NaN", "Infinity", "-Infinity"] where hasPrefix(literal) {
                offset += literal.utf8CodeUnitCount
                return literal.description
            }
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        // Integer part: "0" or a non-zero digit followed by digits.
        if currentByte == UInt8(ascii: "0") {
            offset += 1
        } else if skipDigits() == 0 {
            throw error(offset == start ? "expected a value" : "invalid number")
        }
        if currentByte == UInt8(ascii: ".") {
            offset += 1
            guard skipDigits() > 0 else { throw error("invalid number: digits expected after '.'") }
        }
        if currentByte == UInt8(ascii: "e") || currentByte == UInt8(ascii: "E") {
            offset += 1
            if currentByte == UInt8(ascii: "+") || currentByte == UInt8(ascii: "-") { offset += 1 }
            guard skipDigits() > 0 else { throw error("invalid number: digits expected in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    /// Reads an integer (vocabulary ids). A fraction or exponent form is accepted when its
    /// value is integral (`42.0`, `1e2`), as tokenizers' serde does for `u32` fields.
    public mutating func readInt() throws -> Int {
        let start = try peekOffset()
        // Fast path for the common case: up to 18 digits (cannot overflow), no leading zero,
        // no fraction or exponent after them.
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value &* 10 &+ Int(bytes[index] &- 0x30)
            index += 1
        }
        let digits = index - digitsStart
        let next = index < bytes.count ? bytes[index] : 0
        if digits > 0, digits <= 18, digits == 1 || bytes[digitsStart] != 0x30,
           next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") {
            offset = index
            return negative ? -value : value
        }
        let text = try readNumber()
        guard let integer = JSONValue.number(text).integerValue else {
            offset = start
            throw error("expected an integer, found \(text)")
        }
        return integer
    }

    private var currentByte: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipDigits() -> Int {
        let start = offset
        while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { offset += 1 }
        return offset - start
    }

    private func hasPrefix(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
    }

    /// The offset of the next non-whitespace byte (throws at the end of the input).
    private mutating func peekOffset() throws -> Int {
        _ = try peek()
        return offset
    }

    // MARK: Strings

    /// Reads a string, checking its UTF-8 and decoding escapes (surrogate pairs included).
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = offset
        // Fast path: most strings (vocabulary entries, tensor names) have no escapes and are
        // copied in one go.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                guard UTF8Scanning.isValid(raw) else { throw error("string is not valid UTF-8") }
                offset += 1
                return String(decoding: raw, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            offset += 1
        }
        var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                let valid = buffer.withUnsafeBytes { UTF8Scanning.isValid($0) }
                guard valid else { throw error("string is not valid UTF-8") }
                offset += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                offset += 1
                try readEscape(into: &buffer)
            case 0..<0x20:
                throw error("unescaped control character in a string")
            default:
                buffer.append(byte)
                offset += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func readEscape(into buffer: inout [UInt8]) throws {
        guard let byte = currentByte else { throw error("unterminated escape") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            offset += 1
            var value = try readHex4()
            if (0xD800...0xDBFF).contains(value) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard hasPrefix("\\u") else { throw error("lone high surrogate in a \\u escape") }
                offset += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in a \\u escape") }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(value) else { throw error("lone low surrogate in a \\u escape") }
            buffer.append(contentsOf: String(scalar).utf8)
            return
        default:
            throw error("invalid escape sequence")
        }
        offset += 1
    }

    private mutating func readHex4() throws -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("unterminated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }
}
