/// GPT-2's byte-to-unicode alphabet (`bytes_char()` in tokenizers' `byte_level.rs`,
/// `bytes_to_unicode()` in minGPT): the 188 printable bytes `!`…`~`, `¡`…`¬`, `®`…`ÿ` map
/// to the same code point, and the other 68 bytes, in increasing order, to U+0100 + n
/// (so `' '` → `Ġ` U+0120, `'\n'` → `Ċ` U+010A). Every scalar of the alphabet is below U+0144.
enum ByteLevelAlphabet {
    /// The scalar each byte maps to.
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\u{0}", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte)
                || (0xAE...0xFF).contains(byte) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? "\u{0}"
                next += 1
            }
        }
        return table
    }()

    /// One past the largest scalar of the alphabet.
    static let scalarLimit = 0x144

    /// For scalars below `scalarLimit`: the byte they stand for, or -1.
    static let bytesByScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: scalarLimit)
        for (byte, scalar) in scalars.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The UTF-8 encoding of each byte's scalar (1 or 2 bytes), packed low byte first, and
    /// its length: what `map(_:)` writes.
    private static let encoded: [(bytes: UInt16, count: Int)] = scalars.map { scalar in
        let utf8 = Array(String(scalar).utf8)
        return utf8.count == 1 ? (UInt16(utf8[0]), 1) : (UInt16(utf8[0]) | UInt16(utf8[1]) << 8, 2)
    }

    /// The byte a scalar of the alphabet stands for, or nil if it is not in the alphabet.
    @inline(__always)
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < scalarLimit else { return nil }
        let byte = bytesByScalar[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// Maps every UTF-8 byte of `text` to its alphabet scalar.
    static func map(_ text: String) -> String {
        var text = text
        return text.withUTF8 { source in
            String(unsafeUninitializedCapacity: source.count * 2) { target in
                var written = 0
                for byte in source {
                    let entry = encoded[Int(byte)]
                    target[written] = UInt8(truncatingIfNeeded: entry.bytes)
                    if entry.count == 2 { target[written + 1] = UInt8(entry.bytes >> 8) }
                    written += entry.count
                }
                return written
            }
        }
    }

    /// The bytes a token stands for: its alphabet scalars mapped back, or, when any scalar
    /// is outside the alphabet (added tokens such as `<｜User｜>`), its own UTF-8 bytes,
    /// as tokenizers' ByteLevel decoder does (`unwrap_or_else(|| t.as_bytes())`).
    static func bytes(ofToken token: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return Array(token.utf8) }
            result.append(byte)
        }
        return result
    }
}

/// The `ByteLevel` pre-tokenizer: optionally prepends a space to every piece that does not
/// start with one, optionally splits with the GPT-2 regex (behavior Isolated), then maps
/// each piece's bytes to the alphabet. `trim_offsets` only moves offsets, which Ponder does
/// not report, so it changes no ids.
struct ByteLevelPreTokenizer: Sendable {
    let addPrefixSpace: Bool
    /// The GPT-2 regex when `use_regex` is true.
    let regex: CompiledRegex?

    func preTokenize(_ piece: String, into output: inout [String]) {
        // tokenizers tests for a literal U+0020, not any whitespace.
        let text = addPrefixSpace && piece.utf8.first != 0x20 ? " " + piece : piece
        guard let regex else {
            output.append(ByteLevelAlphabet.map(text))
            return
        }
        let units = Array(text.utf16)
        let matches = regex.matches(in: text, utf16Count: units.count)
        let marked = SplitPreTokenizer.mark(matches, length: units.count, invert: false)
        for stretch in marked where !stretch.range.isEmpty {
            output.append(ByteLevelAlphabet.map(String(decoding: units[stretch.range],
                                                       as: UTF16.self)))
        }
    }
}
