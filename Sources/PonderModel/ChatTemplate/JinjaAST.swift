/// The parsed form of a template: statements (`JinjaNode`) holding expressions (`JinjaExpr`).
/// Both are immutable values, so a parsed `ChatTemplate` is `Sendable` and renders concurrently.

struct JinjaExpr: Sendable {
    enum BinaryOp: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    }

    enum CompareOp: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
        case isIn = "in", notIn = "not in"
    }

    struct Argument: Sendable {
        /// nil for a positional argument.
        var name: String?
        var value: JinjaExpr
    }

    struct Comparison: Sendable {
        var op: CompareOp
        var operand: JinjaExpr
    }

    struct DictItem: Sendable {
        var key: JinjaExpr
        var value: JinjaExpr
    }

    indirect enum Kind: Sendable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case none
        case name(String)
        case list([JinjaExpr])
        case tuple([JinjaExpr])
        case dict([DictItem])
        /// `a.b` (attribute first, then item, like jinja2's `getattr`).
        case attribute(JinjaExpr, String)
        /// `a[b]` (item first, then attribute).
        case item(JinjaExpr, JinjaExpr)
        /// `a[start:stop:step]`.
        case slice(JinjaExpr, start: JinjaExpr?, stop: JinjaExpr?, step: JinjaExpr?)
        case call(JinjaExpr, [Argument])
        /// `value | name(args)`.
        case filter(JinjaExpr, name: String, [Argument])
        /// `value is [not] name(args)`.
        case test(JinjaExpr, name: String, [Argument], negated: Bool)
        case not(JinjaExpr)
        case negate(JinjaExpr)
        case plus(JinjaExpr)
        case binary(BinaryOp, JinjaExpr, JinjaExpr)
        /// `a ~ b ~ c`: string concatenation of `str()` of each operand.
        case concat([JinjaExpr])
        case and(JinjaExpr, JinjaExpr)
        case or(JinjaExpr, JinjaExpr)
        /// `a < b <= c`: chained like Python.
        case compare(JinjaExpr, [Comparison])
        /// `a if condition else b` (`else` optional: undefined when omitted).
        case conditional(then: JinjaExpr, condition: JinjaExpr, otherwise: JinjaExpr?)
    }

    var kind: Kind
    var location: TemplateSourceLocation
}

/// The left side of `{% set … %}`.
enum JinjaAssignTarget: Sendable {
    case name(String)
    /// `set ns.attr = …` on a `namespace()`.
    case attribute(object: String, attribute: String)
    /// `set a, b = …`.
    case names([String])
}

struct JinjaIfBranch: Sendable {
    var condition: JinjaExpr
    var body: [JinjaNode]
}

struct JinjaForLoop: Sendable {
    /// One name, or several to unpack each item into.
    var targets: [String]
    var iterable: JinjaExpr
    /// `for x in xs if condition`: items are filtered before `loop.length` is known.
    var condition: JinjaExpr?
    var body: [JinjaNode]
    /// `{% else %}`: rendered when no item passed.
    var otherwise: [JinjaNode]
    var location: TemplateSourceLocation
}

indirect enum JinjaNode: Sendable {
    case text(String)
    case output(JinjaExpr)
    case conditional([JinjaIfBranch], otherwise: [JinjaNode])
    case forLoop(JinjaForLoop)
    case set(JinjaAssignTarget, JinjaExpr, TemplateSourceLocation)
    /// `{% set name %}…{% endset %}`: captures rendered text.
    case setBlock(String, [JinjaNode])
    case loopBreak
    case loopContinue
    /// transformers' `{% generation %}…{% endgeneration %}` (marks assistant text; renders its body).
    case generation([JinjaNode])
}
