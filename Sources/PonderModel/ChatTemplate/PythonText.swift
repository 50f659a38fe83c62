/// Python `str` semantics on Swift strings.
///
/// Chat templates were written against Python, whose strings are sequences of code points
/// compared code point by code point. Swift's `String` compares by canonical equivalence and
/// indexes by grapheme cluster, so "e\u{301}" == "é" in Swift but not in Python. Every string
/// operation the interpreter performs goes through these helpers, which work on Unicode scalars,
/// so that lengths, slices, splits and comparisons match the reference renderer byte for byte.
enum PythonText {
    /// `str.isspace()` for one code point (also what `\s` matches in Python's `re`).
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Python's `==` on str: the same code points (Swift's `==` would also equate
    /// canonically equivalent spellings). Same scalars means same UTF-8 bytes.
    static func equal(_ a: String, _ b: String) -> Bool {
        a.hasSameBytes(as: b)
    }

    /// Code-point lexicographic comparison: -1, 0 or 1.
    static func compare(_ a: String, _ b: String) -> Int {
        var ia = a.unicodeScalars.makeIterator(), ib = b.unicodeScalars.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (x?, y?): if x.value != y.value { return x.value < y.value ? -1 : 1 }
            }
        }
    }

    /// Index (in scalars) of the first occurrence of `needle` at or after `start`, or nil.
    static func find(_ hay: [Unicode.Scalar], _ needle: [Unicode.Scalar], from start: Int = 0) -> Int? {
        if needle.isEmpty { return start <= hay.count ? start : nil }
        guard hay.count >= needle.count, start <= hay.count - needle.count else { return nil }
        var i = start
        while i <= hay.count - needle.count {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func contains(_ hay: String, _ needle: String) -> Bool {
        find(Array(hay.unicodeScalars), Array(needle.unicodeScalars)) != nil
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool {
        s.unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        s.unicodeScalars.reversed().starts(with: suffix.unicodeScalars.reversed())
    }

    /// `str.strip/lstrip/rstrip(chars)`; `chars == nil` strips whitespace.
    static func strip(_ s: String, chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let drop: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isSpace($0) }
        var scalars = Array(s.unicodeScalars)[...]
        if leading { while let f = scalars.first, drop(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, drop(l) { scalars.removeLast() } }
        return string(scalars)
    }

    /// `str.split(sep, maxsplit)`; `separator == nil` splits on whitespace runs.
    static func split(_ s: String, separator: String?, maxSplit: Int = -1) throws -> [String] {
        let scalars = Array(s.unicodeScalars)
        guard let separator else { return splitWhitespace(scalars, maxSplit: maxSplit) }
        let sep = Array(separator.unicodeScalars)
        if sep.isEmpty { throw JinjaFailure.render("split() got an empty separator") }
        var parts: [String] = [], start = 0
        while maxSplit < 0 || parts.count < maxSplit, let hit = find(scalars, sep, from: start) {
            parts.append(string(scalars[start..<hit]))
            start = hit + sep.count
        }
        parts.append(string(scalars[start...]))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: String, separator: String?, maxSplit: Int = -1) throws -> [String] {
        if maxSplit < 0 { return try split(s, separator: separator) }
        let reversed = string(s.unicodeScalars.reversed())
        let sep = separator.map { string($0.unicodeScalars.reversed()) }
        return try split(reversed, separator: sep, maxSplit: maxSplit).reversed().map { string($0.unicodeScalars.reversed()) }
    }

    private static func splitWhitespace(_ scalars: [Unicode.Scalar], maxSplit: Int) -> [String] {
        var parts: [String] = [], i = 0
        while i < scalars.count {
            while i < scalars.count, isSpace(scalars[i]) { i += 1 }
            if i == scalars.count { break }
            if maxSplit >= 0, parts.count == maxSplit {
                // Python keeps the remainder as is once maxsplit is reached, minus leading space.
                parts.append(string(scalars[i...]))
                return parts
            }
            let start = i
            while i < scalars.count, !isSpace(scalars[i]) { i += 1 }
            parts.append(string(scalars[start..<i]))
        }
        return parts
    }

    /// `str.splitlines()` (without keepends) for the common line breaks.
    static func splitLines(_ s: String) -> [String] {
        var lines: [String] = [], current: [Unicode.Scalar] = []
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            switch c.value {
            case 0x0D:
                if scalars.first == "\n" { scalars.removeFirst() }
                lines.append(string(current)); current = []
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(string(current)); current = []
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(string(current)) }
        return lines
    }

    static func count(_ s: String, _ sub: String) -> Int {
        let hay = Array(s.unicodeScalars), needle = Array(sub.unicodeScalars)
        if needle.isEmpty { return hay.count + 1 }
        var n = 0, start = 0
        while let hit = find(hay, needle, from: start) { n += 1; start = hit + needle.count }
        return n
    }

    /// `str.replace(old, new, count)`; a negative count replaces every occurrence.
    static func replace(_ s: String, _ old: String, _ new: String, count limit: Int = -1) -> String {
        let hay = Array(s.unicodeScalars), needle = Array(old.unicodeScalars), with = Array(new.unicodeScalars)
        var out: [Unicode.Scalar] = [], start = 0, done = 0
        if needle.isEmpty {
            // Python inserts `new` before every code point and at the end.
            for c in hay {
                if limit >= 0 && done >= limit { out.append(c); continue }
                out += with; out.append(c); done += 1
            }
            if limit < 0 || done < limit { out += with }
            return string(out)
        }
        while limit < 0 || done < limit, let hit = find(hay, needle, from: start) {
            out += hay[start..<hit]; out += with
            start = hit + needle.count; done += 1
        }
        out += hay[start...]
        return string(out)
    }

    static func upper(_ s: String) -> String { mapScalars(s) { $0.properties.uppercaseMapping } }
    static func lower(_ s: String) -> String { mapScalars(s) { $0.properties.lowercaseMapping } }

    /// `str.capitalize()`: the first code point title-cased, the rest lower-cased.
    static func capitalize(_ s: String) -> String {
        var out = "", first = true
        for c in s.unicodeScalars {
            out += first ? c.properties.titlecaseMapping : c.properties.lowercaseMapping
            first = false
        }
        return out
    }

    /// `str.title()`: a cased code point after an uncased one is title-cased, others lower-cased.
    static func title(_ s: String) -> String {
        var out = "", previousCased = false
        for c in s.unicodeScalars {
            out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
            previousCased = c.properties.isCased
        }
        return out
    }

    private static func mapScalars(_ s: String, _ f: (Unicode.Scalar) -> String) -> String {
        var out = ""
        for c in s.unicodeScalars { out += f(c) }
        return out
    }
}
