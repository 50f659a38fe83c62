/// Small UTF-8 helpers on raw bytes: validation (JSON strings, safetensors headers), scalar
/// stepping in both directions (the tokenizer's added-token boundaries), and the incomplete
/// tail of a byte stream (streaming detokenization). They follow the Unicode "well-formed UTF-8" table
/// (Unicode 15, table 3-7), which is what Rust's `str::from_utf8` enforces.
enum UTF8Scanning {
    /// The number of bytes a sequence starting with `lead` has, or 0 for a byte that cannot
    /// start a well-formed sequence (continuation bytes, C0/C1, F5–FF).
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// Whether `byte` may follow `lead` as the second byte of a well-formed sequence. The
    /// narrowed ranges exclude overlong forms, surrogates and code points above U+10FFFF.
    @inline(__always)
    static func isValidSecond(_ byte: UInt8, after lead: UInt8) -> Bool {
        switch lead {
        case 0xE0: return (0xA0...0xBF).contains(byte)
        case 0xED: return (0x80...0x9F).contains(byte)
        case 0xF0: return (0x90...0xBF).contains(byte)
        case 0xF4: return (0x80...0x8F).contains(byte)
        default: return (0x80...0xBF).contains(byte)
        }
    }

    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// Whether `bytes` is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length = sequenceLength(lead: lead)
            guard length > 0, i + length <= n, isValidSecond(bytes[i + 1], after: lead) else {
                return false
            }
            var k = 2
            while k < length {
                guard isContinuation(bytes[i + k]) else { return false }
                k += 1
            }
            i += length
        }
        return true
    }

    /// The start of a trailing, well-formed but unfinished sequence (a lead byte and fewer
    /// continuation bytes than it announces), or `bytes.count` when there is none. Bytes
    /// before that index decode the same whatever bytes come next, which is what lets a
    /// streaming detokenizer emit them now.
    static func incompleteTailStart(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // A sequence is at most 4 bytes, so an unfinished one starts in the last 3.
        var start = n - 1
        while start >= 0 && start >= n - 3 {
            let byte = bytes[start]
            if !isContinuation(byte) {
                let have = n - start
                guard sequenceLength(lead: byte) > have else { return n }  // complete or invalid
                if have >= 2 && !isValidSecond(bytes[start + 1], after: byte) { return n }
                if have == 3 && !isContinuation(bytes[start + 2]) { return n }
                return start
            }
            start -= 1
        }
        return n
    }

    /// Decodes the scalar that starts at `index` of well-formed UTF-8 `bytes`.
    @inline(__always)
    static func scalar(at index: Int, in bytes: [UInt8]) -> (Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        let length = max(1, sequenceLength(lead: lead))
        var value: UInt32
        switch length {
        case 1: value = UInt32(lead)
        case 2: value = UInt32(lead & 0x1F)
        case 3: value = UInt32(lead & 0x0F)
        default: value = UInt32(lead & 0x07)
        }
        var k = 1
        while k < length {
            value = value << 6 | UInt32(bytes[index + k] & 0x3F)
            k += 1
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Decodes the scalar that ends just before `end` of well-formed UTF-8 `bytes`.
    @inline(__always)
    static func scalar(endingAt end: Int, in bytes: [UInt8]) -> (Unicode.Scalar, start: Int) {
        var start = end - 1
        while start > 0 && isContinuation(bytes[start]) { start -= 1 }
        return (scalar(at: start, in: bytes).0, start)
    }
}

/// A token's text compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality is Unicode canonical equivalence: `"\u{212B}" == "\u{C5}"` and
/// `"e\u{301}" == "\u{E9}"`. tokenizers compares bytes, and a vocabulary may hold tokens that
/// are canonically equivalent but different (a model without a ByteLevel pre-tokenizer sees
/// raw characters), so every token table is keyed by `TokenKey`, never by `String`.
struct TokenKey: Hashable, Sendable {
    let string: String

    init(_ string: String) { self.string = string }

    static func == (lhs: TokenKey, rhs: TokenKey) -> Bool {
        var a = lhs.string
        var b = rhs.string
        guard a.utf8.count == b.utf8.count else { return false }
        return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }

    func hash(into hasher: inout Hasher) {
        var copy = string  // shares storage; withUTF8 only copies a bridged string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Byte-wise equality (see `TokenKey`).
    func hasSameBytes(as other: String) -> Bool { TokenKey(self) == TokenKey(other) }
}
