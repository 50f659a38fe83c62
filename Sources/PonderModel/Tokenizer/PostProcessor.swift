/// The post-processors Ponder implements. They act only when encoding with special tokens.
/// `TemplateProcessing` adds BOS/EOS around the sequence (Llama-3 adds `<|begin_of_text|>`);
/// `ByteLevel` only trims offsets, which Ponder does not report, so it adds nothing;
/// `Sequence` applies its processors in order. `BertProcessing`, `RobertaProcessing` and any
/// other type are refused when loading. Only the `single` template is used: Ponder never
/// encodes sentence pairs.
indirect enum PostProcessor: Sendable, Equatable {
    /// `single`: each element is the sequence (`nil`) or the ids of a special token.
    case template([[Int]?])
    case byteLevel
    case sequence([PostProcessor])

    /// Builds a post-processor from its tokenizer.json object.
    static func from(_ node: JSONNode) throws -> PostProcessor {
        let type = try node.typeName()
        switch type {
        case "ByteLevel":
            return .byteLevel
        case "Sequence":
            return .sequence(try node.required("processors").array().map(PostProcessor.from))
        case "TemplateProcessing":
            return .template(try singleTemplate(node))
        default:
            throw TokenizerError.unsupported(file: node.file, component: node.path,
                                             detail: "post-processor type '\(type)'")
        }
    }

    private static func singleTemplate(_ node: JSONNode) throws -> [[Int]?] {
        let specialTokens = try node.required("special_tokens")
        var pieces: [[Int]?] = []
        var sawSequence = false
        for element in try node.required("single").array() {
            if let sequence = element.optional("Sequence") {
                let name = try sequence.required("id").string()
                // The single template may only refer to the one input sequence, `$A`.
                guard name == "A", !sawSequence else {
                    throw TokenizerError.unsupported(
                        file: node.file, component: sequence.path,
                        detail: "a single template with sequence '\(name)'")
                }
                sawSequence = true
                pieces.append(nil)
            } else if let special = element.optional("SpecialToken") {
                let name = try special.required("id").string()
                guard let entry = specialTokens.optional(name) else {
                    throw TokenizerError.missingField(
                        file: node.file, field: "\(specialTokens.path).\(name)")
                }
                pieces.append(try entry.required("ids").array().map { try $0.int() })
            } else {
                throw element.invalid("must be {\"Sequence\": …} or {\"SpecialToken\": …}")
            }
        }
        guard sawSequence else {
            throw node.invalid("'single' must contain the sequence $A")
        }
        return pieces
    }

    /// The template transformers 4.4x `LlamaTokenizerFast.update_post_processor` installs:
    /// `bos? $A eos?` (see engine-facts.md A5).
    static func llamaFast(bosId: Int?, eosId: Int?) -> PostProcessor {
        var pieces: [[Int]?] = []
        if let bosId { pieces.append([bosId]) }
        pieces.append(nil)
        if let eosId { pieces.append([eosId]) }
        return .template(pieces)
    }

    /// The encoding with special tokens added (when `addSpecialTokens`).
    func process(_ ids: [Int], addSpecialTokens: Bool) -> [Int] {
        guard addSpecialTokens else { return ids }
        switch self {
        case .byteLevel:
            return ids
        case .sequence(let processors):
            return processors.reduce(ids) { $1.process($0, addSpecialTokens: true) }
        case .template(let pieces):
            var output: [Int] = []
            output.reserveCapacity(ids.count + pieces.count)
            for piece in pieces {
                if let special = piece { output.append(contentsOf: special) } else {
                    output.append(contentsOf: ids)
                }
            }
            return output
        }
    }

    /// The first special token id the template puts before the sequence, if any: the BOS a
    /// tokenizer without tokenizer_config.json adds.
    var leadingSpecialId: Int? {
        switch self {
        case .byteLevel:
            return nil
        case .sequence(let processors):
            return processors.lazy.compactMap(\.leadingSpecialId).first
        case .template(let pieces):
            guard let first = pieces.first, let ids = first else { return nil }
            return ids.first
        }
    }
}
