import Foundation

/// A user task's problem data: any `Codable` value, kept as canonical JSON (sorted keys) so
/// that problems stay `Hashable`, `Codable` and `Sendable` whatever the task stores.
///
/// Ponder never looks inside: only the task that made a payload reads it back, with
/// `Problem.payload(as:)`.
public struct ProblemPayload: Sendable, Hashable, Codable {
    /// The value as JSON text with sorted keys.
    public let json: String

    /// Encodes `value`.
    /// - Throws: `TaskError.invalidConfiguration` when the value cannot be encoded as JSON.
    public init<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            json = String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw TaskError.invalidConfiguration("cannot encode a \(Value.self) problem payload as JSON: \(error)")
        }
    }

    /// Decodes the payload as `Value`, or nil when it is not one.
    public func decode<Value: Decodable>(_ type: Value.Type) -> Value? {
        try? JSONDecoder().decode(Value.self, from: Data(json.utf8))
    }
}

extension Problem {
    /// A problem of a task written outside Ponder, carrying `payload` (the task's own
    /// `Codable` description of the problem).
    public init<Payload: Encodable>(id: String, split: Split, difficulty: Difficulty, payload: Payload) throws {
        self.init(id: id, split: split, difficulty: difficulty, content: .custom(try ProblemPayload(payload)))
    }

    /// The payload a user task stored, decoded as `Payload`.
    /// - Throws: `TaskError.wrongProblemKind` naming `task` when this problem carries
    ///   something else (a built-in task's problem, or another task's payload).
    public func payload<Payload: Decodable>(as type: Payload.Type, task: String) throws -> Payload {
        guard case .custom(let payload) = content, let value = payload.decode(Payload.self) else {
            throw TaskError.wrongProblemKind(task: task, problemID: id)
        }
        return value
    }
}
