/// Everything that can go wrong loading or using a `tokenizer.json` tokenizer.
///
/// Every case names the file it concerns (for id errors: the tokenizer file whose vocabulary
/// was asked), so a message read in a log says where to look and what to change.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not exist (or the directory has no `tokenizer.json`).
    case fileNotFound(file: String)
    /// The file exists but could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON; `offset` is the byte offset where parsing stopped.
    case malformedJSON(file: String, offset: Int, reason: String)
    /// A required field is absent; `field` is a dotted path such as `model.vocab`.
    case missingField(file: String, field: String)
    /// A field is present but holds a value of the wrong kind or an impossible value.
    case invalidField(file: String, field: String, reason: String)
    /// A component type or option that Ponder does not implement. Ponder refuses rather than
    /// silently skipping it, since skipping would change token ids.
    case unsupported(file: String, component: String, detail: String)
    /// A `Split` (or other) regular expression that ICU cannot compile.
    case invalidRegex(file: String, pattern: String, reason: String)
    /// A merge names a token that is not in `model.vocab`.
    case mergeTokenNotInVocabulary(file: String, mergeIndex: Int, token: String)
    /// A token named by content (BOS/EOS, template special token, unk) is not in the vocabulary.
    case tokenNotInVocabulary(file: String, field: String, content: String)
    /// An added token's declared id disagrees with the id huggingface/tokenizers would give it.
    case addedTokenIdMismatch(file: String, content: String, declared: Int, expected: Int)
    /// A token id that neither the vocabulary nor the added tokens define.
    case unknownTokenId(Int, file: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "\(file): file not found. A tokenizer directory needs tokenizer.json "
                + "(tokenizer_config.json is optional)."
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file (\(reason))."
        case .malformedJSON(let file, let offset, let reason):
            return "\(file): malformed JSON at byte \(offset): \(reason). "
                + "Re-download the file or re-save it with tokenizers."
        case .missingField(let file, let field):
            return "\(file): required field '\(field)' is missing."
        case .invalidField(let file, let field, let reason):
            return "\(file): field '\(field)' \(reason)."
        case .unsupported(let file, let component, let detail):
            return "\(file): \(component): \(detail) is not supported by Ponder's byte-level "
                + "BPE tokenizer. Supported: normalizers NFC/NFD/NFKC/NFKD/Sequence/null, "
                + "pre-tokenizers Split/ByteLevel/Sequence, model BPE, post-processors "
                + "TemplateProcessing/ByteLevel/Sequence, decoder ByteLevel."
        case .invalidRegex(let file, let pattern, let reason):
            return "\(file): regex \(pattern.debugDescription) does not compile: \(reason)."
        case .mergeTokenNotInVocabulary(let file, let mergeIndex, let token):
            return "\(file): model.merges[\(mergeIndex)] uses \(token.debugDescription), "
                + "which is not in model.vocab."
        case .tokenNotInVocabulary(let file, let field, let content):
            return "\(file): \(field) names \(content.debugDescription), which is neither "
                + "in model.vocab nor in added_tokens."
        case .addedTokenIdMismatch(let file, let content, let declared, let expected):
            return "\(file): added token \(content.debugDescription) declares id \(declared) "
                + "but huggingface/tokenizers would give it id \(expected); fix added_tokens."
        case .unknownTokenId(let id, let file):
            return "token id \(id) is not defined by \(file) (neither model.vocab nor "
                + "added_tokens)."
        }
    }
}
