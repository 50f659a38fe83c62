/// A task option as it arrives from a config: a YAML scalar or a flat list of scalars.
///
/// The lab converts its `ConfigValue`s and the trainer its YAML nodes into this, so both read
/// task options through one `TaskDescriptor` with one vocabulary. (PonderSearch's
/// `ParameterValue` has no lists, and task options need them: `numbers: [3, 4]`.)
public indirect enum TaskOptionValue: Sendable, Hashable, CustomStringConvertible {
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number (also accepted where a real number is declared).
    case int(Int)
    /// A real number.
    case double(Double)
    /// A string (paths, field names, choices).
    case string(String)
    /// A list of scalars (`[3, 4]`, `[question, problem]`).
    case list([TaskOptionValue])

    public var description: String {
        switch self {
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// What kind of value this is, for messages ("a list").
    public var typeName: String {
        switch self {
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .list: "a list"
        }
    }

    /// The value as an integer, when it is one (`3.0` counts).
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
        default: return nil
        }
    }

    /// The value as a real number, when it is numeric.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A `lo...hi` range as the canonical list `[lo, hi]`.
    public static func range(_ range: ClosedRange<Int>) -> TaskOptionValue {
        .list([.int(range.lowerBound), .int(range.upperBound)])
    }

    /// A list of strings.
    public static func strings(_ items: [String]) -> TaskOptionValue {
        .list(items.map(TaskOptionValue.string))
    }
}
