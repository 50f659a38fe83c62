import Foundation
import PonderModel

/// Writes a trained model as a Hugging Face checkpoint directory: `config.json` (hub form,
/// with `architectures`), `model.safetensors` (fp32, HF tensor names), `tokenizer.json`,
/// `tokenizer_config.json` and `generation_config.json` (greedy, stopping at EOS).
/// `TransformerModel.load`, `PretrainedModel.load` and transformers' `AutoModelForCausalLM`
/// / `AutoTokenizer` all read it.
public enum CheckpointExport {
    /// Writes every file into `directory` (created if needed); each file is written
    /// atomically. The tokenizer files are copied from `tokenizerDirectory`.
    public static func write(parameters: ModelParameters, tokenizer: Tokenizer, tokenizerDirectory: String,
                             to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainError.writeFailed(file: directory, reason: error.localizedDescription)
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try writeText(try configJSON(parameters.config), to: path("config.json"))
        try parameters.weights.write(to: path(SafeTensorsCheckpoint.singleFileName), config: parameters.config,
                                     architecture: parameters.architecture)
        for name in ["tokenizer.json", "tokenizer_config.json"] {
            let source = (tokenizerDirectory as NSString).appendingPathComponent(name), target = path(name)
            guard source != target else { continue }
            do {
                try writeData(try Data(contentsOf: URL(fileURLWithPath: source)), to: target)
            } catch let error as TrainError {
                throw error
            } catch {
                throw TrainError.writeFailed(file: target, reason: "cannot copy \(source): \(error.localizedDescription)")
            }
        }
        let eos = tokenizer.eosTokenIds.min() ?? 0
        let bos = tokenizer.bosTokenId ?? eos
        let pad = tokenizer.id(forToken: SmallModelVocabulary.pad) ?? eos
        try writeText("{\n  \"bos_token_id\": \(bos),\n  \"eos_token_id\": \(eos),\n  \"pad_token_id\": \(pad),\n  \"do_sample\": false\n}\n",
                      to: path("generation_config.json"))
    }

    /// config.json: `ModelConfig`'s hub form plus `architectures`, pretty-printed with sorted
    /// keys so rewriting the same model gives the same bytes.
    static func configJSON(_ config: ModelConfig) throws -> String {
        let data = try JSONEncoder().encode(config)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TrainError.writeFailed(file: "config.json", reason: "the model config did not encode to an object")
        }
        object["architectures"] = [config.modelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"]
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: pretty, as: UTF8.self) + "\n"
    }

    /// Writes `text` atomically.
    static func writeText(_ text: String, to path: String) throws {
        try writeData(Data(text.utf8), to: path)
    }

    /// Writes `data` atomically.
    static func writeData(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrainError.writeFailed(file: path, reason: error.localizedDescription)
        }
    }
}
