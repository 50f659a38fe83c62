/// Finds final answers in free-form math text: `\boxed{…}`, `<answer>` tags, GSM8K's
/// `#### 42`, and the last number as a last resort.
public enum MathAnswerExtraction {
    /// The content of the last *balanced* `\boxed{…}` (or `\fbox{…}`), with nested braces
    /// (`\boxed{\frac{1}{2}}` → `\frac{1}{2}`). A truncated last box falls back to the one
    /// before it. The brace-less form `\boxed 5` gives the next token. Nil when none.
    public static func lastBoxed(in text: String) -> String? {
        let starts = (text.ranges(of: "\\boxed") + text.ranges(of: "\\fbox"))
            .sorted { $0.lowerBound > $1.lowerBound }
        for start in starts {
            if let content = boxContent(text, after: start.upperBound) { return content }
        }
        return nil
    }

    private static func boxContent(_ text: String, after index: String.Index) -> String? {
        var i = index
        if i < text.endIndex, text[i] == " " {
            // `\boxed 5`: the content is the next run of non-space, non-`$` characters.
            let rest = text[text.index(after: i)...]
            let token = rest.prefix { !$0.isWhitespace && $0 != "$" }
            return token.isEmpty ? nil : String(token)
        }
        guard i < text.endIndex, text[i] == "{" else { return nil }
        var depth = 0
        let contentStart = text.index(after: i)
        while i < text.endIndex {
            switch text[i] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return String(text[contentStart..<i]) }
            default: break
            }
            i = text.index(after: i)
        }
        return nil  // unbalanced: the box was cut off
    }

    /// The text after the last `####` of a GSM8K answer, trimmed; nil when there is none.
    public static func gsm8kFinal(_ text: String) -> String? {
        guard let marker = text.ranges(of: "####").last else { return nil }
        let final = String(text[marker.upperBound...]).trimmingWhitespace()
        return final.isEmpty ? nil : final
    }

    /// The last number in `text`: an optional minus sign, digits with optional thousands
    /// commas, an optional decimal part, or a fraction `a/b` of such numbers. Nil when none.
    public static func lastNumber(in text: String) -> String? {
        let chars = Array(text)
        var last: String?
        var i = 0
        while i < chars.count {
            guard chars[i].isASCIIDigit else { i += 1; continue }
            let start = i
            i = scanNumber(chars, from: i)
            if i < chars.count - 1, chars[i] == "/", chars[i + 1].isASCIIDigit {
                i = scanNumber(chars, from: i + 1)
            }
            var token = String(chars[start..<i])
            let signed = start > 0 && (chars[start - 1] == "-" || chars[start - 1] == "\u{2212}")
                && (start < 2 || !chars[start - 2].isASCIIDigit)
            if signed { token = "-" + token }
            last = token
        }
        return last
    }

    /// Scans digits, `,ddd` groups and one `.digits` part.
    private static func scanNumber(_ chars: [Character], from start: Int) -> Int {
        var i = start
        while i < chars.count, chars[i].isASCIIDigit { i += 1 }
        while i + 3 < chars.count, chars[i] == ",", chars[i + 1].isASCIIDigit,
              chars[i + 2].isASCIIDigit, chars[i + 3].isASCIIDigit,
              i + 4 >= chars.count || !chars[i + 4].isASCIIDigit {
            i += 4
        }
        if i + 1 < chars.count, chars[i] == ".", chars[i + 1].isASCIIDigit {
            i += 1
            while i < chars.count, chars[i].isASCIIDigit { i += 1 }
        }
        return i
    }

    /// The answer of a math completion, tried in order:
    /// 1. the last `<answer>` tag (its `\boxed{}` content if it has one);
    /// 2. the last `\boxed{}` anywhere;
    /// 3. the last number after `</think>` (or anywhere, without `</think>`).
    public static func extract(from completion: String) -> ExtractedAnswer? {
        let parts = CompletionParts(completion)
        if let tagged = parts.lastAnswer {
            let inner = lastBoxed(in: tagged) ?? tagged
            return ExtractedAnswer(text: inner.trimmingWhitespace(), source: .answerTag)
        }
        if let boxed = lastBoxed(in: completion) {
            return ExtractedAnswer(text: boxed.trimmingWhitespace(), source: .boxed)
        }
        if let number = lastNumber(in: parts.afterThinking) {
            return ExtractedAnswer(text: number, source: .lastNumber)
        }
        return nil
    }
}
