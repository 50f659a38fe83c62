/// Parses Countdown answers with a small recursive-descent parser (never `eval`).
///
/// Accepted: non-negative decimal integers (ASCII digits; leading zeros allowed and read as
/// the integer), the operators `+`, `-`, `*`, `/` and their Unicode forms `−` (U+2212),
/// `×` (U+00D7), `÷` (U+00F7), parentheses, and whitespace. `*` and `/` bind tighter than
/// `+` and `-`; operators of equal strength group left to right. An answer may end with
/// `= N` (an integer) — models often write it — and N must then equal the expression's value;
/// it does not count as a used number.
///
/// Rejected, with a reason: any other character (letters, `x`, `^`, `.`), unary minus or
/// plus, implicit multiplication `2(3+4)`, empty parentheses, unbalanced parentheses, more
/// than one `=`, numbers beyond 64-bit range, nesting deeper than `maxDepth` and answers
/// longer than `maxTokens` tokens (both guard the parser against adversarial input).
public enum CountdownParser {
    /// The deepest parenthesis nesting accepted (a 4-number solution needs at most 3).
    public static let maxDepth = 32
    /// The most tokens accepted (a 6-number answer needs about 30).
    public static let maxTokens = 256

    enum Token: Equatable {
        case number(Int)
        case op(CountdownOperator)
        case open
        case close
    }

    /// Parses `text` into an expression and the optional value written after `=`.
    public static func parse(_ text: String) -> Result<(CountdownExpression, claimed: Int?), ParseFailure> {
        let sides = text.split(separator: "=", omittingEmptySubsequences: false)
        guard sides.count <= 2 else { return .failure(ParseFailure("more than one '=' in the answer")) }
        var claimed: Int?
        if sides.count == 2 {
            let rhs = sides[1].trimmingWhitespaceSubstring()
            guard !rhs.isEmpty, rhs.allSatisfy(\.isASCIIDigit) else {
                return .failure(ParseFailure("after '=' expected a single integer, found '\(rhs)'"))
            }
            guard let value = Int(rhs) else {
                return .failure(ParseFailure("the number after '=' is too large"))
            }
            claimed = value
        }
        let tokens: [Token]
        switch tokenize(String(sides[0])) {
        case .failure(let e): return .failure(e)
        case .success(let t): tokens = t
        }
        guard !tokens.isEmpty else { return .failure(ParseFailure("empty answer: expected an expression such as (3 + 5) * 2")) }
        var parser = Parser(tokens: tokens)
        do throws(ParseFailure) {
            let expression = try parser.expression(depth: 0)
            if parser.position < tokens.count {
                return .failure(ParseFailure(parser.unexpected("an operator or the end of the answer")))
            }
            return .success((expression, claimed))
        } catch {
            return .failure(error)
        }
    }

    static func tokenize(_ text: String) -> Result<[Token], ParseFailure> {
        var tokens: [Token] = []
        var current: Int?
        func flush() { if let n = current { tokens.append(.number(n)); current = nil } }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if let digit = asciiDigit(scalar) {
                let (times10, o1) = (current ?? 0).multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(digit)
                if o1 || o2 { return .failure(ParseFailure("a number in the answer is too large for 64-bit integers")) }
                current = next
                continue
            }
            flush()
            switch scalar {
            case "+": tokens.append(.op(.add))
            case "-", "\u{2212}": tokens.append(.op(.subtract))
            case "*", "\u{00D7}": tokens.append(.op(.multiply))
            case "/", "\u{00F7}": tokens.append(.op(.divide))
            case "(": tokens.append(.open)
            case ")": tokens.append(.close)
            default:
                if scalar.properties.isWhitespace { continue }
                return .failure(ParseFailure(
                    "unexpected character '\(scalar)' at position \(offset + 1); answers may use digits, + - * / (or − × ÷), parentheses and spaces"))
            }
            if tokens.count > maxTokens {
                return .failure(ParseFailure("answer longer than \(maxTokens) tokens"))
            }
        }
        flush()
        return .success(tokens)
    }

    private static func asciiDigit(_ s: Unicode.Scalar) -> Int? {
        s.value >= 48 && s.value <= 57 ? Int(s.value - 48) : nil
    }

    private struct Parser {
        let tokens: [Token]
        var position = 0

        mutating func expression(depth: Int) throws(ParseFailure) -> CountdownExpression {
            var left = try term(depth: depth)
            while position < tokens.count, case .op(let op) = tokens[position], op.precedence == 1 {
                position += 1
                left = .binary(op, left, try term(depth: depth))
            }
            return left
        }

        mutating func term(depth: Int) throws(ParseFailure) -> CountdownExpression {
            var left = try factor(depth: depth)
            while position < tokens.count, case .op(let op) = tokens[position], op.precedence == 2 {
                position += 1
                left = .binary(op, left, try factor(depth: depth))
            }
            return left
        }

        mutating func factor(depth: Int) throws(ParseFailure) -> CountdownExpression {
            guard position < tokens.count else {
                throw ParseFailure("the answer ends where a number or '(' was expected")
            }
            switch tokens[position] {
            case .number(let n):
                position += 1
                if position < tokens.count, tokens[position] == .open {
                    throw ParseFailure("implicit multiplication after \(n); write '*' between a number and '('")
                }
                return .number(n)
            case .open:
                guard depth < CountdownParser.maxDepth else {
                    throw ParseFailure("parentheses nested deeper than \(CountdownParser.maxDepth)")
                }
                position += 1
                let inner = try expression(depth: depth + 1)
                guard position < tokens.count, tokens[position] == .close else {
                    throw ParseFailure("unbalanced parentheses: a '(' is never closed")
                }
                position += 1
                return inner
            case .op(let op):
                if op == .subtract || op == .add, position == 0 || tokens[position - 1] == .open
                    || { if case .op = tokens[position - 1] { return true } else { return false } }() {
                    throw ParseFailure("unary '\(op.rawValue)' is not allowed; every number must be used as given")
                }
                throw ParseFailure(unexpected("a number or '('"))
            case .close:
                throw ParseFailure(position > 0 && tokens[position - 1] == .open
                    ? "empty parentheses '()'" : "unbalanced parentheses: ')' without a matching '('")
            }
        }

        func unexpected(_ expected: String) -> String {
            guard position < tokens.count else { return "the answer ends where \(expected) was expected" }
            let found: String
            switch tokens[position] {
            case .number(let n): found = String(n)
            case .op(let op): found = op.rawValue
            case .open: found = "("
            case .close: return "unbalanced parentheses: ')' without a matching '('"
            }
            return "expected \(expected), found '\(found)' (token \(position + 1))"
        }
    }
}

/// Why a Countdown answer could not be parsed.
public struct ParseFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map { index(after: $0) } ?? start
        return start < end ? self[start..<end] : self[start..<start]
    }
}
