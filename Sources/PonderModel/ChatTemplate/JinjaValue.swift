import Foundation

/// A value while a template renders. Mirrors the Python objects jinja2 would see: JSON-like data,
/// plus Jinja's `Undefined`, namespaces and callables (globals and bound methods).
enum JinjaValue {
    /// A missing variable, key or attribute. Printing it gives "", testing it gives false, and
    /// using it as a value (attribute access, arithmetic) is an error naming `hint`.
    case undefined(hint: String)
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([JinjaValue])
    /// Python tuples: behave like lists but print as `(a, b)` (e.g. the pairs of `dict.items()`).
    case tuple([JinjaValue])
    case dict(JinjaDict)
    case namespace(JinjaNamespace)
    case callable(JinjaCallable)

    static func undefinedName(_ name: String) -> JinjaValue { .undefined(hint: "'\(name)' is undefined") }

    /// Python truthiness (`Undefined` is falsy).
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .float(let d): d != 0
        case .string(let s): !s.unicodeScalars.isEmpty
        case .list(let a), .tuple(let a): !a.isEmpty
        case .dict(let d): !d.isEmpty
        case .namespace, .callable: true
        }
    }

    var isUndefined: Bool { if case .undefined = self { true } else { false } }

    /// The Python type name, for error messages that match jinja2's.
    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .namespace: "Namespace"
        case .callable: "function"
        }
    }

    /// Elements of a list or tuple.
    var sequenceItems: [JinjaValue]? {
        switch self {
        case .list(let a), .tuple(let a): a
        default: nil
        }
    }

    /// `str(value)` as Python prints it; `Undefined` prints as "".
    var pythonString: String {
        switch self {
        case .undefined: ""
        case .string(let s): s
        default: pythonRepr
        }
    }

    /// `repr(value)` as Python prints it (what `{{ [1, 'a'] }}` shows).
    var pythonRepr: String { repr(depth: 0) }

    /// Values nest at most `maximumNesting` deep (enforced when they are built), and a namespace
    /// can contain itself; past the limit Python's marker for recursive containers is printed.
    private func repr(depth: Int) -> String {
        guard depth <= JinjaValue.maximumNesting else { return "..." }
        let inner = { (v: JinjaValue) in v.repr(depth: depth + 1) }
        switch self {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PythonFormat.floatRepr(d)
        case .string(let s): return PythonFormat.stringRepr(s)
        case .list(let a): return "[" + a.map(inner).joined(separator: ", ") + "]"
        case .tuple(let a): return a.count == 1 ? "(\(inner(a[0])),)" : "(" + a.map(inner).joined(separator: ", ") + ")"
        case .dict(let d): return "{" + d.entries.map { PythonFormat.stringRepr($0.key) + ": " + inner($0.value) }.joined(separator: ", ") + "}"
        case .namespace(let n): return "<Namespace " + inner(.dict(n.attributes)) + ">"
        case .callable(let c): return "<function \(c.name)>"
        }
    }

    /// How deeply containers may nest. Templates are untrusted input: without a bound, a loop
    /// wrapping a list in a list could build a value whose printing or destruction overflows the stack.
    static let maximumNesting = 256

    /// The nesting depth of containers in this value, counted up to `limit + 1`. Namespaces
    /// already visited (cycles through `set ns.x = ns`) count as leaves.
    func nestingDepth(limit: Int = JinjaValue.maximumNesting) -> Int {
        var visited = Set<ObjectIdentifier>()
        func depth(_ v: JinjaValue, _ level: Int) -> Int {
            if level > limit { return level }
            switch v {
            case .list(let a), .tuple(let a): return a.reduce(level + 1) { max($0, depth($1, level + 1)) }
            case .dict(let d): return d.entries.reduce(level + 1) { max($0, depth($1.value, level + 1)) }
            case .namespace(let n):
                guard visited.insert(ObjectIdentifier(n)).inserted else { return level }
                return n.attributes.entries.reduce(level + 1) { max($0, depth($1.value, level + 1)) }
            default: return level
            }
        }
        return depth(self, 0)
    }

    /// The value as a number for arithmetic (Python treats `True` as 1).
    var numeric: JinjaNumber? {
        switch self {
        case .int(let i): .int(i)
        case .bool(let b): .int(b ? 1 : 0)
        case .float(let d): .float(d)
        default: nil
        }
    }

    /// Python `==`: numbers compare across int/float/bool, strings code point by code point,
    /// dicts ignore key order, `Undefined` equals only `Undefined`.
    func pythonEquals(_ other: JinjaValue) -> Bool {
        if let a = numeric, let b = other.numeric { return a.exactlyEquals(b) }
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return PythonText.equal(a, b)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pythonEquals($1) }
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && a.entries.allSatisfy { entry in b[entry.key].map { entry.value.pythonEquals($0) } ?? false }
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.callable(let a), .callable(let b)): return a === b
        default: return false
        }
    }

    /// Python ordering for `<`, `<=`, `>`, `>=`: -1, 0 or 1, or an error for unordered types.
    func pythonCompare(_ other: JinjaValue, op: String) throws -> Int {
        if let a = numeric, let b = other.numeric {
            if case .int(let i) = a, case .int(let j) = b { return i < j ? -1 : (i == j ? 0 : 1) }
            let x = a.doubleValue, y = b.doubleValue
            return x < y ? -1 : (x == y ? 0 : 1)
        }
        switch (self, other) {
        case (.string(let a), .string(let b)): return PythonText.compare(a, b)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a, b) where !x.pythonEquals(y) { return try x.pythonCompare(y, op: op) }
            return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
        case (.undefined(let hint), _), (_, .undefined(let hint)):
            throw JinjaFailure.render(hint)
        default:
            throw JinjaFailure.render("'\(op)' not supported between instances of '\(typeName)' and '\(other.typeName)'")
        }
    }
}

