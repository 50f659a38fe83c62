import Foundation
import PonderModel

/// A YAML/JSON value tree: what a config file holds before it is typed.
///
/// Configs are merged (`extends:`), validated and hashed in this form; the typed
/// `ExperimentConfig` is built only after validation has passed. Strategy parameters stay in
/// this form because their schema belongs to the strategy registry in PonderSearch.
public enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map([String: ConfigValue])

    /// The value as a `Double` when it is a number (an int widens).
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value as an `Int` when it is an int, or a double with no fractional part.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
            return Int(value)
        default: return nil
        }
    }

    /// The value as a `String` when it is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a `Bool` when it is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements when the value is a list.
    public var listValue: [ConfigValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The entries when the value is a map.
    public var mapValue: [String: ConfigValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// True for scalars (null, bool, number, string).
    public var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }

    /// A short name of the value's type, for error messages ("expected a list, found a string").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "a map"
        }
    }

    /// Canonical JSON: keys sorted, no whitespace, numbers in a fixed spelling.
    ///
    /// Two configs that mean the same thing serialize identically, which is what makes the
    /// run id a function of the experiment and not of its formatting.
    public var canonicalJSON: String {
        var out = ""
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += ConfigValue.canonicalNumber(value)
        case .string(let value): out += ConfigValue.jsonQuoted(value)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeCanonical(into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                out += ConfigValue.jsonQuoted(key)
                out += ":"
                entries[key]?.writeCanonical(into: &out)
            }
            out += "}"
        }
    }

    /// Integral doubles print as integers (so `1e3` and `1000.0` agree); others use Swift's
    /// shortest round-trip spelling, which is stable across platforms. Non-finite values are
    /// not JSON, so they are written as strings.
    static func canonicalNumber(_ value: Double) -> String {
        guard value.isFinite else { return jsonQuoted(String(value)) }
        if value.rounded() == value, abs(value) < 1.0e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// A JSON string literal; `<` is escaped too, which keeps canonical JSON safe inside
    /// the HTML report's `<script>` blocks.
    static func jsonQuoted(_ string: String) -> String {
        JSONText.quoted(string, escapingLessThan: true)
    }
}

extension ConfigValue: CustomStringConvertible {
    /// A YAML-ish rendering for messages: strings bare, everything else as canonical JSON.
    public var description: String {
        if case .string(let value) = self { return value }
        return canonicalJSON
    }
}

extension ConfigValue: Codable {
    /// Decodes any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigValue].self) {
            self = .list(value)
        } else {
            self = .map(try container.decode([String: ConfigValue].self))
        }
    }

    /// Encodes as the matching JSON value.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .map(let value): try container.encode(value)
        }
    }
}
