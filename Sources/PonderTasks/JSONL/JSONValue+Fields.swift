import PonderModel

/// The two readings JSONL task files need on top of PonderModel's `JSONValue`: numbers taken
/// as text (some datasets store final answers as numbers) and a phrase naming what a field
/// holds, for messages such as `expected field "target" to be an integer, found a string`.
extension JSONValue {
    /// The value as text: strings as they are, numbers in their usual decimal form
    /// (`42`, `42.0` and `4.2e1` all read `"42"`; `0.5` reads `"0.5"`).
    public var textValue: String? {
        switch self {
        case .string(let text):
            return text
        case .number(let literal):
            if let exact = Int(literal) { return String(exact) }
            guard let value = Double(literal) else { return nil }
            return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        default:
            return nil
        }
    }

    /// A short phrase naming the kind of value, for error messages ("a string").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return integerValue == nil ? "a non-integer number" : "an integer"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
