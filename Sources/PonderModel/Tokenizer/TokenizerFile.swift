import Foundation

/// Everything a tokenizer.json defines, parsed and validated. The vocabulary and merges are
/// streamed from the bytes straight into typed tables; only the small component objects
/// become `JSONValue` trees.
struct TokenizerFile {
    var addedTokens: [AddedToken]
    var normalizer: Normalizer?
    var preTokenizer: PreTokenizer?
    var postProcessor: PostProcessor?
    var model: BPEModel

    /// Reads a file into memory (mapped when the platform allows), mapping the failures to
    /// typed errors that name it.
    static func readBytes(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TokenizerError.fileNotFound(file: url.path)
        }
        do {
            return try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw TokenizerError.unreadable(file: url.path, reason: error.localizedDescription)
        }
    }

    static func load(_ url: URL) throws -> TokenizerFile {
        let data = try readBytes(url)
        return try data.withUnsafeBytes { try parse($0, file: url.path) }
    }

    /// The raw model fields, before validation.
    private struct RawModel {
        var vocab: [TokenKey: Int32]?
        var merges: [(String, String)]?
        var options: [(key: String, value: JSONValue)] = []
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> TokenizerFile {
        var components: [(key: String, value: JSONValue)] = []
        var model: RawModel?
        try JSONNode.readingJSON(file: file) {
            var reader = JSONReader(bytes: bytes, options: .tokenizerFile)
            try reader.readObject { reader, key in
                if key == "model" {
                    model = try readModel(&reader, file: file)
                } else {
                    components.append((key, try reader.readValue()))
                }
            }
            try reader.expectEnd()
        }
        // A repeated key stays in the list; lookups take the last, as serde_json's map does.
        let root = JSONNode(.object(components), path: "", file: file)

        if let version = root.optional("version"), try version.string() != "1.0" {
            throw TokenizerError.unsupported(file: file, component: "version",
                                             detail: "tokenizer.json version '\(try version.string())'")
        }
        for option in ["truncation", "padding"] where root.optional(option) != nil {
            throw TokenizerError.unsupported(
                file: file, component: option,
                detail: "a non-null '\(option)' (set it to null; Ponder never truncates or pads)")
        }
        guard let model else { throw TokenizerError.missingField(file: file, field: "model") }
        let bpe = try buildModel(model, file: file)
        let normalizer = try root.optional("normalizer").map(Normalizer.from)
        let preTokenizer = try root.optional("pre_tokenizer").map(PreTokenizer.from)
        let postProcessor = try root.optional("post_processor").map(PostProcessor.from)
        try checkDecoder(root.optional("decoder"), file: file)
        let addedTokens = try parseAddedTokens(root.optional("added_tokens"), vocab: bpe.vocab,
                                               file: file)
        return TokenizerFile(addedTokens: addedTokens, normalizer: normalizer,
                             preTokenizer: preTokenizer, postProcessor: postProcessor, model: bpe)
    }

    private static func readModel(_ reader: inout JSONReader, file: String) throws -> RawModel {
        var model = RawModel()
        try reader.readObject { reader, key in
            switch key {
            case "vocab":
                var vocab: [TokenKey: Int32] = [:]
                vocab.reserveCapacity(1 << 16)
                try reader.readObject { reader, token in
                    let id = try reader.readInt()
                    guard (0...Int(Int32.max)).contains(id) else {
                        throw TokenizerError.invalidField(
                            file: file, field: "model.vocab.\(token)",
                            reason: "must be a non-negative 32-bit id, not \(id)")
                    }
                    vocab[TokenKey(token)] = Int32(id)
                }
                model.vocab = vocab
            case "merges":
                var merges: [(String, String)] = []
                merges.reserveCapacity(1 << 16)
                try reader.readArray { reader in
                    merges.append(try readMerge(&reader, index: merges.count, file: file))
                }
                model.merges = merges
            default:
                model.options.append((key, try reader.readValue()))
            }
        }
        return model
    }

    /// One merge, in the legacy `"a b"` form (split on the single U+0020, which byte-level
    /// vocabularies never contain) or the `["a", "b"]` form of tokenizers ≥ 0.20.
    private static func readMerge(_ reader: inout JSONReader, index: Int,
                                  file: String) throws -> (String, String) {
        let field = "model.merges[\(index)]"
        if try reader.peek() == UInt8(ascii: "\"") {
            let line = try reader.readString()
            // Split on scalars: a space followed by a combining mark is one Character.
            let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
            guard parts.count == 2 else {
                throw TokenizerError.invalidField(
                    file: file, field: field,
                    reason: "must be two tokens separated by one space, not \(line.debugDescription)")
            }
            return (parts[0], parts[1])
        }
        var parts: [String] = []
        try reader.readArray { reader in parts.append(try reader.readString()) }
        guard parts.count == 2 else {
            throw TokenizerError.invalidField(file: file, field: field,
                                              reason: "must be a pair of strings")
        }
        return (parts[0], parts[1])
    }

    private static func buildModel(_ raw: RawModel, file: String) throws -> BPEModel {
        let node = JSONNode(.object(raw.options), path: "model", file: file)
        if let type = node.optional("type"), try type.string() != "BPE" {
            throw TokenizerError.unsupported(file: file, component: "model",
                                             detail: "model type '\(try type.string())'")
        }
        guard let vocab = raw.vocab else {
            throw TokenizerError.missingField(file: file, field: "model.vocab")
        }
        guard let merges = raw.merges else {
            throw TokenizerError.missingField(file: file, field: "model.merges")
        }
        if let dropout = node.optional("dropout"), try dropout.double() != 0 {
            throw TokenizerError.unsupported(file: file, component: "model.dropout",
                                             detail: "BPE dropout (random merges at encode time)")
        }
        for affix in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = node.optional(affix), try !value.string().isEmpty {
                throw TokenizerError.unsupported(file: file, component: "model.\(affix)",
                                                 detail: "a non-empty \(affix)")
            }
        }
        if try node.bool("byte_fallback", default: false) {
            throw TokenizerError.unsupported(
                file: file, component: "model.byte_fallback",
                detail: "byte_fallback: true (a SentencePiece-style model, not byte-level BPE)")
        }
        return try BPEModel(vocab: vocab, mergePairs: merges,
                            ignoreMerges: try node.bool("ignore_merges", default: false),
                            unkToken: try node.optional("unk_token")?.string(),
                            fuseUnk: try node.bool("fuse_unk", default: false), file: file)
    }

    /// Only the ByteLevel decoder is implemented: it is what every byte-level BPE ships with.
    private static func checkDecoder(_ node: JSONNode?, file: String) throws {
        guard let node else {
            throw TokenizerError.unsupported(file: file, component: "decoder",
                                             detail: "a null decoder (expected ByteLevel)")
        }
        let type = try node.typeName()
        guard type == "ByteLevel" else {
            throw TokenizerError.unsupported(file: file, component: "decoder",
                                             detail: "decoder type '\(type)'")
        }
    }

    /// Parses `added_tokens` and checks each declared id against the id tokenizers assigns
    /// on load (`AddedVocabulary::add_tokens`): the existing id for content already added or
    /// in the vocabulary, otherwise the next id after the vocabulary and earlier added tokens.
    private static func parseAddedTokens(_ node: JSONNode?, vocab: [TokenKey: Int32],
                                         file: String) throws -> [AddedToken] {
        guard let node else { return [] }
        var tokens: [AddedToken] = []
        var assigned: [TokenKey: Int] = [:]
        var maxAssigned: Int?
        for entry in try node.array() {
            let special = try entry.bool("special", default: false)
            let token = AddedToken(
                id: try entry.required("id").int(),
                content: try entry.required("content").string(),
                singleWord: try entry.bool("single_word", default: false),
                lstrip: try entry.bool("lstrip", default: false),
                rstrip: try entry.bool("rstrip", default: false),
                normalized: try entry.bool("normalized", default: !special),
                special: special)
            if token.content.isEmpty { continue }  // tokenizers ignores empty added tokens
            let expected: Int
            let key = TokenKey(token.content)
            if let id = assigned[key] ?? vocab[key].map(Int.init) {
                expected = id
            } else if let maxAssigned, maxAssigned >= vocab.count || vocab.isEmpty {
                expected = maxAssigned + 1
            } else {
                expected = vocab.count
            }
            guard expected == token.id else {
                throw TokenizerError.addedTokenIdMismatch(file: file, content: token.content,
                                                          declared: token.id, expected: expected)
            }
            assigned[key] = expected
            maxAssigned = max(maxAssigned ?? expected, expected)
            tokens.append(token)
        }
        return tokens
    }
}
