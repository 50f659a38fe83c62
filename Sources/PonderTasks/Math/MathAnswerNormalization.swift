/// Normalizes math answers and decides whether two are the same.
///
/// Two answers are equivalent when their normalized texts are equal, or when both are
/// numbers (integers, decimals, negatives, `a/b`, `\frac{a}{b}`) with equal exact rational
/// values. Numbers beyond 64-bit arithmetic fall back to text comparison; nothing is
/// rounded, so `0.333` is not `\frac{1}{3}`.
///
/// Normalization, in order: trim; strip `$`, `\$`, `\displaystyle`, `\left`, `\right`,
/// spacing commands (`\!`, `\,`, `\;`, `\:`, `\ `), degree marks (`^\circ`, `^{\circ}`) and
/// percent signs (`\%`, `%`: "50%" equals "50", as in the MATH grader); `\dfrac`/`\tfrac`
/// → `\frac`; Unicode minus → `-`; unwrap `\text{…}`, `\textbf{…}`, `\mathrm{…}`,
/// `\mbox{…}` and a whole-answer `\boxed{…}`; drop all whitespace; drop thousands commas when
/// the whole answer is one number (`1,234,567`, but the tuple `(1,234)` keeps its comma);
/// brace shorthand (`\frac12` → `\frac{1}{2}`, `\sqrt2` → `\sqrt{2}`); a trailing `.0…`
/// after digits; a leading `x=` (one or two letters); a final full stop.
public enum MathAnswerNormalization {
    /// The normalized form of `answer`.
    public static func normalize(_ answer: String) -> String {
        var s = answer.trimmingWhitespace()
        if s.hasPrefix("\\boxed"), let inner = MathAnswerExtraction.lastBoxed(in: s) { s = inner }
        for (from, to) in [("\\$", ""), ("$", ""), ("\\displaystyle", ""), ("\\left", ""),
                           ("\\right", ""), ("\\!", ""), ("\\,", ""), ("\\;", ""), ("\\:", ""),
                           ("\\ ", ""), ("^{\\circ}", ""), ("^\\circ", ""), ("\\%", ""),
                           ("%", ""), ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"),
                           ("\u{2212}", "-")] {
            s = s.replacing(from, with: to)
        }
        for command in ["\\text", "\\textbf", "\\mathrm", "\\mbox"] { s = unwrap(command, in: s) }
        s = String(s.filter { !$0.isWhitespace })
        s = dropThousandsCommas(s)
        s = bracedShorthand("\\frac", arguments: 2, in: s)
        s = bracedShorthand("\\sqrt", arguments: 1, in: s)
        s = dropTrailingZeroDecimals(s)
        if let eq = s.firstIndex(of: "="), s[..<eq].count <= 2, !s[..<eq].isEmpty,
           s[..<eq].allSatisfy({ $0.isLetter && $0.isASCII }), s.filter({ $0 == "=" }).count == 1 {
            s = String(s[s.index(after: eq)...])
        }
        while s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The exact value of a normalized answer when it is a number, else nil.
    public static func numericValue(of normalized: String) -> Rational? {
        if let r = Rational.parse(normalized) { return r }
        var body = Substring(normalized)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        guard body.hasPrefix("\\frac{"), body.hasSuffix("}") else { return nil }
        let args = body.dropFirst("\\frac{".count).dropLast()
        let halves = args.split(separator: "}{", omittingEmptySubsequences: false)
        guard halves.count == 2, let n = Rational.parse(String(halves[0])),
              let d = Rational.parse(String(halves[1])), let value = n.dividing(by: d) else { return nil }
        return negative ? Rational(-value.numerator, value.denominator) : value
    }

    /// Whether `a` and `b` are the same answer (see the type's documentation).
    public static func equivalent(_ a: String, _ b: String) -> Bool {
        let na = normalize(a)
        let nb = normalize(b)
        if na == nb { return true }
        guard let va = numericValue(of: na), let vb = numericValue(of: nb) else { return false }
        return va == vb
    }

    /// Replaces `\command{X}` by `X` (balanced braces).
    static func unwrap(_ command: String, in text: String) -> String {
        var s = text
        while let r = s.firstRange(of: command + "{"),
              let (content, end) = bracedGroup(s, openAt: s.index(before: r.upperBound)) {
            s = String(s[..<r.lowerBound]) + content + String(s[end...])
        }
        return s
    }

    /// The content of the `{…}` group opening at `open`, and the index after its `}`.
    static func bracedGroup(_ s: String, openAt open: String.Index) -> (String, String.Index)? {
        var depth = 0
        var i = open
        while i < s.endIndex {
            if s[i] == "{" { depth += 1 }
            if s[i] == "}" {
                depth -= 1
                if depth == 0 { return (String(s[s.index(after: open)..<i]), s.index(after: i)) }
            }
            i = s.index(after: i)
        }
        return nil
    }

    /// Rewrites `\frac12`, `\frac1{2}`, `\sqrt2` with every argument braced.
    static func bracedShorthand(_ command: String, arguments: Int, in text: String) -> String {
        var out = ""
        var i = text.startIndex
        while let r = text[i...].firstRange(of: command) {
            out += text[i..<r.upperBound]
            var j = r.upperBound
            for _ in 0..<arguments {
                guard j < text.endIndex else { break }
                if text[j] == "{", let (content, end) = bracedGroup(text, openAt: j) {
                    out += "{" + content + "}"
                    j = end
                } else if text[j].isASCIIDigit || text[j].isLetter {
                    out += "{" + String(text[j]) + "}"
                    j = text.index(after: j)
                } else {
                    break
                }
            }
            i = j
        }
        return out + text[i...]
    }

    /// `1,234,567.5` → `1234567.5` when the whole text is one such number.
    static func dropThousandsCommas(_ s: String) -> String {
        var body = Substring(s)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let number = body.split(separator: ".", maxSplits: 1).first ?? ""
        let groups = number.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count),
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              body.dropFirst(number.count).allSatisfy({ $0.isASCIIDigit || $0 == "." }) else { return s }
        return s.replacing(",", with: "")
    }

    /// `42.0` → `42`, `3.500` stays (its value is handled exactly), `(2.0,3)` → `(2,3)`.
    static func dropTrailingZeroDecimals(_ s: String) -> String {
        let chars = Array(s)
        var out: [Character] = []
        var i = 0
        while i < chars.count {
            if chars[i] == ".", i > 0, chars[i - 1].isASCIIDigit, i + 1 < chars.count, chars[i + 1] == "0" {
                var j = i + 1
                while j < chars.count, chars[j] == "0" { j += 1 }
                if j == chars.count || !chars[j].isASCIIDigit {
                    i = j
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return String(out)
    }
}
