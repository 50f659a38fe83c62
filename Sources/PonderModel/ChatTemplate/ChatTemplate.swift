import Foundation

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// "system", "user", "assistant" (templates decide which roles they accept).
    public var role: String
    /// The text of the turn. For R1-style assistant turns it may contain `<think>…</think>`
    /// reasoning, which the R1-Distill template strips from earlier turns.
    public var content: String

    /// A turn with `role` and `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// The message as a template sees it: `{"role": ..., "content": ...}`.
    public var templateValue: TemplateValue { ["role": .string(role), "content": .string(content)] }
}

/// The prompt formats Ponder knows, recognized from markers in a template's source.
public enum ChatTemplateFamily: String, Sendable, Equatable, CaseIterable {
    /// DeepSeek-R1-Distill (`<｜User｜>`): one BOS, earlier reasoning stripped, generation
    /// prompt ending in `<think>\n` (the model's output starts inside the think block).
    case r1Distill
    /// ChatML (`<|im_start|>`): Qwen2 / Qwen2.5 instruct models.
    case chatML
    /// Llama 3 headers (`<|start_header_id|>`): Llama-3 / Llama-3.1 instruct models.
    case llama3
    /// The plain R1-Zero prompt of the DeepSeek-R1 paper (Table 1).
    case r1Zero
    /// Any other template.
    case other

    /// The family of a template source.
    public static func detect(source: String) -> ChatTemplateFamily {
        // U+FF5C FULLWIDTH VERTICAL LINE, not "|": the R1 special tokens are written with it.
        if PythonText.contains(source, "<\u{FF5C}User\u{FF5C}>") { return .r1Distill }
        if PythonText.contains(source, "<|im_start|>") { return .chatML }
        if PythonText.contains(source, "<|start_header_id|>") { return .llama3 }
        if PythonText.contains(source, R1ZeroPrompt.marker) { return .r1Zero }
        return .other
    }
}

/// A model's chat template (the Jinja `chat_template` of `tokenizer_config.json`), parsed once
/// and rendered like transformers' `apply_chat_template(..., tokenize=False)`.
///
/// Rendering matches jinja2 as transformers configures it byte for byte on the templates Ponder
/// targets (R1-Distill, Qwen2/2.5, Llama-3/3.1, R1-Zero). Encode the result *without* adding
/// special tokens: templates that print `bos_token` already contain it.
public struct ChatTemplate: Sendable {
    /// Names the template in error messages (e.g. "tokenizer_config.json chat_template").
    public let name: String
    /// The Jinja source.
    public let source: String
    private let parsed: Result<[JinjaNode], ChatTemplateError>
    /// The clock `strftime_now(...)` reads (Llama 3.2-style templates print today's date).
    /// Inject a fixed date for reproducible prompts.
    public var now: @Sendable () -> Date = { Date() }
    /// The time zone `strftime_now` formats in (Python's `datetime.now()` is local time).
    public var timeZone: TimeZone = .current

    /// Parses `source`; throws a `ChatTemplateError` naming `name` and the position of the
    /// first syntax error or unsupported feature.
    public init(source: String, name: String = "chat_template") throws {
        self.name = name
        self.source = source
        parsed = .success(try JinjaParser.parse(source: source, templateName: name))
    }

    /// For built-in templates: a parse failure (ruled out by the tests) surfaces when rendering.
    init(builtin source: String, name: String) {
        self.name = name
        self.source = source
        do {
            parsed = .success(try JinjaParser.parse(source: source, templateName: name))
        } catch let error as ChatTemplateError {
            parsed = .failure(error)
        } catch {
            parsed = .failure(.syntax(template: name, location: TemplateSourceLocation(line: 1, column: 1), message: "\(error)"))
        }
    }

    /// The plain R1-Zero prompt: "A conversation between User and Assistant. … User: {prompt}.
    /// Assistant:". Accepts user and assistant turns; `bos_token` is printed first when given.
    public static let r1Zero = ChatTemplate(builtin: R1ZeroPrompt.source, name: "r1-zero")

    /// The prompt format, from markers in the source.
    public var family: ChatTemplateFamily { ChatTemplateFamily.detect(source: source) }

    /// Renders a conversation the way `apply_chat_template(messages, tokenize=False,
    /// add_generation_prompt: ...)` does: `messages`, `add_generation_prompt`, `tools=None`,
    /// `documents=None`, the special tokens given, and `extra` string variables (for example
    /// Llama 3.1's `date_string`). A nil token is left undefined, as for a tokenizer without it.
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String? = nil, eosToken: String? = nil,
        extra: [String: String] = [:]
    ) throws -> String {
        var variables: [String: TemplateValue] = [
            "messages": .array(messages.map(\.templateValue)),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "tools": .null,
            "documents": .null,
        ]
        if let bosToken { variables["bos_token"] = .string(bosToken) }
        if let eosToken { variables["eos_token"] = .string(eosToken) }
        for (key, value) in extra { variables[key] = .string(value) }
        return try render(variables: variables)
    }

    /// Renders with the special-token strings of a tokenizer (all of them, as transformers passes
    /// its `special_tokens_map`).
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, specialStrings: TokenizerSpecialStrings, extra: [String: String] = [:]
    ) throws -> String {
        var all = extra
        if let pad = specialStrings.padToken, all["pad_token"] == nil { all["pad_token"] = pad }
        if let unk = specialStrings.unkToken, all["unk_token"] == nil { all["unk_token"] = unk }
        return try render(messages: messages, addGenerationPrompt: addGenerationPrompt, bosToken: specialStrings.bosToken,
                          eosToken: specialStrings.eosToken, extra: all)
    }

    /// Renders with arbitrary variables: messages with `tool_calls`, `tools` definitions,
    /// `builtin_tools`, and so on. Nothing is added implicitly.
    public func render(variables: [String: TemplateValue]) throws -> String {
        let nodes = try parsed.get()
        let renderer = JinjaRenderer(template: name, variables: variables.mapValues(\.jinjaValue), now: now(), timeZone: timeZone)
        return try renderer.render(nodes)
    }
}

/// The R1-Zero prompt (DeepSeek-R1 paper, Table 1) as a chat template.
enum R1ZeroPrompt {
    static let marker = "A conversation between User and Assistant."
    static let instructions = marker
        + " The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning "
        + "process in the mind and then provides the user with the answer. The reasoning process and answer are "
        + "enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> reasoning "
        + "process here </think> <answer> answer here </answer>."
    static let source = "{{ bos_token }}" + instructions
        + "{% for message in messages %}"
        + "{% if message['role'] == 'user' %} User: {{ message['content'] }}."
        + "{% elif message['role'] == 'assistant' %} Assistant: {{ message['content'] }}"
        + "{% else %}{{ raise_exception('The R1-Zero prompt has only user and assistant turns, but message ' ~ loop.index"
        + " ~ ' has role ' ~ message['role'] ~ '.') }}"
        + "{% endif %}{% endfor %}"
        + "{% if add_generation_prompt %} Assistant:{% endif %}"
}
