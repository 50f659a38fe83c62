/// Writing JSON string literals: the one escaper behind safetensors headers, canonical
/// experiment-config JSON (run ids hash it), chat templates' `tojson` and
/// `JSONValue.description`.
///
/// It escapes what RFC 8259 requires, in the spelling Python's `json.dumps` and serde_json
/// use: `\"`, `\\`, the short forms `\b \f \n \r \t`, and `\u00xx` (lowercase hex) for the
/// other control characters. Everything else is written as itself unless an option asks
/// for more.
public enum JSONText {
    /// `text` as a quoted JSON string literal.
    /// - Parameters:
    ///   - escapingNonASCII: write every scalar from U+007F up as `\uxxxx` (a surrogate pair
    ///     above U+FFFF): Python's `ensure_ascii=True`.
    ///   - escapingLessThan: write `<` as `\u003c`, so that the JSON can sit inside an HTML
    ///     `<script>` block without closing it.
    public static func quoted(_ text: String, escapingNonASCII: Bool = false,
                              escapingLessThan: Bool = false) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapingLessThan: out += "\\u003c"
            default:
                if scalar.value < 0x20 || (escapingNonASCII && scalar.value >= 0x7F) {
                    appendUnicodeEscape(scalar.value, to: &out)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// `\uxxxx`, or a UTF-16 surrogate pair of them for a scalar above U+FFFF.
    private static func appendUnicodeEscape(_ value: UInt32, to out: inout String) {
        if value > 0xFFFF {
            let offset = value - 0x10000
            appendUnicodeEscape(0xD800 + (offset >> 10), to: &out)
            appendUnicodeEscape(0xDC00 + (offset & 0x3FF), to: &out)
            return
        }
        let digits = String(value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
