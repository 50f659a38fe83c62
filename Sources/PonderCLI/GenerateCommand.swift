import ArgumentParser
import Foundation
import Ponder

/// `ponder generate`: run a checkpoint on a prompt and print the continuation.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation from a Hugging Face Qwen2/Llama checkpoint.",
        discussion: """
        Sampling defaults come from the checkpoint's generation_config.json (greedy when it has \
        none or do_sample is false); flags override them. --temperature 0 is greedy. Generation \
        stops at any EOS id of config.json or generation_config.json, or after --max-new-tokens.
        """)

    @Option(name: .long, help: "Checkpoint directory (config.json + *.safetensors).")
    var model: String

    @Option(name: .customLong("prompt-tokens"), help: "Prompt as comma-separated token ids, e.g. 1,2,3.")
    var promptTokens: String?

    @Option(name: .long, help: "Prompt text, encoded with the checkpoint's tokenizer.")
    var prompt: String?

    @Flag(name: .long, help: "Wrap --prompt in the checkpoint's chat template.")
    var chat = false

    @Option(name: .customLong("max-new-tokens"), help: "Most tokens to generate.")
    var maxNewTokens = 64

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float?

    @Option(name: .customLong("top-k"), help: "Keep only the k most likely tokens.")
    var topK: Int?

    @Option(name: .customLong("top-p"), help: "Nucleus sampling mass in (0, 1].")
    var topP: Float?

    @Option(name: .long, help: "Random seed (sampling is reproducible per seed).")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Print one JSON object: prompt_tokens, tokens, logprobs, text, stop_reason.")
    var json = false

    func validate() throws {
        switch (prompt, promptTokens) {
        case (nil, nil): throw ValidationError("give the prompt with --prompt TEXT or --prompt-tokens 1,2,3")
        case (.some, .some): throw ValidationError("give either --prompt or --prompt-tokens, not both")
        case (nil, let tokens?):
            if chat { throw ValidationError("--chat renders --prompt TEXT through the chat template; it does not apply to --prompt-tokens") }
            _ = try TokenIDList.parse(tokens, option: "--prompt-tokens", allowsEmpty: false)
        case (.some, nil): break
        }
        guard maxNewTokens >= 0 else { throw ValidationError("--max-new-tokens must be 0 or more") }
        if let temperature, !(temperature >= 0 && temperature.isFinite) {
            throw ValidationError("--temperature must be a finite number ≥ 0")
        }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
    }

    func run() throws {
        let started = Date()
        let pretrained = try PretrainedModel.load(directory: model)
        let loadSeconds = Date().timeIntervalSince(started)
        let tokens: [Int]
        if let prompt {
            tokens = try pretrained.encodePrompt(prompt, chat: chat)
        } else {
            tokens = try TokenIDList.parse(promptTokens ?? "", option: "--prompt-tokens", allowsEmpty: false)
        }
        // Text streams through a byte-buffered detokenizer so CJK and emoji never split; a
        // checkpoint without a tokenizer streams ids instead.
        var detokenizer = pretrained.tokenizer.map { StreamingDetokenizer(tokenizer: $0, skipSpecialTokens: true) }
        var streamError: Error?

        var sampling = pretrained.defaultSampling
        if let temperature { sampling.temperature = temperature }
        if let topK { sampling.topK = topK }
        if let topP { sampling.topP = topP < 1 ? topP : nil }
        let options = GenerationOptions(maxNewTokens: maxNewTokens, sampling: sampling,
                                        stopTokenIds: pretrained.eosTokenIds)
        var rng = SeededRNG(seed: seed)
        let generationStart = Date()
        var firstTokenAt: Date?
        let streaming = !json
        let result = try pretrained.model.generate(prompt: tokens, options: options, rng: &rng) { token in
            if firstTokenAt == nil { firstTokenAt = Date() }
            if streaming {
                if detokenizer != nil {
                    do {
                        let piece = try detokenizer?.append(token.id) ?? ""
                        print(piece, terminator: "")
                    } catch {
                        streamError = error
                        return .stop(.maxTokens)  // the error is thrown below; the reason is never shown
                    }
                } else {
                    print(token.index == 0 ? "\(token.id)" : " \(token.id)", terminator: "")
                }
                fflush(nil)  // all C streams: print writes through stdout's buffer
            }
            return .proceed
        }
        let finished = Date()
        if let streamError { throw streamError }
        if streaming, let rest = detokenizer?.flush() { print(rest, terminator: "") }

        if json {
            let text = try pretrained.tokenizer?.decode(result.tokens, skipSpecialTokens: true) ?? ""
            try printJSON(result, text: text)
        } else {
            print("")
            let prefill = (firstTokenAt ?? finished).timeIntervalSince(generationStart)
            let decodeTokens = max(0, result.tokens.count - 1)
            let decodeSeconds = finished.timeIntervalSince(firstTokenAt ?? finished)
            let rate = decodeTokens > 0 && decodeSeconds > 0 ? String(format: "%.1f tok/s", Double(decodeTokens) / decodeSeconds) : "n/a"
            FileHandle.standardError.write(Data(String(
                format: "stop: %@ after %d tokens; load %.2f s, prompt %d tokens + first token %.3f s, decode %@\n",
                result.stopReason.rawValue, result.tokens.count, loadSeconds, tokens.count, prefill, rate).utf8))
        }
    }

    /// The JSON report, keys in a fixed order. `text` is the decoded continuation without
    /// special tokens (empty for a checkpoint without a tokenizer).
    private func printJSON(_ result: GenerationResult, text: String) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        func encoded<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let fields = [
            "\"prompt_tokens\":" + (try encoded(result.promptTokens)),
            "\"tokens\":" + (try encoded(result.tokens)),
            "\"logprobs\":" + (try encoded(result.logprobs)),
            "\"text\":" + (try encoded(text)),
            "\"stop_reason\":" + (try encoded(result.stopReason.rawValue)),
        ]
        print("{" + fields.joined(separator: ",") + "}")
    }
}
