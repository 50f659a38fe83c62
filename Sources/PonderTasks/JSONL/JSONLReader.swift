import Foundation
import PonderModel

/// One JSON object read from a line of a JSONL file, with typed field accessors whose errors
/// name the file, the line, the field and what was expected.
public struct JSONLLine: Sendable {
    /// The file as the user named it.
    public let file: String
    /// 1-based line number.
    public let number: Int
    /// The line's members by name.
    public let object: [String: JSONValue]

    /// A `TaskError.malformedLine` at this line.
    public func error(_ message: String) -> TaskError {
        .malformedLine(file: file, line: number, message: message)
    }

    /// The field's value, or nil when it is absent or JSON `null`.
    public func optional(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    /// An integer field.
    public func int(_ key: String) throws -> Int {
        guard let value = optional(key) else { throw missing(key, "an integer") }
        guard let i = value.integerValue else { throw wrongKind(key, value, "an integer") }
        return i
    }

    /// An array-of-integers field.
    public func intArray(_ key: String) throws -> [Int] {
        guard let value = optional(key) else { throw missing(key, "an array of integers") }
        guard case .array(let items) = value else { throw wrongKind(key, value, "an array of integers") }
        return try items.enumerated().map { index, item in
            guard let i = item.integerValue else {
                throw error("expected field \"\(key)\" to be an array of integers, but element \(index + 1) is \(item.kindDescription) (\(item))")
            }
            return i
        }
    }

    /// A text field (strings, or numbers written as text).
    public func text(_ key: String) throws -> String {
        guard let value = optional(key) else { throw missing(key, "a string") }
        guard let s = value.textValue else { throw wrongKind(key, value, "a string") }
        return s
    }

    /// An optional text field: nil when absent, an error when present with the wrong kind.
    public func optionalText(_ key: String) throws -> String? {
        guard let value = optional(key) else { return nil }
        guard let s = value.textValue else { throw wrongKind(key, value, "a string") }
        return s
    }

    private func missing(_ key: String, _ expected: String) -> TaskError {
        let present = object.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        return error("missing field \"\(key)\" (expected \(expected)); the line has \(present.isEmpty ? "no fields" : present)")
    }

    private func wrongKind(_ key: String, _ value: JSONValue, _ expected: String) -> TaskError {
        error("expected field \"\(key)\" to be \(expected), found \(value.kindDescription)")
    }
}

/// Reads JSONL files: one JSON object per line; blank lines are skipped.
public enum JSONLReader {
    /// Every object of the file at `url`, in order.
    /// - Throws: `TaskError.io` when the file cannot be read or is not UTF-8;
    ///   `TaskError.malformedLine` (`file:line: …`) for a line that is not a JSON object.
    public static func read(_ url: URL) throws -> [JSONLLine] {
        let name = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TaskError.io(file: name, message: "cannot read the file (\(error.localizedDescription)); check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaskError.io(file: name, message: "the file is not UTF-8 text; JSONL files must be UTF-8")
        }
        return try parse(text, file: name)
    }

    /// Parses JSONL `text`; `file` names it in errors. A key repeated within one line is an
    /// error: Python would keep the last value and other readers the first.
    public static func parse(_ text: String, file: String) throws -> [JSONLLine] {
        var lines: [JSONLLine] = []
        var number = 0
        // "\r\n" is one Character in Swift, so split on both forms of line end.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(Array(line.utf8), options: lineOptions)
            } catch let error as JSONParseError {
                throw TaskError.malformedLine(file: file, line: number,
                    message: "not valid JSON (\(error)); each line must be one JSON object such as {\"numbers\": [3, 5, 7], \"target\": 24}")
            }
            guard case .object(let members) = value else {
                throw TaskError.malformedLine(file: file, line: number,
                    message: "expected a JSON object {…}, found \(value.kindDescription)")
            }
            // Keys that differ only in Unicode normalization are one Swift key: keep the first.
            let object = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            lines.append(JSONLLine(file: file, number: number, object: object))
        }
        return lines
    }

    /// Strict JSON, repeated keys refused; a byte-order mark before the first line is skipped.
    private static let lineOptions = JSONParseOptions(duplicateKeys: .reject, skipsByteOrderMark: true)
}
