import Foundation

extension ChatTemplate {
    /// The chat template of a Hugging Face checkpoint directory, or nil if it has none.
    ///
    /// Looks where transformers looks: `chat_template.jinja` first (newer checkpoints save the
    /// template there, and it overrides the config), then `tokenizer_config.json`'s
    /// `chat_template`, which is either a string or a list of `{"name", "template"}` objects
    /// (the one named "default" is used).
    public static func load(directory: URL) throws -> ChatTemplate? {
        let jinjaFile = directory.appendingPathComponent("chat_template.jinja")
        if FileManager.default.fileExists(atPath: jinjaFile.path) {
            return try ChatTemplate(source: try readText(jinjaFile), name: "chat_template.jinja")
        }
        let configFile = directory.appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: configFile.path) else { return nil }
        let config = try readTokenizerConfig(configFile)
        switch config["chat_template"] {
        case nil, .null?:
            return nil
        case .string(let source)?:
            return try ChatTemplate(source: source, name: "tokenizer_config.json chat_template")
        case .array(let entries)?:
            var names: [String] = []
            for entry in entries {
                guard case .string(let name)? = entry["name"], case .string(let source)? = entry["template"] else {
                    throw ChatTemplateError.config(file: configFile.path,
                                                   message: "each entry of the chat_template list needs a string \"name\" and a string \"template\"")
                }
                if name == "default" { return try ChatTemplate(source: source, name: "tokenizer_config.json chat_template[default]") }
                names.append(name)
            }
            throw ChatTemplateError.config(file: configFile.path,
                                           message: "chat_template lists the templates \(names) but none is named \"default\"; "
                                               + "pick one and build it with ChatTemplate(source:name:)")
        default:
            throw ChatTemplateError.config(file: configFile.path,
                                           message: "chat_template must be a string or a list of {\"name\", \"template\"} objects")
        }
    }

    static func readText(_ url: URL) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ChatTemplateError.config(file: url.path, message: "cannot read the file (\(error.localizedDescription)); check that it exists and is readable")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ChatTemplateError.config(file: url.path, message: "the file is not valid UTF-8")
        }
        return text
    }

    static func readTokenizerConfig(_ url: URL) throws -> TemplateValue {
        let config = try TemplateValue(json: Data(readText(url).utf8), source: url.path)
        guard case .object = config else {
            throw ChatTemplateError.config(file: url.path, message: "the top level must be a JSON object")
        }
        return config
    }
}

/// The special-token strings of a tokenizer, as chat templates see them (`bos_token`,
/// `eos_token`, ...), read from `tokenizer_config.json`.
///
/// Each entry there is either a string or an AddedToken object `{"content": "...", ...}`.
public struct TokenizerSpecialStrings: Sendable, Equatable {
    /// `bos_token` (R1-Distill: `<｜begin▁of▁sentence｜>`; Qwen: none).
    public var bosToken: String?
    /// `eos_token`.
    public var eosToken: String?
    /// `pad_token`.
    public var padToken: String?
    /// `unk_token`.
    public var unkToken: String?

    /// Tokens given directly.
    public init(bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil, unkToken: String? = nil) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.unkToken = unkToken
    }

    /// Reads the tokens from a parsed `tokenizer_config.json`.
    public init(tokenizerConfig config: TemplateValue, source: String = "tokenizer_config.json") throws {
        func token(_ key: String) throws -> String? {
            switch config[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let value?:
                if case .string(let s)? = value["content"] { return s }
                throw ChatTemplateError.config(file: source, message: "\(key) must be a string or an object with a string \"content\"")
            }
        }
        self.init(bosToken: try token("bos_token"), eosToken: try token("eos_token"), padToken: try token("pad_token"),
                  unkToken: try token("unk_token"))
    }

    /// Reads `tokenizer_config.json` in a checkpoint directory; no file gives no tokens.
    public static func load(directory: URL) throws -> TokenizerSpecialStrings {
        let url = directory.appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return TokenizerSpecialStrings() }
        return try TokenizerSpecialStrings(tokenizerConfig: try ChatTemplate.readTokenizerConfig(url), source: url.path)
    }
}
