/// Jinja tests (`value is defined`, `x is divisibleby 3`, ...), with jinja2's definitions.
/// Also used by the `select`/`reject` filters, which take a test name as a string.
enum JinjaTests {
    static let supported: Set<String> = [
        "defined", "undefined", "none", "boolean", "true", "false", "integer", "float", "number", "string", "mapping",
        "iterable", "sequence", "callable", "odd", "even", "divisibleby", "lower", "upper", "in", "sameas", "escaped",
        "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=",
    ]

    static func apply(_ name: String, _ value: JinjaValue, _ args: [JinjaValue]) throws -> Bool {
        func argument() throws -> JinjaValue {
            guard args.count == 1 else { throw JinjaFailure.render("the test '\(name)' takes exactly one argument (\(args.count) given)") }
            return args[0]
        }
        func noArguments() throws {
            if !args.isEmpty { throw JinjaFailure.render("the test '\(name)' takes no arguments (\(args.count) given)") }
        }
        switch name {
        case "defined": try noArguments(); return !value.isUndefined
        case "undefined": try noArguments(); return value.isUndefined
        case "none": try noArguments(); if case .none = value { return true }; return false
        case "boolean": try noArguments(); if case .bool = value { return true }; return false
        case "true": try noArguments(); if case .bool(true) = value { return true }; return false
        case "false": try noArguments(); if case .bool(false) = value { return true }; return false
        case "integer": try noArguments(); if case .int = value { return true }; return false
        case "float": try noArguments(); if case .float = value { return true }; return false
        case "number": try noArguments(); return value.numeric != nil
        case "string": try noArguments(); if case .string = value { return true }; return false
        case "mapping": try noArguments(); if case .dict = value { return true }; return false
        case "iterable":
            try noArguments()
            switch value {
            case .string, .list, .tuple, .dict, .undefined: return true
            default: return false
            }
        case "sequence":
            try noArguments()
            switch value {
            case .string, .list, .tuple, .dict: return true
            default: return false
            }
        case "callable": try noArguments(); if case .callable = value { return true }; return false
        case "escaped": try noArguments(); return false  // nothing is HTML-escaped Markup here
        case "odd", "even":
            try noArguments()
            guard case .int(let i)? = value.numeric, value.isIntegral else {
                throw JinjaFailure.render("the test '\(name)' needs an integer, not \(value.typeName)")
            }
            return (abs(i % 2) == 1) == (name == "odd")
        case "divisibleby":
            let divisor = try argument()
            let remainder = try JinjaOperators.binary(.modulo, value, divisor)
            return remainder.pythonEquals(.int(0))
        case "lower", "upper":
            try noArguments()
            let text = value.pythonString
            let lower = PythonText.lower(text), upper = PythonText.upper(text)
            let hasCased = text.unicodeScalars.contains { $0.properties.isCased }
            return hasCased && PythonText.equal(text, name == "lower" ? lower : upper)
        case "in": return try JinjaOperators.contains(try argument(), value)
        case "sameas":
            let other = try argument()
            switch (value, other) {
            case (.none, .none), (.undefined, .undefined): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a === b
            default: return false
            }
        case "eq", "equalto", "==": return try JinjaOperators.compare(.equal, value, try argument())
        case "ne", "!=": return try JinjaOperators.compare(.notEqual, value, try argument())
        case "lt", "lessthan", "<": return try JinjaOperators.compare(.less, value, try argument())
        case "le", "<=": return try JinjaOperators.compare(.lessEqual, value, try argument())
        case "gt", "greaterthan", ">": return try JinjaOperators.compare(.greater, value, try argument())
        case "ge", ">=": return try JinjaOperators.compare(.greaterEqual, value, try argument())
        default:
            throw JinjaFailure.unsupported("unknown test '\(name)'")
        }
    }
}
