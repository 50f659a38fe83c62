import Foundation

/// Python semantics of member access, indexing, slicing and the arithmetic/comparison operators,
/// including jinja2's rules for `Undefined` (printing and truth testing are fine, arithmetic and
/// attribute access fail) and its fallbacks (`a.b` tries the attribute then the item, `a[b]`
/// the item then the attribute, and a miss gives `Undefined` rather than an error).
enum JinjaOperators {
    static func attribute(_ object: JinjaValue, _ name: String) throws -> JinjaValue {
        switch object {
        case .undefined(let hint):
            throw JinjaFailure.render(hint)
        case .dict(let dict):
            if let method = JinjaMethods.dictMethod(dict, name) { return method }
            return dict[name] ?? missing(object, name)
        case .namespace(let ns):
            return ns.attributes[name] ?? missing(object, name)
        case .string(let s):
            return JinjaMethods.stringMethod(s, name) ?? missing(object, name)
        default:
            return missing(object, name)
        }
    }

    private static func missing(_ object: JinjaValue, _ name: String) -> JinjaValue {
        .undefined(hint: "'\(object.typeName) object' has no attribute '\(name)'")
    }

    static func item(_ object: JinjaValue, _ key: JinjaValue) throws -> JinjaValue {
        if case .undefined(let hint) = object { throw JinjaFailure.render(hint) }
        switch (object, key) {
        case (.dict(let dict), .string(let k)):
            if let value = dict[k] { return value }
        case (.list(let items), _), (.tuple(let items), _):
            if case .int(let i)? = key.numeric, key.isIntegral {
                let index = i < 0 ? i + items.count : i
                return items.indices.contains(index) ? items[index] : .undefined(hint: "'\(object.typeName) object' has no element \(i)")
            }
        case (.string(let s), _):
            if case .int(let i)? = key.numeric, key.isIntegral {
                let scalars = Array(s.unicodeScalars)
                let index = i < 0 ? i + scalars.count : i
                return scalars.indices.contains(index) ? .string(String(scalars[index])) : .undefined(hint: "'str object' has no element \(i)")
            }
        default:
            break
        }
        if case .string(let name) = key { return try attribute(object, name) }
        return .undefined(hint: "'\(object.typeName) object' has no element \(key.pythonRepr)")
    }

