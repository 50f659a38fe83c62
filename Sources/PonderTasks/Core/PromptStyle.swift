/// How a problem is turned into the text the model continues.
///
/// Three styles cover the models Ponder meets:
/// - `r1Zero`: the plain-text conversation prompt of DeepSeek-R1-Zero (Table 1 of the R1
///   paper), for base models. Generation starts *outside* `<think>`: the model is expected
///   to open the tag itself.
/// - `chat`: the task's user message rendered through a model's chat template. The template
///   code lives in the model layer, so this style takes the renderer as a closure. R1-Distill
///   templates end the generation prompt with `<think>\n`; whether generation starts inside
///   `<think>` is detected from the rendered text (see `RenderedPrompt`).
/// - `compact`: a short prompt for the small models Ponder trains itself, e.g. for Countdown
///   `"3 5 7 2 -> 24\n<think>\n"` (the task defines the first line; the style always appends
///   `"\n<think>\n"`). Generation starts inside `<think>`; the model writes its steps, then
///   `</think>` and `<answer>…</answer>`.
public enum PromptStyle: Sendable {
    case r1Zero
    case chat(render: @Sendable (_ userMessage: String) throws -> String)
    case compact

    /// The R1-Zero template; `{question}` is replaced by the task's user message.
    public static let r1ZeroTemplate = "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: {question}. Assistant:"

    /// The style's name as used on the command line and in experiment configs.
    public var name: String {
        switch self {
        case .r1Zero: return "r1-zero"
        case .chat: return "chat"
        case .compact: return "compact"
        }
    }

    /// The styles that need nothing from a model, by name (`r1-zero`, `compact`). `chat`
    /// needs a model's template and is built in the model layer with `.chat(render:)`.
    public init(name: String) throws {
        switch name.lowercased() {
        case "r1-zero", "r1zero", "r1": self = .r1Zero
        case "compact": self = .compact
        case "chat":
            throw TaskError.invalidConfiguration(
                "prompt style 'chat' needs a model's chat template; build it in the model layer with PromptStyle.chat(render:)")
        default:
            throw TaskError.invalidConfiguration(
                "unknown prompt style '\(name)'; expected 'r1-zero' or 'compact' (or 'chat' through a model)")
        }
    }

    /// Renders the R1-Zero prompt. The template's own `". Assistant:"` follows the question,
    /// so a question that already ends in `.`, `?` or `!` does not get a second full stop.
    public static func renderR1Zero(question: String) -> String {
        var q = question.trimmingWhitespace()
        if let last = q.last, last == "." {
            q.removeLast()
        }
        let body: String
        if let last = q.last, last == "?" || last == "!" {
            body = r1ZeroTemplate.replacing("{question}.", with: q, maxReplacements: 1)
        } else {
            body = r1ZeroTemplate.replacing("{question}", with: q, maxReplacements: 1)
        }
        return body
    }
}

/// A rendered prompt and whether the model's completion starts inside an open `<think>`.
///
/// Format rewards need to know the second fact: under the R1-Distill convention the prompt
/// already opened `<think>`, so a well-formed completion has *no* `<think>` of its own.
public struct RenderedPrompt: Sendable, Hashable, Codable {
    public var text: String
    public var startsInsideThink: Bool

    /// Detects `startsInsideThink` from the text: true when the prompt, ignoring trailing
    /// whitespace, ends with `<think>` (R1-Distill chat templates, the compact style and
    /// TinyZero's "Let me solve this step by step.\n<think>" prefill all do).
    public init(text: String) {
        self.text = text
        self.startsInsideThink = text.trimmingWhitespace().hasSuffix("<think>")
    }

    public init(text: String, startsInsideThink: Bool) {
        self.text = text
        self.startsInsideThink = startsInsideThink
    }
}

extension String {
    /// The string without leading and trailing whitespace and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
