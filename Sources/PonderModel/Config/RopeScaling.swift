/// How rotary position embeddings are scaled (transformers `modeling_rope_utils.py`).
///
/// Only the types Ponder implements exactly are representable; any other `rope_type`
/// (`dynamic`, `yarn`, `longrope`, …) is rejected when the config is read.
public enum RopeScaling: Sendable, Equatable {
    /// No scaling (`rope_scaling: null` or `rope_type: "default"`).
    case none
    /// Positions divided by `factor` (`_compute_linear_scaling_rope_parameters`).
    case linear(factor: Double)
    /// Llama 3.1's frequency-dependent scaling (`_compute_llama3_parameters`).
    case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double,
                originalMaxPositionEmbeddings: Int)

    /// The `rope_type` name transformers uses.
    public var typeName: String {
        switch self {
        case .none: return "default"
        case .linear: return "linear"
        case .llama3: return "llama3"
        }
    }

    /// Parses a rope settings object: the hub form's `rope_scaling` (with `rope_type` or the
    /// legacy `type`) or transformers 5's `rope_parameters` (which also carries `rope_theta`;
    /// the caller reads that). `key` names the object in error messages.
    static func parse(_ object: [String: ConfigScalar], key: String) throws -> RopeScaling {
        let typeName: String
        if let name = object["rope_type"]?.string ?? object["type"]?.string {
            typeName = name
        } else {
            throw ConfigError(key: "\(key).rope_type", "missing; expected \"default\", \"linear\" or \"llama3\"")
        }
        if let partial = object["partial_rotary_factor"]?.number, partial != 1 {
            throw ConfigError(key: "\(key).partial_rotary_factor", "\(partial) is not supported (only full rotary embeddings, 1.0)")
        }
        func number(_ name: String) throws -> Double {
            guard let value = object[name]?.number else {
                throw ConfigError(key: "\(key).\(name)", "required for rope_type \"\(typeName)\" (a number)")
            }
            return value
        }
        switch typeName {
        case "default":
            return .none
        case "linear":
            let factor = try number("factor")
            guard factor > 0 else { throw ConfigError(key: "\(key).factor", "must be positive, found \(factor)") }
            return .linear(factor: factor)
        case "llama3":
            let factor = try number("factor")
            let low = try number("low_freq_factor")
            let high = try number("high_freq_factor")
            let original = try number("original_max_position_embeddings")
            guard factor > 0 else { throw ConfigError(key: "\(key).factor", "must be positive, found \(factor)") }
            guard high > low else {
                throw ConfigError(key: "\(key).high_freq_factor", "must exceed low_freq_factor (\(high) ≤ \(low))")
            }
            guard original >= 1, original == original.rounded(), original < 1e12 else {
                throw ConfigError(key: "\(key).original_max_position_embeddings", "must be a positive integer, found \(original)")
            }
            return .llama3(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                           originalMaxPositionEmbeddings: Int(original))
        default:
            throw ConfigError(key: "\(key).rope_type",
                              "\"\(typeName)\" is not supported; Ponder implements \"default\", \"linear\" and \"llama3\"")
        }
    }

    /// The hub-form `rope_scaling` object (nil for `.none`).
    var hubObject: [String: ConfigScalar]? {
        switch self {
        case .none:
            return nil
        case let .linear(factor):
            return ["rope_type": .string("linear"), "factor": .number(factor)]
        case let .llama3(factor, low, high, original):
            return ["rope_type": .string("llama3"), "factor": .number(factor), "low_freq_factor": .number(low),
                    "high_freq_factor": .number(high), "original_max_position_embeddings": .number(Double(original))]
        }
    }
}

/// A scalar JSON value inside a rope settings object (numbers, strings, booleans, null; nested
/// values are kept as `.other` so unrelated extra keys never fail decoding).
enum ConfigScalar: Codable, Sendable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case other

    var number: Double? { if case let .number(value) = self { return value } else { return nil } }
    var string: String? { if case let .string(value) = self { return value } else { return nil } }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else { self = .other }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(value):
            // Integral values are written as integers (original_max_position_embeddings: 8192).
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case let .string(value): try container.encode(value)
        case let .bool(value): try container.encode(value)
        case .null, .other: try container.encodeNil()
        }
    }
}
