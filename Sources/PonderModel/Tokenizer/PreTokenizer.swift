/// The pre-tokenizers Ponder implements, keyed on the tokenizer.json `type` as tokenizers
/// does. Qwen2 and Llama-3 use `Sequence[Split(Regex, Isolated), ByteLevel(use_regex: false)]`;
/// GPT-2 uses `ByteLevel(add_prefix_space: true, use_regex: true)` alone. Any other type
/// (`Whitespace`, `Metaspace`, `Digits`, …) is refused when loading.
indirect enum PreTokenizer: Sendable {
    case split(SplitPreTokenizer)
    case byteLevel(ByteLevelPreTokenizer)
    case sequence([PreTokenizer])

    /// Builds a pre-tokenizer from its tokenizer.json object.
    static func from(_ node: JSONNode) throws -> PreTokenizer {
        let type = try node.typeName()
        switch type {
        case "Split":
            return .split(try splitFrom(node))
        case "ByteLevel":
            // serde defaults: use_regex = true; add_prefix_space as in `ByteLevel::default()`.
            let useRegex = try node.bool("use_regex", default: true)
            return .byteLevel(ByteLevelPreTokenizer(
                addPrefixSpace: try node.bool("add_prefix_space", default: true),
                regex: useRegex ? try CompiledRegex(pattern: CompiledRegex.gpt2Pattern,
                                                    file: node.file) : nil))
        case "Sequence":
            return .sequence(try node.required("pretokenizers").array().map(PreTokenizer.from))
        default:
            throw TokenizerError.unsupported(file: node.file, component: node.path,
                                             detail: "pre-tokenizer type '\(type)'")
        }
    }

    private static func splitFrom(_ node: JSONNode) throws -> SplitPreTokenizer {
        let patternNode = try node.required("pattern")
        let regex: CompiledRegex
        if let literal = patternNode.optional("String") {
            let text = try literal.string()
            // An empty literal matches between every pair of characters in Oniguruma and
            // ICU alike, but the two place empty matches differently; refuse it.
            guard !text.isEmpty else {
                throw TokenizerError.unsupported(file: node.file, component: literal.path,
                                                 detail: "an empty Split string pattern")
            }
            regex = try CompiledRegex(literal: text, file: node.file)
        } else if let pattern = patternNode.optional("Regex") {
            regex = try CompiledRegex(pattern: try pattern.string(), file: node.file)
        } else {
            throw patternNode.invalid("must be {\"String\": …} or {\"Regex\": …}")
        }
        let behaviorNode = try node.required("behavior")
        let name = try behaviorNode.string()
        guard let behavior = SplitBehavior(rawValue: name) else {
            throw TokenizerError.unsupported(file: node.file, component: behaviorNode.path,
                                             detail: "Split behavior '\(name)'")
        }
        return SplitPreTokenizer(regex: regex, behavior: behavior,
                                 invert: try node.bool("invert", default: false))
    }

    /// Splits and transforms `pieces` (each already free of added tokens) into the pieces
    /// the model encodes one by one.
    func preTokenize(_ pieces: [String]) -> [String] {
        switch self {
        case .split(let split):
            var output: [String] = []
            output.reserveCapacity(pieces.count * 4)
            for piece in pieces { split.split(piece, into: &output) }
            return output
        case .byteLevel(let byteLevel):
            var output: [String] = []
            output.reserveCapacity(pieces.count)
            for piece in pieces { byteLevel.preTokenize(piece, into: &output) }
            return output
        case .sequence(let steps):
            return steps.reduce(pieces) { $1.preTokenize($0) }
        }
    }
}