    /// `object[start:stop:step]` with Python's clamping of out-of-range bounds.
    static func slice(_ object: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?) throws -> JinjaValue {
        func bound(_ v: JinjaValue?) throws -> Int? {
            guard let v, !isNone(v) else { return nil }
            guard case .int(let i)? = v.numeric, v.isIntegral else {
                throw JinjaFailure.render("slice indices must be integers or None, not \(v.typeName)")
            }
            return i
        }
        let step = try bound(step) ?? 1
        if step == 0 { throw JinjaFailure.render("slice step cannot be zero") }
        let (start, stop) = (try bound(start), try bound(stop))
        func indices(_ n: Int) -> [Int] {
            if step > 0 {
                let clamp: (Int) -> Int = { $0 < 0 ? max(0, $0 + n) : min($0, n) }
                let lo = start.map(clamp) ?? 0, hi = stop.map(clamp) ?? n
                return lo < hi ? Array(stride(from: lo, to: hi, by: step)) : []
            }
            let clamp: (Int) -> Int = { $0 < 0 ? max(-1, $0 + n) : min($0, n - 1) }
            let hi = start.map(clamp) ?? n - 1, lo = stop.map(clamp) ?? -1
            return hi > lo ? Array(stride(from: hi, to: lo, by: step)) : []
        }
        switch object {
        case .undefined(let hint): throw JinjaFailure.render(hint)
        case .list(let items): return .list(indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(indices(items.count).map { items[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            return .string(PythonText.string(indices(scalars.count).map { scalars[$0] }))
        default: return .undefined(hint: "'\(object.typeName) object' cannot be sliced")
        }
    }

    private static func isNone(_ v: JinjaValue) -> Bool { if case .none = v { true } else { false } }

    static func negate(_ v: JinjaValue, sign: Int) throws -> JinjaValue {
        switch v.numeric {
        case .int(let i)?:
            guard sign > 0 else {
                guard i != .min else { throw JinjaFailure.render("integer overflow") }
                return .int(-i)
            }
            return .int(i)
        case .float(let d)?: return .float(sign > 0 ? d : -d)
        case nil:
            if case .undefined(let hint) = v { throw JinjaFailure.render(hint) }
            throw JinjaFailure.render("bad operand type for unary \(sign > 0 ? "+" : "-"): '\(v.typeName)'")
        }
    }

    static func binary(_ op: JinjaExpr.BinaryOp, _ a: JinjaValue, _ b: JinjaValue) throws -> JinjaValue {
        if case .undefined(let hint) = a { throw JinjaFailure.render(hint) }
        if case .undefined(let hint) = b { throw JinjaFailure.render(hint) }
        if let x = a.numeric, let y = b.numeric { return try arithmetic(op, x, y) }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.add, .list(let x), .list(let y)): return .list(x + y)
        case (.add, .tuple(let x), .tuple(let y)): return .tuple(x + y)
        case (.add, .string, _), (.add, .list, _), (.add, .tuple, _):
            throw JinjaFailure.render("can only concatenate \(a.typeName) (not \"\(b.typeName)\") to \(a.typeName)")
        case (.multiply, _, _):
            if let repeated = try repeatSequence(a, b) ?? repeatSequence(b, a) { return repeated }
        case (.modulo, .string, _):
            throw JinjaFailure.unsupported("printf-style string formatting with '%' is not supported; use '~' or '+'")
        default:
            break
        }
        throw JinjaFailure.render("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
    }

    private static func repeatSequence(_ sequence: JinjaValue, _ count: JinjaValue) throws -> JinjaValue? {
        guard case .int(let n)? = count.numeric, count.isIntegral else { return nil }
        let times = max(0, n)
        // A template is untrusted input: refuse repetitions that would exhaust memory.
        let unit = sequence.sequenceItems?.count ?? (sequence.stringScalarCount ?? 0)
        if unit > 0, times > 10_000_000 / unit { throw JinjaFailure.render("repetition result is too large (over 10 million items)") }
        switch sequence {
        case .string(let s): return .string(String(repeating: s, count: times))
        case .list(let items): return .list(Array(Array(repeating: items, count: times).joined()))
        case .tuple(let items): return .tuple(Array(Array(repeating: items, count: times).joined()))
        default: return nil
        }
    }

    private static func arithmetic(_ op: JinjaExpr.BinaryOp, _ x: JinjaNumber, _ y: JinjaNumber) throws -> JinjaValue {
        if case .int(let a) = x, case .int(let b) = y {
            func checked(_ r: (partialValue: Int, overflow: Bool)) throws -> JinjaValue {
                if r.overflow { throw JinjaFailure.render("integer overflow in '\(op.rawValue)'") }
                return .int(r.partialValue)
            }
            switch op {
            case .add: return try checked(a.addingReportingOverflow(b))
            case .subtract: return try checked(a.subtractingReportingOverflow(b))
            case .multiply: return try checked(a.multipliedReportingOverflow(by: b))
            case .divide:
                if b == 0 { throw JinjaFailure.render("division by zero") }
                return .float(Double(a) / Double(b))
            case .floorDivide, .modulo:
                if b == 0 { throw JinjaFailure.render("integer division or modulo by zero") }
                var q = a / b, r = a % b
                if r != 0 && ((r < 0) != (b < 0)) { q -= 1; r += b }
                return .int(op == .floorDivide ? q : r)
            case .power:
                if b < 0 {
                    if a == 0 { throw JinjaFailure.render("0.0 cannot be raised to a negative power") }
                    return .float(pow(Double(a), Double(b)))
                }
                var result = 1, base = a, exponent = b
                while exponent > 0 {
                    if exponent & 1 == 1 { result = try checked(result.multipliedReportingOverflow(by: base)).intValue }
                    exponent >>= 1
                    if exponent > 0 { base = try checked(base.multipliedReportingOverflow(by: base)).intValue }
                }
                return .int(result)
            }
        }
        let a = x.doubleValue, b = y.doubleValue
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            if b == 0 { throw JinjaFailure.render("float division by zero") }
            return .float(a / b)
        case .floorDivide, .modulo:
            if b == 0 { throw JinjaFailure.render("float floor division or modulo by zero") }
            // CPython's float_divmod, so that results match to the last bit.
            var mod = fmod(a, b)
            var div = (a - mod) / b
            if mod != 0 {
                if (b < 0) != (mod < 0) { mod += b; div -= 1 }
            } else {
                mod = copysign(0, b)
            }
            var floorDiv: Double
            if div != 0 {
                floorDiv = div.rounded(.down)
                if div - floorDiv > 0.5 { floorDiv += 1 }
            } else {
                floorDiv = copysign(0, a / b)
            }
            return .float(op == .floorDivide ? floorDiv : mod)
        case .power:
            if a == 0 && b < 0 { throw JinjaFailure.render("0.0 cannot be raised to a negative power") }
            let r = pow(a, b)
            if r.isNaN && !a.isNaN && !b.isNaN { throw JinjaFailure.unsupported("a negative number raised to a fractional power is complex") }
            return .float(r)
        }
    }

    static func compare(_ op: JinjaExpr.CompareOp, _ a: JinjaValue, _ b: JinjaValue) throws -> Bool {
        switch op {
        case .equal: return a.pythonEquals(b)
        case .notEqual: return !a.pythonEquals(b)
        case .less: return try a.pythonCompare(b, op: "<") < 0
        case .lessEqual: return try a.pythonCompare(b, op: "<=") <= 0
        case .greater: return try a.pythonCompare(b, op: ">") > 0
        case .greaterEqual: return try a.pythonCompare(b, op: ">=") >= 0
        case .isIn: return try contains(b, a)
        case .notIn: return try !contains(b, a)
        }
    }

    /// `needle in container`.
    static func contains(_ container: JinjaValue, _ needle: JinjaValue) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let n) = needle else {
                throw JinjaFailure.render("'in <string>' requires string as left operand, not \(needle.typeName)")
            }
            return PythonText.contains(s, n)
        case .list(let items), .tuple(let items):
            return items.contains { $0.pythonEquals(needle) }
        case .dict(let dict):
            if case .string(let k) = needle { return dict[k] != nil }
            return false
        case .namespace(let ns):
            if case .string(let k) = needle { return ns.attributes[k] != nil }
            return false
        case .undefined:
            return false  // Undefined iterates as empty
        default:
            throw JinjaFailure.render("argument of type '\(container.typeName)' is not iterable")
        }
    }

    /// The items a `for` loop (or a filter) walks: list items, dict keys, string code points.
    static func iterate(_ value: JinjaValue) throws -> [JinjaValue] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let dict): return dict.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw JinjaFailure.render("'\(value.typeName)' object is not iterable")
        }
    }
}

extension JinjaValue {
    /// True for ints and bools (the values Python accepts as indexes).
    var isIntegral: Bool {
        switch self {
        case .int, .bool: true
        default: false
        }
    }

    fileprivate var stringScalarCount: Int? {
        if case .string(let s) = self { return s.unicodeScalars.count }
        return nil
    }

    fileprivate var intValue: Int {
        if case .int(let i) = self { return i }
        return 0
    }
}
