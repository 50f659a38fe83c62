import Foundation

/// A problem with `config.json` or `generation_config.json`: the file, the key and what to do.
///
/// Unsupported values (another architecture, a rope type Ponder does not implement, sliding
/// window attention…) are errors rather than silently ignored settings: a model that loads
/// must compute what transformers computes.
public struct ConfigError: Error, Sendable, Equatable {
    /// The file (a path once loaded from disk).
    public var file: String
    /// The offending key, dotted for nested keys (`rope_scaling.factor`), if any.
    public var key: String?
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    /// An error about `key` of `file`.
    public init(file: String = "config.json", key: String?, _ message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    /// Converts a `DecodingError` from `JSONDecoder` into a message naming the key.
    static func from(_ error: DecodingError, file: String) -> ConfigError {
        func path(_ codingPath: [any CodingKey]) -> String? {
            let parts = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return parts.isEmpty ? nil : parts.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = path(context.codingPath)
            let full = parent.map { "\($0).\(key.stringValue)" } ?? key.stringValue
            return ConfigError(file: file, key: full, "required key is missing")
        case let .typeMismatch(type, context):
            return ConfigError(file: file, key: path(context.codingPath), "expected a value of type \(type)")
        case let .valueNotFound(type, context):
            return ConfigError(file: file, key: path(context.codingPath), "expected a value of type \(type), found null")
        case let .dataCorrupted(context):
            return ConfigError(file: file, key: path(context.codingPath),
                               context.codingPath.isEmpty ? "not valid JSON (\(context.debugDescription))" : context.debugDescription)
        @unknown default:
            return ConfigError(file: file, key: nil, "\(error)")
        }
    }
}

extension ConfigError: CustomStringConvertible, LocalizedError {
    public var description: String {
        if let key { return "\(file): \"\(key)\": \(message)" }
        return "\(file): \(message)"
    }

    public var errorDescription: String? { description }
}

/// A token id or a list of them (`eos_token_id` may be either), or null.
public struct TokenIDList: Codable, Sendable, Equatable {
    /// The ids, in file order.
    public var ids: [Int]

    /// A list of ids.
    public init(_ ids: [Int]) { self.ids = ids }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            ids = []
        } else if let single = try? container.decode(Int.self) {
            ids = [single]
        } else if let list = try? container.decode([Int].self) {
            ids = list
        } else {
            throw DecodingError.typeMismatch(
                [Int].self, .init(codingPath: decoder.codingPath, debugDescription: "expected a token id or a list of token ids"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if ids.count == 1 { try container.encode(ids[0]) } else { try container.encode(ids) }
    }
}