/// An int or float operand, after Python's bool-is-int promotion.
enum JinjaNumber {
    case int(Int)
    case float(Double)

    var doubleValue: Double {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        }
    }

    /// Equality that does not lose precision for large ints.
    func exactlyEquals(_ other: JinjaNumber) -> Bool {
        switch (self, other) {
        case (.int(let a), .int(let b)): a == b
        case (.int(let a), .float(let b)), (.float(let b), .int(let a)): Double(exactly: a).map { $0 == b } ?? false
        case (.float(let a), .float(let b)): a == b
        }
    }
}

/// An insertion-ordered dictionary with string keys, compared code point by code point (Swift's
/// `Dictionary<String, _>` would merge canonically equivalent keys that Python keeps apart).
struct JinjaDict {
    struct Entry {
        var key: String
        var value: JinjaValue
    }

    private(set) var entries: [Entry] = []

    init() {}
    init(_ entries: [(key: String, value: JinjaValue)]) {
        for (k, v) in entries { self[k] = v }
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var keys: [String] { entries.map(\.key) }

    subscript(key: String) -> JinjaValue? {
        get { entries.first { PythonText.equal($0.key, key) }?.value }
        set {
            if let i = entries.firstIndex(where: { PythonText.equal($0.key, key) }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }
}

/// Jinja's `namespace()`: the one mutable object templates have, assigned with `set ns.x = …`.
/// A reference type so that assignments inside loops are seen after them.
final class JinjaNamespace {
    var attributes: JinjaDict
    init(_ attributes: JinjaDict) { self.attributes = attributes }
}

/// Positional and keyword arguments of a call, filter or test.
struct JinjaArguments {
    var positional: [JinjaValue] = []
    var keyword: [(name: String, value: JinjaValue)] = []

    /// Binds the arguments to parameter names like a Python signature: positional first, then
    /// by keyword. Missing parameters are nil; surplus or unknown ones are errors.
    func bind(_ parameters: [String], function: String) throws -> [JinjaValue?] {
        if positional.count > parameters.count {
            throw JinjaFailure.render("\(function)() takes at most \(parameters.count) arguments (\(positional.count) given)")
        }
        var bound: [JinjaValue?] = positional.map { $0 } + Array(repeating: nil, count: parameters.count - positional.count)
        for (name, value) in keyword {
            guard let i = parameters.firstIndex(of: name) else {
                throw JinjaFailure.render("\(function)() got an unexpected keyword argument '\(name)'")
            }
            if bound[i] != nil { throw JinjaFailure.render("\(function)() got multiple values for argument '\(name)'") }
            bound[i] = value
        }
        return bound
    }
}

/// A callable value: a global function (`namespace`, `range`, ...) or a bound method (`'a,b'.split`).
final class JinjaCallable {
    let name: String
    let body: (JinjaArguments) throws -> JinjaValue

    init(_ name: String, _ body: @escaping (JinjaArguments) throws -> JinjaValue) {
        self.name = name
        self.body = body
    }
}
