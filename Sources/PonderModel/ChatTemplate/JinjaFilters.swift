import Foundation

/// The filters chat templates use, with jinja2's definitions — except `tojson`, which is
/// transformers' override: `json.dumps(x, ensure_ascii=False, indent=None, separators=None,
/// sort_keys=False)` (jinja2's own would HTML-escape `<`, `>`, `&` and `'`).
enum JinjaFilters {
    static let supported: Set<String> = [
        "abs", "capitalize", "count", "d", "default", "first", "float", "int", "items", "join", "last", "length", "list",
        "lower", "map", "reject", "rejectattr", "replace", "reverse", "safe", "select", "selectattr", "string", "tojson",
        "trim", "upper",
    ]

    static func apply(_ name: String, _ value: JinjaValue, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "abs":
            _ = try args.bind([], function: name)
            switch value.numeric {
            case .int(let i)?: return i == .min ? .float(-Double(i)) : .int(abs(i))
            case .float(let d)?: return .float(abs(d))
            case nil: throw JinjaFailure.render("bad operand type for abs(): '\(value.typeName)'")
            }
        case "capitalize":
            _ = try args.bind([], function: name)
            return .string(PythonText.capitalize(value.pythonString))
        case "count", "length":
            _ = try args.bind([], function: name)
            return .int(try length(value))
        case "d", "default":
            let a = try args.bind(["default_value", "boolean"], function: name)
            let useDefault = value.isUndefined || ((a[1]?.isTruthy ?? false) && !value.isTruthy)
            return useDefault ? (a[0] ?? .string("")) : value
        case "first":
            _ = try args.bind([], function: name)
            return try JinjaOperators.iterate(value).first ?? .undefined(hint: "No first item, sequence was empty.")
        case "last":
            _ = try args.bind([], function: name)
            if case .undefined(let hint) = value { throw JinjaFailure.render(hint) }
            return try JinjaOperators.iterate(value).last ?? .undefined(hint: "No last item, sequence was empty.")
        case "float":
            let a = try args.bind(["default"], function: name)
            return toFloat(value) ?? a[0] ?? .float(0)
        case "int":
            let a = try args.bind(["default", "base"], function: name)
            let base = try JinjaMethods.optionalInt(a[1], "int() base", default: 10)
            if case .string(let s) = value {
                let text = PythonText.strip(s, chars: nil).replacingOccurrences(of: "_", with: "")
                if let i = Int(text, radix: base) { return .int(i) }
            } else if case .int(let i)? = value.numeric, value.isIntegral {
                return .int(i)
            }
            if case .float(let d)? = toFloat(value), d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) { return .int(i) }
            return a[0] ?? .int(0)
        case "items":
            _ = try args.bind([], function: name)
            switch value {
            case .undefined: return .list([])
            case .dict(let dict): return .list(dict.entries.map { .tuple([.string($0.key), $0.value]) })
            default: throw JinjaFailure.render("Can only get item pairs from a mapping.")
            }
        case "join":
            let a = try args.bind(["d", "attribute"], function: name)
            var items = try JinjaOperators.iterate(value)
            if let attribute = a[1], !isNone(attribute) { items = try items.map { try lookup($0, attribute, default: nil) } }
            let separator = a[0]?.pythonString ?? ""
            return .string(items.map(\.pythonString).joined(separator: separator))
        case "list":
            _ = try args.bind([], function: name)
            return .list(try JinjaOperators.iterate(value))
        case "lower", "upper":
            _ = try args.bind([], function: name)
            return .string(name == "lower" ? PythonText.lower(value.pythonString) : PythonText.upper(value.pythonString))
        case "map":
            return .list(try map(value, args))
        case "select", "reject":
            guard args.keyword.isEmpty else { throw JinjaFailure.render("\(name)() takes no keyword arguments") }
            let test = try args.positional.first.map { try JinjaMethods.requiredString($0, "\(name)() test name") }
            let testArgs = Array(args.positional.dropFirst())
            return .list(try JinjaOperators.iterate(value).filter { item in
                try passes(item, test: test, testArgs) == (name == "select")
            })
        case "selectattr", "rejectattr":
            guard args.keyword.isEmpty, let attribute = args.positional.first else {
                throw JinjaFailure.render("\(name)() needs an attribute name as its first argument")
            }
            let test = try args.positional.dropFirst().first.map { try JinjaMethods.requiredString($0, "\(name)() test name") }
            let testArgs = Array(args.positional.dropFirst(2))
            return .list(try JinjaOperators.iterate(value).filter { item in
                try passes(try lookup(item, attribute, default: nil), test: test, testArgs) == (name == "selectattr")
            })
        case "replace":
            let a = try args.bind(["old", "new", "count"], function: name)
            return .string(PythonText.replace(value.pythonString, try JinjaMethods.requiredString(a[0], "replace() old"),
                                              try JinjaMethods.requiredString(a[1], "replace() new"),
                                              count: try JinjaMethods.optionalInt(a[2], "replace() count", default: -1)))
        case "reverse":
            _ = try args.bind([], function: name)
            if case .string(let s) = value { return .string(PythonText.string(s.unicodeScalars.reversed())) }
            return .list(try JinjaOperators.iterate(value).reversed())
        case "safe", "string":
            _ = try args.bind([], function: name)
            return .string(value.pythonString)
        case "tojson":
            return .string(try PythonFormat.json(value, try jsonOptions(args)))
        case "trim":
            let a = try args.bind(["chars"], function: name)
            return .string(PythonText.strip(value.pythonString, chars: try JinjaMethods.optionalString(a[0], "trim() chars")))
        default:
            throw JinjaFailure.unsupported("unknown filter '\(name)'")
        }
    }

    private static func isNone(_ v: JinjaValue) -> Bool { if case .none = v { true } else { false } }

    static func length(_ value: JinjaValue) throws -> Int {
        switch value {
        case .string(let s): return s.unicodeScalars.count
        case .list(let a), .tuple(let a): return a.count
        case .dict(let d): return d.count
        case .namespace(let ns): return ns.attributes.count
        case .undefined: return 0
        default: throw JinjaFailure.render("object of type '\(value.typeName)' has no len()")
        }
    }

    private static func toFloat(_ value: JinjaValue) -> JinjaValue? {
        switch value {
        case .string(let s):
            return Double(PythonText.strip(s, chars: nil).replacingOccurrences(of: "_", with: "")).map { .float($0) }
        default:
            return value.numeric.map { .float($0.doubleValue) }
        }
    }

    /// jinja2's attribute getter for `map(attribute=...)`, `selectattr`, `join(attribute=...)`:
    /// dotted paths, with integer parts used as indexes.
    private static func lookup(_ item: JinjaValue, _ attribute: JinjaValue, default fallback: JinjaValue?) throws -> JinjaValue {
        var parts: [JinjaValue]
        switch attribute {
        case .string(let path):
            parts = path.split(separator: ".", omittingEmptySubsequences: false).map { part in
                Int(part).map { .int($0) } ?? .string(String(part))
            }
        case .int:
            parts = [attribute]
        default:
            throw JinjaFailure.render("attribute must be a string or an integer, not \(attribute.typeName)")
        }
        var current = item
        for part in parts { current = try JinjaOperators.item(current, part) }
        if current.isUndefined, let fallback { return fallback }
        return current
    }

    private static func passes(_ item: JinjaValue, test: String?, _ args: [JinjaValue]) throws -> Bool {
        guard let test else { return item.isTruthy }
        guard JinjaTests.supported.contains(test) else { throw JinjaFailure.unsupported("unknown test '\(test)'") }
        return try JinjaTests.apply(test, item, args)
    }

    private static func map(_ value: JinjaValue, _ args: JinjaArguments) throws -> [JinjaValue] {
        let items = try JinjaOperators.iterate(value)
        if let attribute = args.keyword.first(where: { $0.name == "attribute" })?.value {
            let fallback = args.keyword.first { $0.name == "default" }?.value
            if !args.positional.isEmpty || args.keyword.contains(where: { $0.name != "attribute" && $0.name != "default" }) {
                throw JinjaFailure.render("map(attribute=...) takes only 'attribute' and 'default'")
            }
            return try items.map { try lookup($0, attribute, default: fallback) }
        }
        guard let first = args.positional.first else { throw JinjaFailure.render("map() needs a filter name or attribute=...") }
        let filter = try JinjaMethods.requiredString(first, "map() filter name")
        guard supported.contains(filter) else { throw JinjaFailure.unsupported("unknown filter '\(filter)'") }
        let rest = JinjaArguments(positional: Array(args.positional.dropFirst()), keyword: args.keyword)
        return try items.map { try apply(filter, $0, rest) }
    }

    private static func jsonOptions(_ args: JinjaArguments) throws -> PythonFormat.JSONOptions {
        let a = try args.bind(["ensure_ascii", "indent", "separators", "sort_keys"], function: "tojson")
        var options = PythonFormat.JSONOptions()
        options.ensureASCII = a[0]?.isTruthy ?? false
        switch a[1] {
        case nil, .none?: options.indent = nil
        case .string(let s)?: options.indent = s
        case let some?:
            guard case .int(let n)? = some.numeric, some.isIntegral else { throw JinjaFailure.render("tojson() indent must be an int or a string") }
            options.indent = String(repeating: " ", count: max(0, n))
        }
        if let separators = a[2], !isNone(separators) {
            guard let pair = separators.sequenceItems, pair.count == 2,
                  case .string(let item) = pair[0], case .string(let key) = pair[1] else {
                throw JinjaFailure.render("tojson() separators must be a pair of strings, like (',', ':')")
            }
            options.itemSeparator = item
            options.keySeparator = key
        }
        options.sortKeys = a[3]?.isTruthy ?? false
        return options
    }
}
