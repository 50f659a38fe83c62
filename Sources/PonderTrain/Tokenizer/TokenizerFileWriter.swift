import Foundation

/// Writes a trained byte-level BPE as Hugging Face `tokenizer.json` and
/// `tokenizer_config.json`, which both `tokenizers`/`transformers` and Ponder's `Tokenizer`
/// load with the same ids.
///
/// The pipeline is Qwen2's (what transformers rebuilds for `qwen2` checkpoints): NFC; pre-tokenizer
/// `Sequence[Split(Regex, Isolated), ByteLevel(add_prefix_space: false, use_regex: false)]`;
/// a `BPE` model; a `TemplateProcessing` post-processor that puts BOS first when special
/// tokens are added; a `ByteLevel` decoder. Output is deterministic (fixed key order, vocab
/// by id) so a retrained tokenizer can be compared byte for byte.
public struct TokenizerFileWriter: Sendable {
    /// The tokenizer to write.
    public var bpe: TrainedBPE
    /// The BOS token's content (an added token), put first by the post-processor.
    public var bosToken: String
    /// The EOS token's content (an added token).
    public var eosToken: String
    /// The padding token's content (an added token).
    public var padToken: String
    /// `model_max_length` for tokenizer_config.json.
    public var modelMaxLength: Int

    /// A writer; throws unless BOS, EOS and PAD are added tokens of `bpe`.
    public init(bpe: TrainedBPE, bosToken: String, eosToken: String, padToken: String, modelMaxLength: Int) throws {
        for (key, token) in [("bos_token", bosToken), ("eos_token", eosToken), ("pad_token", padToken)]
        where !bpe.addedTokens.contains(where: { $0.content == token }) {
            throw TrainError.invalidSetting(key: key, reason: "\"\(token)\" is not one of the added tokens")
        }
        self.bpe = bpe
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.modelMaxLength = modelMaxLength
    }

    /// The id of an added token.
    public func id(of content: String) -> Int? {
        bpe.addedTokens.firstIndex { $0.content == content }
    }

    /// The tokenizer.json text.
    public func tokenizerJSON() -> String {
        let bos = id(of: bosToken) ?? 0
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [\n"
        out += bpe.addedTokens.enumerated().map { id, token in
            "    {\"id\": \(id), \"content\": \(Self.quoted(token.content)), \"single_word\": false, \"lstrip\": false, "
                + "\"rstrip\": false, \"normalized\": false, \"special\": \(token.special)}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"normalizer\": {\"type\": \"NFC\"},\n"
        out += "  \"pre_tokenizer\": {\"type\": \"Sequence\", \"pretokenizers\": [\n"
        out += "    {\"type\": \"Split\", \"pattern\": {\"Regex\": \(Self.quoted(bpe.splitPattern))}, \"behavior\": \"Isolated\", \"invert\": false},\n"
        out += "    {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false}\n  ]},\n"
        let bosText = Self.quoted(bosToken)
        out += "  \"post_processor\": {\"type\": \"TemplateProcessing\",\n"
        out += "    \"single\": [{\"SpecialToken\": {\"id\": \(bosText), \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}],\n"
        out += "    \"pair\": [{\"SpecialToken\": {\"id\": \(bosText), \"type_id\": 0}}, {\"Sequence\": {\"id\": \"A\", \"type_id\": 0}}, "
            + "{\"Sequence\": {\"id\": \"B\", \"type_id\": 1}}],\n"
        out += "    \"special_tokens\": {\(bosText): {\"id\": \(bosText), \"ids\": [\(bos)], \"tokens\": [\(bosText)]}}},\n"
        out += "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": false, \"use_regex\": false},\n"
        out += "  \"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, \"continuing_subword_prefix\": null, "
            + "\"end_of_word_suffix\": null, \"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\": false,\n"
        out += "    \"vocab\": {\n"
        out += bpe.vocabulary.enumerated().map { id, token in "      \(Self.quoted(token)): \(id)" }.joined(separator: ",\n")
        out += "\n    },\n    \"merges\": [\n"
        out += bpe.merges.map { "      [\(Self.quoted($0.0)), \(Self.quoted($0.1))]" }.joined(separator: ",\n")
        out += "\n    ]\n  }\n}\n"
        return out
    }

    /// The tokenizer_config.json text: the fast-tokenizer class, the BOS/EOS/PAD names and
    /// every added token, so `AutoTokenizer` needs no other file.
    public func tokenizerConfigJSON() -> String {
        var out = "{\n  \"tokenizer_class\": \"PreTrainedTokenizerFast\",\n"
        out += "  \"bos_token\": \(Self.quoted(bosToken)),\n  \"eos_token\": \(Self.quoted(eosToken)),\n"
        out += "  \"pad_token\": \(Self.quoted(padToken)),\n"
        out += "  \"model_max_length\": \(modelMaxLength),\n  \"clean_up_tokenization_spaces\": false,\n"
        out += "  \"added_tokens_decoder\": {\n"
        out += bpe.addedTokens.enumerated().map { id, token in
            "    \"\(id)\": {\"content\": \(Self.quoted(token.content)), \"lstrip\": false, \"normalized\": false, "
                + "\"rstrip\": false, \"single_word\": false, \"special\": \(token.special)}"
        }.joined(separator: ",\n")
        out += "\n  }\n}\n"
        return out
    }

    /// Writes both files into `directory` (created if needed), each atomically.
    public func write(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainError.writeFailed(file: directory, reason: error.localizedDescription)
        }
        for (name, text) in [("tokenizer.json", tokenizerJSON()), ("tokenizer_config.json", tokenizerConfigJSON())] {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw TrainError.writeFailed(file: path, reason: error.localizedDescription)
            }
        }
    }

    /// A JSON string literal (control characters escaped; everything else written as UTF-8).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
