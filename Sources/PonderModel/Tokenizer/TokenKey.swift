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
