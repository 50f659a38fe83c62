/// One token of a template: literal text, a tag delimiter, or a piece of an expression.
enum JinjaTokenKind: Equatable, Sendable {
    case text(String)
    case variableBegin, variableEnd, blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    case op(String)
    case eof
}

struct JinjaToken: Sendable {
    var kind: JinjaTokenKind
    var location: TemplateSourceLocation
}

/// Splits a template into tokens the way jinja2's lexer does with transformers' settings
/// (`trim_blocks=True`, `lstrip_blocks=True`, `keep_trailing_newline=False`).
///
/// Whitespace handling is where hand-written renderers usually drift from the reference, so
/// the rules below follow jinja2's lexer step by step:
/// - all newlines become `\n`, and one trailing newline of the template is dropped;
/// - `{%-`/`{{-`/`{#-` strip all whitespace before the tag, `-%}`/`-}}`/`-#}` all after it;
/// - lstrip_blocks: spaces/tabs between the start of a line and a `{%` or `{#` tag are removed
///   (not before `{{`, and not with `{%+`);
/// - trim_blocks: one newline right after `%}` or `#}` is removed (not after `}}` or `+%}`);
/// - end delimiters are only recognized outside brackets, so `{{ {'a': {'b': 1}} }}` works.
struct JinjaLexer {
    private let template: String
    private let s: [Unicode.Scalar]
    private let lineStarts: [Int]

    init(source: String, templateName: String) {
        template = templateName
        var normalized: [Unicode.Scalar] = []
        normalized.reserveCapacity(source.unicodeScalars.count)
        var previousCR = false
        for c in source.unicodeScalars {
            if c == "\n" && previousCR { previousCR = false; continue }
            previousCR = c == "\r"
            normalized.append(c == "\r" ? "\n" : c)
        }
        if normalized.last == "\n" { normalized.removeLast() }
        s = normalized
        lineStarts = [0] + normalized.indices.filter { normalized[$0] == "\n" }.map { $0 + 1 }
    }

    func location(_ offset: Int) -> TemplateSourceLocation {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return TemplateSourceLocation(line: lo + 1, column: offset - lineStarts[lo] + 1)
    }

    private func syntax(_ offset: Int, _ message: String) -> ChatTemplateError {
        .syntax(template: template, location: location(offset), message: message)
    }

    private func matches(_ literal: String, at i: Int) -> Bool {
        var j = i
        for c in literal.unicodeScalars {
            guard j < s.count, s[j] == c else { return false }
            j += 1
        }
        return true
    }

    private func skipSpace(from i: Int) -> Int {
        var j = i
        while j < s.count, PythonText.isSpace(s[j]) { j += 1 }
        return j
    }

    private enum TagKind { case variable, block, comment }

    /// Tokenizes the whole template.
    func tokenize() throws -> [JinjaToken] {
        var tokens: [JinjaToken] = []
        var pos = 0
        var lineStarting = true  // did the previous tag's end consume a newline (or is this the start)?
        while pos < s.count {
            guard let (tagAt, kind) = nextTag(from: pos) else {
                tokens.append(JinjaToken(kind: .text(PythonText.string(s[pos...])), location: location(pos)))
                break
            }
            var after = tagAt + 2
            var sign: Unicode.Scalar?
            if after < s.count, s[after] == "-" || s[after] == "+" { sign = s[after]; after += 1 }
            let text = stripBeforeTag(s[pos..<tagAt], sign: sign, isVariable: kind == .variable, lineStarting: lineStarting)
            if !text.isEmpty { tokens.append(JinjaToken(kind: .text(PythonText.string(text)), location: location(pos))) }
            switch kind {
            case .comment:
                pos = try commentEnd(from: after, tagAt: tagAt)
            case .block where rawBegin(after) != nil:
                pos = try lexRaw(contentStart: rawBegin(after) ?? after, tagAt: tagAt, lineStarting: &lineStarting, into: &tokens)
            case .block, .variable:
                tokens.append(JinjaToken(kind: kind == .block ? .blockBegin : .variableBegin, location: location(tagAt)))
                pos = try lexInsideTag(from: after, isBlock: kind == .block, tagAt: tagAt, into: &tokens)
            }
            lineStarting = pos > 0 && s[pos - 1] == "\n"
        }
        tokens.append(JinjaToken(kind: .eof, location: location(s.count)))
        return tokens
    }

