import Foundation

/// A byte-level BPE tokenizer loaded from a Hugging Face `tokenizer.json` (plus the optional
/// `tokenizer_config.json`), producing the same ids as huggingface/tokenizers.
///
/// Encoding follows tokenizers' pipeline: added tokens are cut out first (leftmost-longest;
/// raw-text tokens, then `normalized` tokens on the normalized text), the normalizer runs on
/// the text between them, the pre-tokenizer splits it into pieces, BPE merges each piece,
/// and with `addSpecialTokens` the post-processor adds BOS/EOS. For `LlamaTokenizerFast`
/// configs (R1-Distill) the post-processor is the one transformers 4.4x rebuilds from
/// `add_bos_token`/`add_eos_token` (engine-facts.md A5): `encode("Who are you?")` starts with
/// BOS even though tokenizer.json adds none.
///
/// Unsupported component types and options fail loading with a `TokenizerError` naming the
/// file and the component; nothing is silently skipped.
public final class Tokenizer: Sendable {
    /// The tokenizer.json path, named by errors.
    let file: String
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: BPEModel
    let postProcessor: PostProcessor?
    /// Added tokens matched on the raw text / on the normalized text.
    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    let addedIdsByContent: [TokenKey: Int]
    /// The text each id decodes from (added tokens override the vocabulary, as in tokenizers).
    let tokensById: [String?]
    /// Whether `decode(skipSpecialTokens: true)` drops the id: its content is a special token.
    let skippedWhenSkippingSpecial: [Bool]

    /// 1 + the highest id over the vocabulary and the added tokens.
    public let count: Int
    /// The BOS id: tokenizer_config.json's `bos_token` (a string or `{"content": …}`), else
    /// the special token the post-processor puts first; nil when neither names one.
    public let bosTokenId: Int?
    /// The ids of tokenizer_config.json's `eos_token`, looked up by content (empty without it).
    public let eosTokenIds: Set<Int>
    /// The ids of added tokens marked `special: true`.
    public let specialTokenIds: Set<Int>

    /// Loads `tokenizer.json` and, when present, `tokenizer_config.json` from `directory`.
    public static func load(directory: URL) throws -> Tokenizer {
        let config = directory.appendingPathComponent("tokenizer_config.json")
        return try Tokenizer(
            tokenizerFile: directory.appendingPathComponent("tokenizer.json"),
            configFile: FileManager.default.fileExists(atPath: config.path) ? config : nil)
    }

