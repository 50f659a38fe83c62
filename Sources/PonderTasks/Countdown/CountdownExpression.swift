/// The four Countdown operators.
public enum CountdownOperator: String, Sendable, Hashable, Codable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    /// Binding strength: × and ÷ bind tighter than + and −.
    var precedence: Int { self == .add || self == .subtract ? 1 : 2 }
    /// Whether swapping the operands keeps the value.
    var isCommutative: Bool { self == .add || self == .multiply }

    /// Applies the operator under Countdown's rule: every result is a non-negative integer.
    /// Subtraction must not go below zero, division must be exact and not by zero, and
    /// nothing may overflow `Int`. Returns the reason on failure.
    public func apply(_ a: Int, _ b: Int) -> Result<Int, CountdownRuleViolation> {
        switch self {
        case .add:
            let (v, overflow) = a.addingReportingOverflow(b)
            return overflow ? .failure(.overflow(a, self, b)) : .success(v)
        case .subtract:
            return a >= b ? .success(a - b) : .failure(.negative(a, b))
        case .multiply:
            let (v, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? .failure(.overflow(a, self, b)) : .success(v)
        case .divide:
            if b == 0 { return .failure(.divisionByZero(a)) }
            return a % b == 0 ? .success(a / b) : .failure(.inexactDivision(a, b))
        }
    }
}

/// Why a Countdown step broke the integer rule.
public enum CountdownRuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    case negative(Int, Int)
    case divisionByZero(Int)
    case inexactDivision(Int, Int)
    case overflow(Int, CountdownOperator, Int)

    public var description: String {
        switch self {
        case .negative(let a, let b):
            return "negative intermediate \(a) - \(b) = \(a - b); subtract the smaller number from the larger"
        case .divisionByZero(let a):
            return "division by zero in \(a) / 0"
        case .inexactDivision(let a, let b):
            return "non-integer intermediate \(a) / \(b); division must be exact"
        case .overflow(let a, let op, let b):
            return "intermediate \(a) \(op.rawValue) \(b) overflows a 64-bit integer"
        }
    }
}

/// A Countdown expression tree, as parsed from an answer or built by the solver.
public indirect enum CountdownExpression: Sendable, Hashable {
    case number(Int)
    case binary(CountdownOperator, CountdownExpression, CountdownExpression)

    /// The leaf numbers, left to right.
    public var numbers: [Int] {
        switch self {
        case .number(let n): return [n]
        case .binary(_, let l, let r): return l.numbers + r.numbers
        }
    }

    /// Evaluates bottom-up under Countdown's integer rule, failing on the first violation.
    public func evaluate() -> Result<Int, CountdownRuleViolation> {
        switch self {
        case .number(let n):
            return .success(n)
        case .binary(let op, let l, let r):
            switch (l.evaluate(), r.evaluate()) {
            case (.failure(let e), _), (_, .failure(let e)): return .failure(e)
            case (.success(let a), .success(let b)): return op.apply(a, b)
            }
        }
    }

    /// The expression in conventional notation with as few parentheses as keep the tree:
    /// a left operand is bracketed when it binds more loosely than its operator, a right
    /// operand when it binds no tighter (so `a - (b - c)` and `a + (b - c)` keep the order
    /// of the step lines, and re-parsing gives back this exact tree).
    public var rendered: String {
        switch self {
        case .number(let n):
            return String(n)
        case .binary(let op, let l, let r):
            var left = l.rendered
            var right = r.rendered
            if case .binary(let lop, _, _) = l, lop.precedence < op.precedence { left = "(\(left))" }
            if case .binary(let rop, _, _) = r, rop.precedence <= op.precedence { right = "(\(right))" }
            return "\(left) \(op.rawValue) \(right)"
        }
    }

    /// One line `a op b = c` per operation, operands before the operation that uses them
    /// (post-order). Nil when the tree breaks the integer rule.
    public var stepLines: [String]? {
        var lines: [String] = []
        return appendSteps(to: &lines) == nil ? nil : lines
    }

    private func appendSteps(to lines: inout [String]) -> Int? {
        switch self {
        case .number(let n):
            return n
        case .binary(let op, let l, let r):
            guard let a = l.appendSteps(to: &lines), let b = r.appendSteps(to: &lines),
                  case .success(let c) = op.apply(a, b) else { return nil }
            lines.append("\(a) \(op.rawValue) \(b) = \(c)")
            return c
        }
    }

    /// A key under which solutions that differ only by the order of operands of + and ×, or
    /// by regrouping a chain of + or of × (`(a+b)+c` vs `a+(b+c)`), coincide. The solver
    /// counts distinct solutions by it.
    public var canonicalKey: String {
        switch self {
        case .number(let n):
            return String(n)
        case .binary(let op, let l, let r):
            if op.isCommutative {
                let terms = (l.flattened(op) + r.flattened(op)).map(\.canonicalKey).sorted()
                return "\(op.rawValue)(" + terms.joined(separator: ",") + ")"
            }
            return "\(op.rawValue)(\(l.canonicalKey),\(r.canonicalKey))"
        }
    }

    private func flattened(_ op: CountdownOperator) -> [CountdownExpression] {
        if case .binary(let o, let l, let r) = self, o == op {
            return l.flattened(op) + r.flattened(op)
        }
        return [self]
    }

    /// The number of operations (leaves − 1).
    public var operationCount: Int {
        switch self {
        case .number: return 0
        case .binary(_, let l, let r): return 1 + l.operationCount + r.operationCount
        }
    }

    /// The largest intermediate value (used to prefer readable reference solutions).
    var largestIntermediate: Int {
        switch self {
        case .number: return 0
        case .binary(let op, let l, let r):
            guard case .success(let a) = l.evaluate(), case .success(let b) = r.evaluate(),
                  case .success(let c) = op.apply(a, b) else { return Int.max }
            return max(c, l.largestIntermediate, r.largestIntermediate)
        }
    }
}
