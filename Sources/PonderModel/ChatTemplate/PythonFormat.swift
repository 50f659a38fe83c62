/// Python's text forms of values: `repr(float)`, `repr(str)` and `json.dumps`.
///
/// Templates print numbers and lists with Python's rules (`{{ 1e15 }}` is
/// `1000000000000000.0`, `{{ ['a'] }}` is `['a']`), and transformers' `tojson` filter is
/// `json.dumps(x, ensure_ascii=False, indent=..., separators=..., sort_keys=...)`. Tool
/// definitions reach the model through that filter, so its spacing and escaping must match.
enum PythonFormat {
    /// `repr(x)` for a float: the shortest round-tripping digits, in positional notation when
    /// the decimal exponent is in [-4, 16), otherwise as `d.ddde+XX`.
    static func floatRepr(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description is also the shortest round-trip representation; only the layout differs.
        let text = x.magnitude.description
        var mantissa = Substring(text), exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = pieces.first.map(String.init) ?? ""
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = Array(integerPart + fraction)
        var point = integerPart.count + exponent  // value = 0.DIGITS × 10^point
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let sign = x < 0 ? "-" : ""
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + String(digits) }
            if point >= digits.count { return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0" }
            return sign + String(digits[..<point]) + "." + String(digits[point...])
        }
        let e = point - 1
        let head = digits.count == 1 ? String(digits) : String(digits[0]) + "." + String(digits[1...])
        let magnitude = String(abs(e))
        return sign + head + "e" + (e < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" + magnitude : magnitude)
    }

    /// `repr(s)` for a string: single quotes unless the text has a single quote and no double
    /// quote; control and non-printable code points escaped.
    static func stringRepr(_ s: String) -> String {
        let hasSingle = s.unicodeScalars.contains("'"), hasDouble = s.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\": out += "\\" + String(c)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    out += "\\x" + hex(c.value, width: 2)
                } else if c.value < 0x7F || isPrintable(c) {
                    out.unicodeScalars.append(c)
                } else if c.value <= 0xFF {
                    out += "\\x" + hex(c.value, width: 2)
                } else if c.value <= 0xFFFF {
                    out += "\\u" + hex(c.value, width: 4)
                } else {
                    out += "\\U" + hex(c.value, width: 8)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    /// `str.isprintable()` for one code point.
    private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            false
        case .spaceSeparator:
            c == " "
        default:
            true
        }
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Options of `json.dumps` that transformers' `tojson` filter exposes.
    struct JSONOptions {
        var ensureASCII = false
        /// nil: one line; otherwise the string repeated once per nesting level.
        var indent: String?
        var itemSeparator: String?
        var keySeparator = ": "
        var sortKeys = false
    }

    /// `json.dumps(value, ...)`.
    static func json(_ value: JinjaValue, _ options: JSONOptions) throws -> String {
        var out = ""
        let itemSeparator = options.itemSeparator ?? (options.indent == nil ? ", " : ",")
        try writeJSON(value, level: 0, options, itemSeparator, into: &out)
        return out
    }

    private static func writeJSON(_ value: JinjaValue, level: Int, _ o: JSONOptions, _ itemSep: String, into out: inout String) throws {
        if level > JinjaValue.maximumNesting { throw JinjaFailure.render("Circular reference detected (or nesting deeper than \(JinjaValue.maximumNesting))") }
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += floatRepr(d) }
        case .string(let s): out += JSONText.quoted(s, escapingNonASCII: o.ensureASCII)
        case .list(let items), .tuple(let items):
            try writeContainer(open: "[", close: "]", count: items.count, level: level, o, itemSep, into: &out) { i, level, out in
                try writeJSON(items[i], level: level, o, itemSep, into: &out)
            }
        case .dict(let dict):
            var entries = dict.entries
            if o.sortKeys { entries.sort { PythonText.compare($0.key, $1.key) < 0 } }
            try writeContainer(open: "{", close: "}", count: entries.count, level: level, o, itemSep, into: &out) { i, level, out in
                out += JSONText.quoted(entries[i].key, escapingNonASCII: o.ensureASCII) + o.keySeparator
                try writeJSON(entries[i].value, level: level, o, itemSep, into: &out)
            }
        case .undefined, .namespace, .callable:
            throw JinjaFailure.render("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private static func writeContainer(
        open: String, close: String, count: Int, level: Int, _ o: JSONOptions, _ itemSep: String,
        into out: inout String, element: (Int, Int, inout String) throws -> Void
    ) throws {
        guard count > 0 else { out += open + close; return }
        out += open
        let newline = o.indent.map { "\n" + String(repeating: $0, count: level + 1) }
        if let newline { out += newline }
        for i in 0..<count {
            if i > 0 { out += itemSep + (newline ?? "") }
            try element(i, level + 1, &out)
        }
        if let indent = o.indent { out += "\n" + String(repeating: indent, count: level) }
        out += close
    }
}
