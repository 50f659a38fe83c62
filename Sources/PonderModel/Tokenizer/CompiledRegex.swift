import Foundation

/// An ICU regular expression compiled once, when the tokenizer loads.
///
/// huggingface/tokenizers uses Oniguruma; ICU (behind `NSRegularExpression`) agrees with it on
/// everything the Qwen2, Llama-3 and GPT-2 patterns use: `\p{L}`, `\p{N}`, Unicode `\s`
/// (U+3000, U+00A0, U+0085 and U+000B included, U+200B excluded), `(?i:…)` with full case
/// folding (`'ſ` matches `'s`) and negative lookahead. The golden tests pin this down.
///
/// ICU works in UTF-16 offsets, so every match here is a range of UTF-16 code units; callers
/// slice the UTF-16 view with them, never `Character` indices (a combining mark after a space
/// forms one `Character` with it, which would hide the boundary the regex found).
final class CompiledRegex: Sendable {
    /// The pattern as ICU compiled it.
    let pattern: String
    private let regex: NSRegularExpression

    /// The GPT-2 pattern of tokenizers' `ByteLevel` pre-tokenizer (`byte_level.rs`).
    static let gpt2Pattern =
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// Compiles `pattern`; `file` names the tokenizer file in the error if it does not compile.
    init(pattern: String, file: String) throws {
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw TokenizerError.invalidRegex(file: file, pattern: pattern,
                                              reason: "\(error.localizedDescription)")
        }
        self.pattern = pattern
    }

    /// A pattern matching `literal` exactly (tokenizers' `SplitPattern::String`, which it
    /// escapes the same way before compiling).
    convenience init(literal: String, file: String) throws {
        try self.init(pattern: NSRegularExpression.escapedPattern(for: literal), file: file)
    }

    /// The non-overlapping matches of the pattern in `text`, left to right, as UTF-16 offset
    /// ranges. `utf16Count` is `text.utf16.count`, which the caller already has.
    func matches(in text: String, utf16Count: Int) -> [Range<Int>] {
        regex.matches(in: text, options: [], range: NSRange(location: 0, length: utf16Count))
            .map { $0.range.location..<($0.range.location + $0.range.length) }
    }
}
