import Foundation

/// A JSON value, decoded without `Any` so that field checks can say exactly what was found.
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let v = try? container.decode(Bool.self) { self = .bool(v); return }
        if let v = try? container.decode(Int.self) { self = .integer(v); return }
        if let v = try? container.decode(Double.self) { self = .number(v); return }
        if let v = try? container.decode(String.self) { self = .string(v); return }
        if let v = try? container.decode([JSONValue].self) { self = .array(v); return }
        self = .object(try container.decode([String: JSONValue].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let v): try container.encode(v)
        case .integer(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .array(let v): try container.encode(v)
        case .object(let v): try container.encode(v)
        }
    }

    /// The value as an integer: an `.integer`, or a `.number` with no fractional part that
    /// fits in `Int` (`42.0`). Booleans and strings are not integers.
    public var intValue: Int? {
        switch self {
        case .integer(let v): return v
        case .number(let v):
            guard v.rounded() == v, let i = Int(exactly: v) else { return nil }
            return i
        default: return nil
        }
    }

    /// The value as text: strings as they are, numbers in their usual decimal form
    /// (some datasets store final answers as numbers).
    public var textValue: String? {
        switch self {
        case .string(let v): return v
        case .integer(let v): return String(v)
        case .number(let v): return v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
        default: return nil
        }
    }

    /// A short phrase naming the kind of value, for error messages ("a string").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a non-integer number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let v): return String(v)
        case .integer(let v): return String(v)
        case .number(let v): return String(v)
        case .string(let v): return "\"\(v)\""
        case .array(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .object(let v):
            return "{" + v.keys.sorted().map { "\"\($0)\": \(v[$0]?.description ?? "null")" }
                .joined(separator: ", ") + "}"
        }
    }
}
