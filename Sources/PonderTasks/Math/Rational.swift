/// An exact fraction over 64-bit integers, in lowest terms with a positive denominator.
///
/// Used to decide whether two numeric answers are equal (`0.5`, `1/2`, `\frac{2}{4}`).
/// Every operation is checked: anything that would overflow yields nil, and callers then
/// fall back to comparing normalized text — a safe failure, never a wrong "equal".
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    /// `numerator / denominator` in lowest terms; nil when `denominator` is 0 or a value
    /// cannot be represented (`Int.min` cannot be negated).
    public init?(_ numerator: Int, _ denominator: Int = 1) {
        guard denominator != 0, numerator != .min, denominator != .min else { return nil }
        let g = Self.gcd(abs(numerator), abs(denominator))
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / max(g, 1)
        self.denominator = sign * denominator / max(g, 1)
    }

    public var description: String {
        denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)"
    }

    /// `self / other`, or nil on division by zero or overflow.
    public func dividing(by other: Rational) -> Rational? {
        guard other.numerator != 0 else { return nil }
        let (n, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
        let (d, o2) = denominator.multipliedReportingOverflow(by: other.numerator)
        guard !o1, !o2 else { return nil }
        return Rational(n, d)
    }

    /// Parses a plain number: an optional sign, digits, an optional fraction (`-12`, `3.75`,
    /// `-.5`, `2.`), or a ratio of two such numbers (`3/4`, `-1.5/3`). Nil for anything else
    /// and for values beyond 64-bit range.
    public static func parse(_ text: String) -> Rational? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return parseDecimal(parts[0])
        case 2:
            guard let n = parseDecimal(parts[0]), let d = parseDecimal(parts[1]) else { return nil }
            return n.dividing(by: d)
        default:
            return nil
        }
    }

    /// Parses `[-+]digits[.digits]` (at least one digit) exactly.
    static func parseDecimal(_ text: Substring) -> Rational? {
        var body = text
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return nil }
        let whole = pieces[0]
        let fraction = pieces.count == 2 ? pieces[1] : Substring("")
        guard !(whole.isEmpty && fraction.isEmpty),
              whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        var numerator = 0
        var denominator = 1
        for ch in whole + fraction {
            guard let digit = ch.wholeNumberValue else { return nil }
            let (times10, o1) = numerator.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            numerator = next
        }
        for _ in fraction {
            let (next, overflow) = denominator.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            denominator = next
        }
        return Rational(negative ? -numerator : numerator, denominator)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
