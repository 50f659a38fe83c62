extension Tokenizer {
    /// Decodes ids to text: the bytes of all tokens joined, then UTF-8 with U+FFFD for
    /// invalid sequences (tokenizers' ByteLevel decoder). An id the tokenizer does not define
    /// throws `TokenizerError.unknownTokenId`.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids { try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the bytes token `id` stands for (nothing for a skipped special token).
    func appendBytes(of id: Int, skipSpecialTokens: Bool, to bytes: inout [UInt8]) throws {
        guard id >= 0, id < tokensById.count, let token = tokensById[id] else {
            throw TokenizerError.unknownTokenId(id, file: file)
        }
        if skipSpecialTokens && skippedWhenSkippingSpecial[id] { return }
        let start = bytes.count
        for scalar in token.unicodeScalars {
            guard let byte = ByteLevelAlphabet.byte(for: scalar) else {
                // Not a byte-level token (e.g. `<｜User｜>`): its own UTF-8 bytes.
                bytes.removeSubrange(start...)
                bytes.append(contentsOf: token.utf8)
                return
            }
            bytes.append(byte)
        }
    }
}

/// Turns generated token ids into text as they arrive, never splitting a UTF-8 character.
///
/// Byte-level tokens often hold part of a character (an emoji is 4 bytes, a CJK character 3,
/// and BPE may cut them anywhere), so decoding one token at a time garbles text
/// (mlx-swift-examples #252). This keeps a small byte buffer: each `append` adds the token's
/// bytes and returns everything except a trailing, still-unfinished character. The cost per
/// token is the token's own length, never the length of the text so far
/// (mlx-swift-examples #93). The concatenation of all returned strings plus `flush()` equals
/// `tokenizer.decode(ids, skipSpecialTokens:)`, invalid bytes (U+FFFD) included.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    /// Bytes not yet returned: at most the 3 leading bytes of an unfinished character
    /// between calls.
    private var pending: [UInt8] = []

    /// A detokenizer for `tokenizer`; `skipSpecialTokens` drops special tokens as `decode` does.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
        pending.reserveCapacity(64)
    }

    /// Adds token `id` and returns the text that is now complete (possibly empty). Throws
    /// `TokenizerError.unknownTokenId` for an id the tokenizer does not define.
    public mutating func append(_ id: Int) throws -> String {
        try tokenizer.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &pending)
        let complete = UTF8Scanning.incompleteTailStart(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeSubrange(..<complete)
        return text
    }

    /// Returns whatever is left (an unfinished character becomes U+FFFD) and empties the
    /// buffer, e.g. when generation stops.
    public mutating func flush() -> String {
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
