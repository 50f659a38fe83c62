import Foundation

/// Why a prompt could not be turned into token ids.
public enum PromptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint directory has no `tokenizer.json`, so text prompts cannot be encoded.
    case noTokenizer(directory: String)
    /// A chat prompt was asked for but the checkpoint has no chat template.
    case noChatTemplate(directory: String)
    /// The rendered chat prompt encodes to more than one leading BOS (deepseek-ai/DeepSeek-R1 #151).
    case doubleBOS(count: Int)

    public var description: String {
        switch self {
        case let .noTokenizer(directory):
            return "\(directory) has no tokenizer.json, so a text prompt cannot be encoded; "
                + "add the checkpoint's tokenizer files or pass token ids (--prompt-tokens)"
        case let .noChatTemplate(directory):
            return "\(directory) has no chat_template (in tokenizer_config.json or chat_template.jinja); "
                + "drop --chat to encode the prompt as plain text"
        case let .doubleBOS(count):
            return "the rendered chat prompt starts with \(count) BOS tokens; the template already "
                + "emits BOS, so it must be encoded without special tokens"
        }
    }
}

extension PretrainedModel {
    /// The tokenizer, or a clear error naming the directory when it has none.
    public func requireTokenizer() throws -> Tokenizer {
        guard let tokenizer else { throw PromptError.noTokenizer(directory: directory) }
        return tokenizer
    }

    /// Renders one user message through the checkpoint's chat template with the generation
    /// prompt appended (for R1-Distill that ends in `<think>\n`, so generation starts inside
    /// the reasoning block).
    public func renderChat(_ userMessage: String) throws -> String {
        guard let chatTemplate else { throw PromptError.noChatTemplate(directory: directory) }
        return try chatTemplate.render(messages: [ChatMessage(role: "user", content: userMessage)],
                                       addGenerationPrompt: true, specialStrings: specialStrings)
    }

    /// Encodes a text prompt. Plain prompts get the tokenizer's special tokens (BOS for Llama
    /// and R1-Distill tokenizers). Chat prompts are rendered through the template, which
    /// prints BOS itself, and encoded *without* special tokens, as transformers'
    /// `apply_chat_template` does; exactly one leading BOS is checked.
    public func encodePrompt(_ text: String, chat: Bool) throws -> [Int] {
        let tokenizer = try requireTokenizer()
        guard chat else { return try tokenizer.encode(text, addSpecialTokens: true) }
        return try encodeRenderedChat(try renderChat(text))
    }

    /// Encodes a prompt that was already rendered through the chat template (a task's chat
    /// prompt style renders it once, so that its text can be stored and scored): no special
    /// tokens are added, since the template printed BOS itself, and exactly one leading BOS
    /// is checked.
    public func encodeRenderedChat(_ rendered: String) throws -> [Int] {
        let tokenizer = try requireTokenizer()
        let ids = try tokenizer.encode(rendered, addSpecialTokens: false)
        if let bos = tokenizer.bosTokenId ?? bosTokenId {
            let leading = ids.prefix { $0 == bos }.count
            if leading > 1 { throw PromptError.doubleBOS(count: leading) }
        }
        return ids
    }
}
