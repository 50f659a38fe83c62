/// A JSON value as read by `JSONReader`.
///
/// Objects keep their members in file order (`JSONSerialization` and a `Dictionary` would
/// shuffle them, and `tojson` in chat templates prints them in order); how a repeated key is
/// treated is chosen when parsing (`JSONParseOptions.duplicateKeys`). Numbers keep their
/// literal text, so integers are read exactly (no detour through `Double`) and each caller
/// decides what a number means: safetensors offsets are `UInt64`, vocabulary ids `Int`,
/// template values Python `int` or `float`.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's literal text, as written (`"-0"`, `"1e2"`; with
    /// `allowsNonFiniteNumbers` also `"NaN"`, `"Infinity"`, `"-Infinity"`).
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses one JSON value filling the whole input (surrounding whitespace allowed).
    /// - Throws: `JSONParseError` with the byte offset of the first problem.
    public static func parse(_ bytes: UnsafeRawBufferPointer,
                             options: JSONParseOptions = .strict) throws -> JSONValue {
        var reader = JSONReader(bytes: bytes, options: options)
        let value = try reader.readValue()
        try reader.expectEnd()
        return value
    }

    /// Parses a JSON text held in a byte array.
    public static func parse(_ bytes: [UInt8], options: JSONParseOptions = .strict) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0, options: options) }
    }

    /// A short name of the value's JSON type, for error messages ("object", "boolean").
    public var typeName: String {
        switch self {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        }
    }

    /// Whether the value is JSON `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an object (the last one, should a key repeat), or nil for
    /// an absent key or a value that is not an object. Keys compare by exact scalars.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key.hasSameBytes(as: key) }?.value
    }

    /// The value as a non-negative integer, if it is a number literal made of digits only
    /// (no sign, fraction or exponent) that fits in `UInt64`.
    public var unsignedInteger: UInt64? {
        guard case let .number(text) = self, !text.isEmpty,
              text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(text)
    }

    /// Whether the value is a number written without fraction or exponent (`42`, `-7`), the
    /// literals Python's `json` reads as `int`.
    public var isIntegerLiteral: Bool {
        guard case let .number(text) = self else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }

    /// The value as an `Int`, if it is a number with an integral value that fits: an integer
    /// literal read exactly, or a fraction/exponent form such as `42.0` or `1e2`.
    public var integerValue: Int? {
        guard case let .number(text) = self else { return nil }
        if let exact = Int(text) { return exact }
        guard let value = Double(text) else { return nil }
        return Int(exactly: value)
    }

    /// The value as a `Double`, if it is a number (`1e400` reads as infinity, as in Python).
    public var doubleValue: Double? {
        guard case let .number(text) = self else { return nil }
        return Double(text)
    }

    /// The text, if the value is a string.
    public var stringValue: String? {
        guard case let .string(text) = self else { return nil }
        return text
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON (`{"a": [1, "x"]}`): members in their order, numbers as written, for
    /// error messages that show the offending value.
    public var description: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): out += JSONText.quoted(text)
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += ", " }
                element.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += ", " }
                out += JSONText.quoted(member.key) + ": "
                member.value.write(into: &out)
            }
            out += "}"
        }
    }
}
