/// GPT-2's byte-to-unicode alphabet, public for code that writes byte-level vocabularies
/// (Ponder's tokenizer trainer): the same table the byte-level pre-tokenizer and decoder use,
/// so a vocabulary written with it encodes exactly as the tokenizer reads it.
public enum ByteLevelSymbols {
    /// The scalar byte `byte` is written as in a byte-level vocabulary (`' '` → `Ġ`).
    public static func symbol(for byte: UInt8) -> Unicode.Scalar {
        ByteLevelAlphabet.scalars[Int(byte)]
    }

    /// `text`'s UTF-8 bytes, each replaced by its alphabet scalar.
    public static func map(_ text: String) -> String {
        ByteLevelAlphabet.map(text)
    }
}
