import Foundation

/// A JSON-like value handed to a chat template: messages with tool calls, tool definitions,
/// extra template variables.
///
/// Object members keep their order, because templates print tool schemas with `tojson` and
/// Python prints dict keys in insertion order; a `Dictionary` would shuffle them.
public enum TemplateValue: Sendable, Equatable {
    /// JSON `null`; Python `None` in the template.
    case null
    case bool(Bool)
    case int(Int)
    /// A float; printed with Python's `repr` rules (`1.0`, `1e+16`).
    case double(Double)
    case string(String)
    /// A list.
    case array([TemplateValue])
    /// A dict whose members keep the order given.
    case object([Member])

    /// One key/value pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: TemplateValue

        /// A member `key: value`.
        public init(_ key: String, _ value: TemplateValue) {
            self.key = key
            self.value = value
        }
    }

    /// The member named `key` of an object (the last one, if a key repeats), or nil.
    public subscript(key: String) -> TemplateValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { PythonText.equal($0.key, key) }?.value
    }

    /// Parses JSON, keeping object member order. Accepts what Python's `json.loads` accepts,
    /// including `NaN` and `Infinity`, and keeps the last value of a repeated key at the first
    /// key's position, as a Python dict does. `source` names the data in error messages.
    /// - Throws: `ChatTemplateError.config` naming `source` and the byte offset.
    public init(json data: Data, source: String = "JSON") throws {
        let parsed: JSONValue
        do {
            parsed = try data.withUnsafeBytes { try JSONValue.parse($0, options: .pythonJSON) }
        } catch let error as JSONParseError {
            throw ChatTemplateError.config(file: source, message: "invalid JSON at byte \(error.offset): \(error.reason)")
        }
        self.init(parsed)
    }

    /// The template value of parsed JSON, with Python's number types: a literal without
    /// fraction or exponent that fits in `Int` is an `int`, any other number a `float`
    /// (`1e400` is `inf`, as in Python).
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .string(let text): self = .string(text)
        case .number(let text):
            if json.isIntegerLiteral, let integer = Int(text) {
                self = .int(integer)
            } else {
                // The reader yields only literals `Double` reads (NaN and ±Infinity included).
                self = .double(Double(text) ?? .nan)
            }
        case .array(let items): self = .array(items.map(TemplateValue.init))
        case .object(let members): self = .object(members.map { Member($0.key, TemplateValue($0.value)) })
        }
    }

    /// The value as the interpreter sees it (objects become Python dicts).
    var jinjaValue: JinjaValue {
        switch self {
        case .null: .none
        case .bool(let b): .bool(b)
        case .int(let i): .int(i)
        case .double(let d): .float(d)
        case .string(let s): .string(s)
        case .array(let items): .list(items.map(\.jinjaValue))
        case .object(let members): .dict(JinjaDict(members.map { ($0.key, $0.value.jinjaValue) }))
        }
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
    /// Members in the order written.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .object(elements.map { Member($0.0, $0.1) }) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONParseOptions {
    /// What Python's `json.loads` reads as template data: `NaN`/`Infinity`, the last value
    /// of a repeated key, deep nesting; also a leading byte-order mark, which editors add to
    /// hand-edited tokenizer_config.json files.
    static let pythonJSON = JSONParseOptions(duplicateKeys: .keepLast, maximumDepth: 512,
                                             allowsNonFiniteNumbers: true, skipsByteOrderMark: true)
}
