/// How `JSONReader` treats the places where JSON readers in the wild disagree.
///
/// The defaults are strict RFC 8259 with repeated keys refused — what safetensors headers
/// need, since a header that names one tensor twice is a polyglot-file trick. Callers that
/// must accept what Python's `json.loads` accepts (chat-template data) relax them.
public struct JSONParseOptions: Sendable, Equatable {
    /// What a tree built by `JSONReader.readValue()` does with a key that repeats in one
    /// object. Keys compare by their exact Unicode scalars, as in Python and serde_json (not
    /// by Swift's canonical equivalence, under which `"é"` and `"e\u{301}"` would be equal).
    public enum DuplicateKeys: Sendable, Equatable {
        /// Throw a `JSONParseError` ("duplicate key …") at the repeated key.
        case reject
        /// Keep the last value at the first key's position, as Python's `dict` does.
        case keepLast
    }

    /// The policy for repeated object keys (trees only: `readObject` hands every member to
    /// its body, repeats included).
    public var duplicateKeys: DuplicateKeys
    /// Containers nested deeper than this are refused, so a hostile `[[[[…` cannot exhaust
    /// the stack.
    public var maximumDepth: Int
    /// Accept Python's `NaN`, `Infinity` and `-Infinity` as numbers (kept as that literal
    /// text; `Double(_:)` reads all three).
    public var allowsNonFiniteNumbers: Bool
    /// Skip a UTF-8 byte-order mark at the very start of the input (editors on Windows write one).
    public var skipsByteOrderMark: Bool

    /// Options; the defaults are `strict`.
    public init(duplicateKeys: DuplicateKeys = .reject, maximumDepth: Int = 128,
                allowsNonFiniteNumbers: Bool = false, skipsByteOrderMark: Bool = false) {
        self.duplicateKeys = duplicateKeys
        self.maximumDepth = maximumDepth
        self.allowsNonFiniteNumbers = allowsNonFiniteNumbers
        self.skipsByteOrderMark = skipsByteOrderMark
    }

    /// RFC 8259 only, repeated keys refused, nesting up to 128 containers.
    public static let strict = JSONParseOptions()
}

/// Why a JSON text could not be read: a syntax error, invalid UTF-8 in a string, nesting too
/// deep, a repeated key under `.reject`, or a value of another shape than a typed read
/// (`readInt`, `readString`) asked for.
///
/// It names no file: callers wrap it into their own error that does (`SafeTensorsError`,
/// `TokenizerError.malformedJSON`, `ChatTemplateError.config`, `TaskError.malformedLine`).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset of the problem in the input.
    public let offset: Int
    /// What was wrong there.
    public let reason: String

    /// An error at byte `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// "reason at byte N".
    public var description: String { "\(reason) at byte \(offset)" }
}
