import Foundation

/// A strategy parameter as it arrives from a config (YAML scalar, CLI flag, JSON).
public enum ParameterValue: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// `true` / `false`.
    case bool(Bool)
    /// An integer (also accepted where a real number is declared).
    case int(Int)
    /// A real number.
    case double(Double)
    /// A string (choices are strings).
    case string(String)

    public var description: String {
        switch self {
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): "\"\(s)\""
        }
    }

    /// Decodes a JSON/YAML scalar: booleans, then integers, then reals, then strings.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    /// Encodes as the bare scalar.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        }
    }
}

/// The declaration of one strategy parameter: its name, type, allowed values and default.
public struct ParameterSpec: Sendable, Equatable {
    /// What values a parameter accepts.
    public enum Kind: Sendable, Equatable {
        /// An integer in the range.
        case int(ClosedRange<Int>)
        /// A finite real in the range.
        case double(ClosedRange<Double>)
        /// A boolean.
        case bool
        /// One of the listed strings.
        case choice([String])
    }

    /// The name configs use (snake_case).
    public var name: String
    /// Type and range.
    public var kind: Kind
    /// The value used when a config omits the parameter.
    public var defaultValue: ParameterValue
    /// One line for `ponder strategies` and error messages.
    public var help: String

    /// An integer parameter in `range`.
    public static func int(_ name: String, _ range: ClosedRange<Int>, default value: Int, _ help: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: .int(range), defaultValue: .int(value), help: help)
    }
    /// A real parameter in `range`.
    public static func double(_ name: String, _ range: ClosedRange<Double>, default value: Double, _ help: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: .double(range), defaultValue: .double(value), help: help)
    }
    /// A boolean parameter.
    public static func bool(_ name: String, default value: Bool, _ help: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: .bool, defaultValue: .bool(value), help: help)
    }
    /// A parameter taking one of `choices`.
    public static func choice(_ name: String, _ choices: [String], default value: String, _ help: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: .choice(choices), defaultValue: .string(value), help: help)
    }

    /// Human-readable allowed values ("an integer in 1...1024").
    public var allowed: String {
        switch kind {
        case .int(let r): "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .double(let r): "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: "true or false"
        case .choice(let c): "one of " + c.joined(separator: ", ")
        }
    }

    /// Checks and normalizes a value (an integer is accepted for a real parameter).
    func validate(_ value: ParameterValue, strategy: String) throws -> ParameterValue {
        let bad = RegistryError.invalidValue(strategy: strategy, parameter: name, value: value, allowed: allowed)
        switch (kind, value) {
        case let (.int(range), .int(i)):
            guard range.contains(i) else { throw bad }
            return value
        case let (.double(range), .double(d)):
            guard d.isFinite, range.contains(d) else { throw bad }
            return value
        case let (.double(range), .int(i)):
            guard range.contains(Double(i)) else { throw bad }
            return .double(Double(i))
        case (.bool, .bool):
            return value
        case let (.choice(choices), .string(s)):
            guard choices.contains(s) else { throw bad }
            return value
        default:
            throw bad
        }
    }
}

/// Validated parameters with defaults filled in, as a strategy factory receives them.
public struct StrategyParameters: Sendable, Equatable {
    /// The strategy they belong to (for error messages).
    public let strategy: String
    /// Every declared parameter's value.
    public let values: [String: ParameterValue]

    init(strategy: String, values: [String: ParameterValue]) {
        self.strategy = strategy
        self.values = values
    }

    /// An integer parameter.
    public func int(_ name: String) throws -> Int {
        guard case .int(let i) = try value(name) else { throw mismatch(name, "int") }
        return i
    }
    /// A real parameter.
    public func double(_ name: String) throws -> Double {
        switch try value(name) {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw mismatch(name, "double")
        }
    }
    /// A boolean parameter.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = try value(name) else { throw mismatch(name, "bool") }
        return b
    }
    /// A string or choice parameter.
    public func string(_ name: String) throws -> String {
        guard case .string(let s) = try value(name) else { throw mismatch(name, "string") }
        return s
    }
    /// A choice parameter converted to an enum.
    public func choice<E: RawRepresentable>(_ name: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(name)
        guard let e = E(rawValue: raw) else { throw mismatch(name, String(describing: type)) }
        return e
    }

    private func value(_ name: String) throws -> ParameterValue {
        guard let v = values[name] else {
            throw RegistryError.undeclaredParameter(strategy: strategy, parameter: name)
        }
        return v
    }

    private func mismatch(_ name: String, _ type: String) -> RegistryError {
        .undeclaredParameter(strategy: strategy, parameter: "\(name) (read as \(type))")
    }
}
