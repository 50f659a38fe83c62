/// How tokenizer files are read: serde_json, deserializing into maps, keeps the last of a
/// repeated key; nesting is never deep in a legitimate tokenizer file.
extension JSONParseOptions {
    static let tokenizerFile = JSONParseOptions(duplicateKeys: .keepLast, maximumDepth: 256)
}

/// A `JSONValue` from a tokenizer file together with the file and the dotted path it came
/// from, so that every typed accessor can throw an error naming both
/// (`tokenizer.json: field 'pre_tokenizer.pretokenizers[0].behavior' …`). Only the small
/// irregular parts of tokenizer files become trees: the vocabulary and merges are streamed
/// by `JSONReader` straight into typed tables (engine-facts A8).
struct JSONNode {
    let value: JSONValue
    let path: String
    let file: String

    init(_ value: JSONValue, path: String, file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    var isNull: Bool { value.isNull }

    /// Runs `body`, turning a `JSONParseError` into `TokenizerError.malformedJSON` naming
    /// `file`; the tokenizer's own errors pass through.
    static func readingJSON<T>(file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as JSONParseError {
            throw TokenizerError.malformedJSON(file: file, offset: error.offset, reason: error.reason)
        }
    }

    private func childPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The member `key`, or nil when it is absent or `null` (tokenizers treats both alike
    /// for optional fields).
    func optional(_ key: String) -> JSONNode? {
        guard let child = value[key], !child.isNull else { return nil }
        return JSONNode(child, path: childPath(key), file: file)
    }

    /// The member `key`; absent or `null` is a `missingField` error.
    func required(_ key: String) throws -> JSONNode {
        guard case .object = value else { throw invalid("must be an object") }
        guard let child = optional(key) else {
            throw TokenizerError.missingField(file: file, field: childPath(key))
        }
        return child
    }

    func invalid(_ reason: String) -> TokenizerError {
        .invalidField(file: file, field: path.isEmpty ? "(top level)" : path, reason: reason)
    }

    func string() throws -> String {
        guard case .string(let string) = value else { throw invalid("must be a string") }
        return string
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw invalid("must be true or false") }
        return flag
    }

    func int() throws -> Int {
        guard let integer = value.integerValue else { throw invalid("must be an integer") }
        return integer
    }

    func double() throws -> Double {
        guard let number = value.doubleValue, number.isFinite else { throw invalid("must be a finite number") }
        return number
    }

    func array() throws -> [JSONNode] {
        guard case .array(let elements) = value else { throw invalid("must be an array") }
        return elements.enumerated().map { index, element in
            JSONNode(element, path: "\(path)[\(index)]", file: file)
        }
    }

    /// The members of an object, sorted by key so that iteration order is deterministic.
    func members() throws -> [(key: String, node: JSONNode)] {
        guard case .object(let members) = value else { throw invalid("must be an object") }
        return members.sorted { $0.key < $1.key }.map { member in
            (member.key, JSONNode(member.value, path: childPath(member.key), file: file))
        }
    }

    /// An optional boolean member with a default for absent/null.
    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        try optional(key)?.bool() ?? defaultValue
    }

    /// The `type` member that keys every tokenizers component.
    func typeName() throws -> String {
        try required("type").string()
    }

    /// A token given either as a plain string or as an AddedToken-like `{"content": ...}`
    /// dictionary (both appear in tokenizer_config.json for `bos_token`/`eos_token`).
    func tokenContent() throws -> String {
        switch value {
        case .string(let content):
            return content
        case .object:
            return try required("content").string()
        default:
            throw invalid("must be a string or an object with 'content'")
        }
    }
}