    /// Loads a tokenizer from a tokenizer.json file and an optional tokenizer_config.json.
    public init(tokenizerFile: URL, configFile: URL?) throws {
        let definition = try TokenizerFile.load(tokenizerFile)
        let config = try configFile.map(TokenizerConfig.load)
        let file = tokenizerFile.path
        self.file = file
        normalizer = definition.normalizer
        preTokenizer = definition.preTokenizer
        model = definition.model

        var addedIds: [TokenKey: Int] = [:]
        var rawPatterns: [(pattern: String, token: AddedToken)] = []
        var normalizedPatterns: [(pattern: String, token: AddedToken)] = []
        // What decode sees for each added token: a `normalized` token decodes as its
        // normalized form (tokenizers' `normalized_cache` in `simple_id_to_token`).
        var decodeForms: [(id: Int, text: String)] = []
        for token in definition.addedTokens {
            addedIds[TokenKey(token.content)] = token.id
            if token.normalized {
                let pattern = definition.normalizer?.normalize(token.content) ?? token.content
                normalizedPatterns.append((pattern, token))
                decodeForms.append((token.id, pattern))
            } else {
                rawPatterns.append((token.content, token))
                decodeForms.append((token.id, token.content))
            }
        }
        addedIdsByContent = addedIds
        rawMatcher = AddedTokenMatcher(rawPatterns)
        normalizedMatcher = AddedTokenMatcher(normalizedPatterns)

        let vocab = definition.model.vocab
        let highest = max(vocab.values.max().map(Int.init) ?? -1, addedIds.values.max() ?? -1)
        count = highest + 1
        var tokens = [String?](repeating: nil, count: count)
        for (content, id) in vocab {
            // Two tokens on one id would make decoding depend on hash order.
            if let other = tokens[Int(id)] {
                throw TokenizerError.invalidField(
                    file: file, field: "model.vocab",
                    reason: "gives id \(id) to both \(other.debugDescription) and \(content.string.debugDescription)")
            }
            tokens[Int(id)] = content.string
        }
        for (id, text) in decodeForms { tokens[id] = text }
        tokensById = tokens

        // decode(skipSpecialTokens:) drops an id when the text it decodes from is the
        // content of a special token (tokenizers' `is_special_token` on that text): the
        // special added tokens themselves, and any vocabulary entry spelled the same.
        let specialTokens = definition.addedTokens.filter(\.special)
        specialTokenIds = Set(specialTokens.map(\.id))
        let specialContents = Set(specialTokens.map { TokenKey($0.content) })
        var skipped = [Bool](repeating: false, count: count)
        var candidates = decodeForms.map(\.id)
        candidates += specialContents.compactMap { vocab[$0].map(Int.init) }
        for id in candidates {
            if let text = tokens[id], specialContents.contains(TokenKey(text)) { skipped[id] = true }
        }
        skippedWhenSkippingSpecial = skipped

        func lookUp(_ content: String, field: String, in file: String) throws -> Int {
            let key = TokenKey(content)
            guard let id = addedIds[key] ?? vocab[key].map(Int.init) else {
                throw TokenizerError.tokenNotInVocabulary(file: file, field: field, content: content)
            }
            return id
        }
        let configPath = configFile?.path ?? file
        let bosId = try config?.bosToken.content.map { try lookUp($0, field: "bos_token", in: configPath) }
        let eosId = try config?.eosToken.content.map { try lookUp($0, field: "eos_token", in: configPath) }
        eosTokenIds = eosId.map { [$0] } ?? []

        if let config, config.isLlamaFast {
            // transformers' constructor defaults: add_bos_token true, add_eos_token false,
            // bos_token "<s>", eos_token "</s>" when the config does not say.
            let addBos = config.addBosToken ?? true
            let addEos = config.addEosToken ?? false
            func required(_ name: TokenizerConfig.TokenName, default fallback: String,
                          field: String) throws -> Int {
                switch name {
                case .content(let content): return try lookUp(content, field: field, in: configPath)
                case .absent: return try lookUp(fallback, field: field, in: configPath)
                case .null:
                    throw TokenizerError.invalidField(
                        file: configPath, field: field,
                        reason: "is null but add_\(field) is true; name the token or set add_\(field) to false")
                }
            }
            let bos = addBos ? try required(config.bosToken, default: "<s>", field: "bos_token") : nil
            let eos = addEos ? try required(config.eosToken, default: "</s>", field: "eos_token") : nil
            postProcessor = .llamaFast(bosId: bos, eosId: eos)
            bosTokenId = bosId ?? bos
        } else {
            postProcessor = definition.postProcessor
            bosTokenId = bosId ?? definition.postProcessor?.leadingSpecialId
        }
    }

    /// Encodes `text` into token ids; with `addSpecialTokens` the post-processor adds BOS/EOS.
    /// Added tokens in the text (`<|im_start|>`, `<think>`) are always matched as one id.
    /// Encode rendered chat templates with `addSpecialTokens: false`: they already hold BOS.
    public func encode(_ text: String, addSpecialTokens: Bool = true) throws -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        var workspace = BPEWorkspace()
        for segment in rawMatcher.split(text) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let raw):
                let normalized = normalizer?.normalize(raw) ?? raw
                for inner in normalizedMatcher.split(normalized) {
                    switch inner {
                    case .token(let id):
                        ids.append(id)
                    case .text(let run):
                        let pieces = preTokenizer?.preTokenize([run]) ?? [run]
                        for piece in pieces {
                            model.tokenize(piece, into: &ids, workspace: &workspace)
                        }
                    }
                }
            }
        }
        return postProcessor?.process(ids, addSpecialTokens: addSpecialTokens) ?? ids
    }

    /// The id of a token given by content: an added token or a vocabulary entry.
    public func id(forToken content: String) -> Int? {
        let key = TokenKey(content)
        return addedIdsByContent[key] ?? model.vocab[key].map(Int.init)
    }

    /// The text of token `id` as tokenizers' `id_to_token` gives it (byte-level alphabet for
    /// vocabulary tokens, e.g. `Ġthe`; the normalized content for a `normalized` added
    /// token), or nil for an undefined id.
    public func token(forId id: Int) -> String? {
        guard id >= 0, id < tokensById.count else { return nil }
        return tokensById[id]
    }
}