    private func nextTag(from start: Int) -> (Int, TagKind)? {
        var i = start
        while i + 1 < s.count {
            if s[i] == "{" {
                switch s[i + 1] {
                case "{": return (i, .variable)
                case "%": return (i, .block)
                case "#": return (i, .comment)
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// The `-` / lstrip_blocks handling of the text in front of a tag.
    private func stripBeforeTag(_ text: ArraySlice<Unicode.Scalar>, sign: Unicode.Scalar?, isVariable: Bool, lineStarting: Bool) -> ArraySlice<Unicode.Scalar> {
        if sign == "-" {
            var t = text
            while let last = t.last, PythonText.isSpace(last) { t.removeLast() }
            return t
        }
        guard sign != "+", !isVariable else { return text }
        let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? text.startIndex
        guard lineStart > text.startIndex || lineStarting, lineStart < text.endIndex else { return text }
        return text[lineStart...].allSatisfy(PythonText.isSpace) ? text[..<lineStart] : text
    }

    private func commentEnd(from start: Int, tagAt: Int) throws -> Int {
        var j = start
        while j < s.count {
            if (s[j] == "+" || s[j] == "-") && matches("#}", at: j + 1) {
                return s[j] == "-" ? skipSpace(from: j + 3) : j + 3
            }
            if matches("#}", at: j) {
                return j + 2 < s.count && s[j + 2] == "\n" ? j + 3 : j + 2
            }
            j += 1
        }
        throw syntax(tagAt, "missing end of comment tag: the comment opened here needs '#}'")
    }

    /// If `{% raw %}` starts here (just after `{%` and its sign), the offset after its `%}`.
    private func rawBegin(_ i: Int) -> Int? {
        var j = skipSpace(from: i)
        guard matches("raw", at: j) else { return nil }
        j = skipSpace(from: j + 3)
        if matches("-%}", at: j) { return skipSpace(from: j + 3) }
        return matches("%}", at: j) ? j + 2 : nil
    }

    /// Emits the body of `{% raw %}…{% endraw %}` as text.
    private func lexRaw(contentStart: Int, tagAt: Int, lineStarting: inout Bool, into tokens: inout [JinjaToken]) throws -> Int {
        lineStarting = contentStart > 0 && s[contentStart - 1] == "\n"
        var i = contentStart
        while let (tag, kind) = nextTag(from: i) {
            i = tag + 1
            guard kind == .block else { continue }
            var j = tag + 2
            var sign: Unicode.Scalar?
            if j < s.count, s[j] == "-" || s[j] == "+" { sign = s[j]; j += 1 }
            j = skipSpace(from: j)
            guard matches("endraw", at: j) else { continue }
            j = skipSpace(from: j + 6)
            let end: Int
            if matches("+%}", at: j) { end = j + 3 }
            else if matches("-%}", at: j) { end = skipSpace(from: j + 3) }
            else if matches("%}", at: j) { end = j + 2 < s.count && s[j + 2] == "\n" ? j + 3 : j + 2 }
            else { continue }
            let body = stripBeforeTag(s[contentStart..<tag], sign: sign, isVariable: false, lineStarting: lineStarting)
            if !body.isEmpty { tokens.append(JinjaToken(kind: .text(PythonText.string(body)), location: location(contentStart))) }
            return end
        }
        throw syntax(tagAt, "missing end of raw directive: add '{% endraw %}'")
    }

    /// Lexes expression tokens up to and including the tag's end delimiter.
    private func lexInsideTag(from start: Int, isBlock: Bool, tagAt: Int, into tokens: inout [JinjaToken]) throws -> Int {
        var pos = start
        var brackets: [(closer: Unicode.Scalar, at: Int)] = []
        while true {
            guard pos < s.count else {
                let closer = isBlock ? "%}" : "}}"
                if let open = brackets.last {
                    throw syntax(open.at, "unexpected end of template: this bracket is never closed (expected '\(open.closer)')")
                }
                throw syntax(tagAt, "unexpected end of template: the tag opened here is never closed; add '\(closer)'")
            }
            if brackets.isEmpty, let end = tagEnd(at: pos, isBlock: isBlock) {
                tokens.append(JinjaToken(kind: isBlock ? .blockEnd : .variableEnd, location: location(pos)))
                return end
            }
            let c = s[pos]
            if PythonText.isSpace(c) { pos += 1; continue }
            let here = location(pos)
            if let (value, end) = try number(at: pos) {
                tokens.append(JinjaToken(kind: value, location: here)); pos = end
            } else if isNameStart(c) {
                var end = pos + 1
                while end < s.count, isNameContinue(s[end]) { end += 1 }
                tokens.append(JinjaToken(kind: .name(PythonText.string(s[pos..<end])), location: here)); pos = end
            } else if c == "'" || c == "\"" {
                let (value, end) = try stringLiteral(at: pos)
                tokens.append(JinjaToken(kind: .string(value), location: here)); pos = end
            } else if let op = operatorToken(at: pos) {
                let first = op.unicodeScalars.first ?? c
                switch first {
                case "(": brackets.append((")", pos))
                case "[": brackets.append(("]", pos))
                case "{": brackets.append(("}", pos))
                case ")", "]", "}":
                    guard let open = brackets.popLast() else { throw syntax(pos, "unexpected '\(op)'") }
                    if open.closer != first { throw syntax(pos, "unexpected '\(op)', expected '\(open.closer)'") }
                default: break
                }
                tokens.append(JinjaToken(kind: .op(op), location: here)); pos += op.unicodeScalars.count
            } else {
                throw syntax(pos, "unexpected character '\(c)' inside a tag")
            }
        }
    }

    private func tagEnd(at i: Int, isBlock: Bool) -> Int? {
        if isBlock {
            if matches("+%}", at: i) { return i + 3 }
            if matches("-%}", at: i) { return skipSpace(from: i + 3) }
            if matches("%}", at: i) { return i + 2 < s.count && s[i + 2] == "\n" ? i + 3 : i + 2 }
            return nil
        }
        if matches("-}}", at: i) { return skipSpace(from: i + 3) }
        return matches("}}", at: i) ? i + 2 : nil
    }

    private func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")) : c.properties.isXIDStart
    }

    private func isNameContinue(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (isNameStart(c) || (c >= "0" && c <= "9")) : c.properties.isXIDContinue
    }

    private static let operators = ["//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~",
                                    "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"]

    private func operatorToken(at i: Int) -> String? {
        JinjaLexer.operators.first { matches($0, at: i) }
    }

    // MARK: Literals

    private func isDigit(_ i: Int) -> Bool { i < s.count && s[i] >= "0" && s[i] <= "9" }

    /// `(\d+_)*\d+`: digits with single underscores between them.
    private func digitGroups(_ i: Int) -> Int? {
        guard isDigit(i) else { return nil }
        var j = i
        while true {
            while isDigit(j) { j += 1 }
            if j < s.count, s[j] == "_", isDigit(j + 1) { j += 1 } else { return j }
        }
    }

    private func exponent(_ i: Int) -> Int? {
        guard i < s.count, s[i] == "e" || s[i] == "E" else { return nil }
        var j = i + 1
        if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
        return digitGroups(j)
    }

    /// Jinja's float rule (tried first), then its integer rule (binary, octal, hex, decimal).
    private func number(at i: Int) throws -> (JinjaTokenKind, Int)? {
        guard isDigit(i) else { return nil }
        let digitsEnd = digitGroups(i) ?? i
        if i == 0 || s[i - 1] != "." {
            let fractionEnd = (digitsEnd < s.count && s[digitsEnd] == ".") ? digitGroups(digitsEnd + 1) : nil
            if let end = fractionEnd.flatMap(exponent) ?? exponent(digitsEnd) ?? fractionEnd {
                let text = PythonText.string(s[i..<end].filter { $0 != "_" })
                guard let value = Double(text) else { throw syntax(i, "invalid float literal '\(text)'") }
                return (.float(value), end)
            }
        }
        if s[i] == "0", i + 1 < s.count, let radix = ["b": 2, "B": 2, "o": 8, "O": 8, "x": 16, "X": 16][Character(s[i + 1])] {
            var j = i + 2
            while j < s.count, s[j] == "_" || Int(String(s[j]), radix: radix) != nil { j += 1 }
            let digits = PythonText.string(s[(i + 2)..<j].filter { $0 != "_" })
            guard let value = Int(digits, radix: radix) else { throw syntax(i, "invalid integer literal") }
            return (.integer(value), j)
        }
        // A decimal literal other than 0 cannot start with 0 ("0123" lexes as 0 then 123).
        var end = digitsEnd
        if s[i] == "0" {
            end = i + 1
            while end < s.count, s[end] == "0" || (s[end] == "_" && end + 1 < s.count && s[end + 1] == "0") { end += 1 }
        }
        let text = PythonText.string(s[i..<end].filter { $0 != "_" })
        guard let value = Int(text) else { throw syntax(i, "integer literal \(text) does not fit in 64 bits") }
        return (.integer(value), end)
    }

    /// A quoted string, decoded with Python's `unicode-escape` rules as jinja2 does.
    private func stringLiteral(at i: Int) throws -> (String, Int) {
        let quote = s[i]
        var j = i + 1
        var decoded: [Unicode.Scalar] = []
        while j < s.count, s[j] != quote {
            guard s[j] == "\\" else { decoded.append(s[j]); j += 1; continue }
            guard j + 1 < s.count else { break }
            j = try escape(at: j + 1, into: &decoded)
        }
        guard j < s.count else { throw syntax(i, "unterminated string literal: add the closing \(quote)") }
        return (PythonText.string(decoded), j + 1)
    }

    /// Decodes the escape whose letter is at `i`; returns the offset after it.
    private func escape(at i: Int, into out: inout [Unicode.Scalar]) throws -> Int {
        let c = s[i]
        let simple: [Unicode.Scalar: Unicode.Scalar] = ["\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}",
                                                        "f": "\u{0C}", "n": "\n", "r": "\r", "t": "\t", "v": "\u{0B}"]
        if let mapped = simple[c] { out.append(mapped); return i + 1 }
        if c == "\n" { return i + 1 }  // line continuation
        if c >= "0" && c <= "7" {
            var j = i, value: UInt32 = 0
            while j < s.count, j < i + 3, s[j] >= "0", s[j] <= "7" { value = value * 8 + (s[j].value - 48); j += 1 }
            out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            return j
        }
        if let width = ["x": 2, "u": 4, "U": 8][Character(c)] {
            let end = i + 1 + width
            guard end <= s.count, let value = UInt32(PythonText.string(s[(i + 1)..<end]), radix: 16),
                  s[(i + 1)..<end].allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                throw syntax(i - 1, "truncated \\\(c) escape in a string literal")
            }
            guard let scalar = Unicode.Scalar(value) else { throw syntax(i - 1, "escape \\\(c) is not a valid code point") }
            out.append(scalar)
            return end
        }
        if c == "N" { throw ChatTemplateError.unsupported(template: template, location: location(i - 1), message: "\\N{...} escapes are not supported") }
        // jinja2 backslash-escapes non-ASCII text before decoding, so "\é" decodes to "\xe9".
        out.append("\\")
        if !c.isASCII {
            let hexDigits = c.value <= 0xFF ? "x" + PythonFormat.hex(c.value, width: 2)
                : c.value <= 0xFFFF ? "u" + PythonFormat.hex(c.value, width: 4) : "U" + PythonFormat.hex(c.value, width: 8)
            out.append(contentsOf: hexDigits.unicodeScalars)
        } else {
            out.append(c)
        }
        return i + 1
    }
}
