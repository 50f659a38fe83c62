/// Python methods reachable from templates: `str` methods (`content.split('</think>')`,
/// `.strip()`, `.startswith(...)`) and the read-only `dict` methods (`.items()`, `.get()`).
///
/// A Python method this subset does not implement is still recognized by name, so calling it
/// fails with a clear "not supported" error rather than as an undefined value.
enum JinjaMethods {
    private static let pythonStringMethods: Set<String> = [
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map",
        "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    ]
    private static let pythonDictMethods: Set<String> = [
        "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values",
    ]

    static func stringMethod(_ s: String, _ name: String) -> JinjaValue? {
        guard pythonStringMethods.contains(name) else { return nil }
        return .callable(JinjaCallable("str.\(name)") { args in try callString(s, name, args) })
    }

    static func dictMethod(_ dict: JinjaDict, _ name: String) -> JinjaValue? {
        guard pythonDictMethods.contains(name) else { return nil }
        return .callable(JinjaCallable("dict.\(name)") { args in
            switch name {
            case "items":
                _ = try args.bind([], function: "items")
                return .list(dict.entries.map { .tuple([.string($0.key), $0.value]) })
            case "keys":
                _ = try args.bind([], function: "keys")
                return .list(dict.keys.map { .string($0) })
            case "values":
                _ = try args.bind([], function: "values")
                return .list(dict.entries.map(\.value))
            case "get":
                let a = try args.bind(["key", "default"], function: "get")
                guard let key = a[0] else { throw JinjaFailure.render("get() missing required argument 'key'") }
                if case .string(let k) = key, let value = dict[k] { return value }
                return a[1] ?? .none
            default:
                throw JinjaFailure.unsupported("dict.\(name)() is not supported (templates cannot modify or copy dicts here)")
            }
        })
    }

    /// An optional string argument (`None` and absent both give nil).
    static func optionalString(_ v: JinjaValue?, _ what: String) throws -> String? {
        switch v {
        case nil, .none?: return nil
        case .string(let s)?: return s
        case let other?: throw JinjaFailure.render("\(what) must be str or None, not \(other.typeName)")
        }
    }

    static func requiredString(_ v: JinjaValue?, _ what: String) throws -> String {
        guard let s = try optionalString(v, what) else { throw JinjaFailure.render("\(what) is required and must be a string") }
        return s
    }

    static func optionalInt(_ v: JinjaValue?, _ what: String, default value: Int) throws -> Int {
        switch v {
        case nil, .none?: return value
        case let some?:
            guard case .int(let i)? = some.numeric, some.isIntegral else { throw JinjaFailure.render("\(what) must be an integer, not \(some.typeName)") }
            return i
        }
    }

    private static func callString(_ s: String, _ name: String, _ args: JinjaArguments) throws -> JinjaValue {
        switch name {
        case "split", "rsplit":
            let a = try args.bind(["sep", "maxsplit"], function: name)
            let sep = try optionalString(a[0], "\(name)() separator"), max = try optionalInt(a[1], "maxsplit", default: -1)
            let parts = name == "split" ? try PythonText.split(s, separator: sep, maxSplit: max)
                : try PythonText.rsplit(s, separator: sep, maxSplit: max)
            return .list(parts.map { .string($0) })
        case "strip", "lstrip", "rstrip":
            let chars = try optionalString(try args.bind(["chars"], function: name)[0], "\(name)() argument")
            return .string(PythonText.strip(s, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "startswith", "endswith":
            let a = try args.bind(["prefix"], function: name)
            let candidates: [JinjaValue]
            switch a[0] {
            case .string?: candidates = [a[0] ?? .none]
            case .tuple(let items)?, .list(let items)?: candidates = items
            default: throw JinjaFailure.render("\(name)() first argument must be str or a tuple of str")
            }
            for candidate in candidates {
                let text = try requiredString(candidate, "\(name)() argument")
                if name == "startswith" ? PythonText.hasPrefix(s, text) : PythonText.hasSuffix(s, text) { return .bool(true) }
            }
            return .bool(false)
        case "upper", "lower", "title", "capitalize":
            _ = try args.bind([], function: name)
            switch name {
            case "upper": return .string(PythonText.upper(s))
            case "lower": return .string(PythonText.lower(s))
            case "title": return .string(PythonText.title(s))
            default: return .string(PythonText.capitalize(s))
            }
        case "replace":
            let a = try args.bind(["old", "new", "count"], function: name)
            return .string(PythonText.replace(s, try requiredString(a[0], "replace() old"), try requiredString(a[1], "replace() new"),
                                              count: try optionalInt(a[2], "replace() count", default: -1)))
        case "find", "count":
            let sub = try requiredString(try args.bind(["sub"], function: name)[0], "\(name)() argument")
            if name == "count" { return .int(PythonText.count(s, sub)) }
            return .int(PythonText.find(Array(s.unicodeScalars), Array(sub.unicodeScalars)) ?? -1)
        case "join":
            let items = try JinjaOperators.iterate(try args.bind(["iterable"], function: name)[0] ?? .none)
            return .string(try items.map { try requiredString($0, "join() item") }.joined(separator: s))
        case "splitlines":
            _ = try args.bind([], function: name)
            return .list(PythonText.splitLines(s).map { .string($0) })
        default:
            throw JinjaFailure.unsupported("the string method '\(name)()' is not supported")
        }
    }
}
