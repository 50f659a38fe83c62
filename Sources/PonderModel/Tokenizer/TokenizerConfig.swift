import Foundation

/// The parts of transformers' tokenizer_config.json that change token ids or name the
/// BOS/EOS tokens. Everything else in the file (chat template, `added_tokens_decoder`,
/// `model_max_length`, …) is read elsewhere or does not affect encoding; tokenizer.json's
/// `added_tokens` stay authoritative.
struct TokenizerConfig: Equatable {
    /// A token named by the config: absent, explicitly null, or given by content.
    enum TokenName: Equatable {
        case absent
        case null
        case content(String)

        var content: String? {
            if case .content(let content) = self { return content }
            return nil
        }
    }

    var tokenizerClass: String?
    var addBosToken: Bool?
    var addEosToken: Bool?
    var bosToken: TokenName = .absent
    var eosToken: TokenName = .absent

    /// The classes whose fast tokenizer rebuilds its post-processor from `add_bos_token` /
    /// `add_eos_token` on load (transformers 4.4x `LlamaTokenizerFast.update_post_processor`;
    /// `AutoTokenizer` maps the slow `LlamaTokenizer` name to the fast class).
    static let llamaFastClasses: Set<String> = ["LlamaTokenizerFast", "LlamaTokenizer"]

    var isLlamaFast: Bool { tokenizerClass.map(Self.llamaFastClasses.contains) ?? false }

    static func load(_ url: URL) throws -> TokenizerConfig {
        let data = try TokenizerFile.readBytes(url)
        return try data.withUnsafeBytes { try parse($0, file: url.path) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> TokenizerConfig {
        let value = try JSONNode.readingJSON(file: file) {
            try JSONValue.parse(bytes, options: .tokenizerFile)
        }
        let root = JSONNode(value, path: "", file: file)
        guard case .object = value else { throw root.invalid("must be an object") }
        var config = TokenizerConfig()
        config.tokenizerClass = try root.optional("tokenizer_class")?.string()
        config.addBosToken = try root.optional("add_bos_token")?.bool()
        config.addEosToken = try root.optional("add_eos_token")?.bool()
        config.bosToken = try tokenName(value["bos_token"], root: root, key: "bos_token")
        config.eosToken = try tokenName(value["eos_token"], root: root, key: "eos_token")
        return config
    }

    private static func tokenName(_ value: JSONValue?, root: JSONNode, key: String) throws -> TokenName {
        guard let value else { return .absent }
        if case .null = value { return .null }
        return .content(try JSONNode(value, path: key, file: root.file).tokenContent())
    }
}
