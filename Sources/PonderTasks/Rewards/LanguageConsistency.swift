/// A writing system, for the language-consistency reward.
///
/// R1 rewards "the proportion of target-language words" in the chain of thought. Words need
/// a tokenizer per language; Ponder measures letters by script instead, which is what
/// separates the mixed-language outputs R1 wanted to suppress (English reasoning drifting
/// into Chinese) and needs no word lists.
public enum Script: String, Sendable, Hashable, Codable, CaseIterable {
    /// Latin letters (English and most European languages).
    case latin
    /// Han ideographs (Chinese; Japanese kanji).
    case han
    case cyrillic
    case greek
    case arabic
    case hangul

    /// Whether `scalar` belongs to this script (by Unicode block).
    public func contains(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch self {
        case .latin:
            return (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)  // ASCII letters
                || (0xC0...0x24F).contains(v) && v != 0xD7 && v != 0xF7      // Latin-1, Ext-A/B
                || (0x1E00...0x1EFF).contains(v)                           // Latin Ext. Additional
                || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v)  // fullwidth
        case .han:
            return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v)
                || (0x20000...0x2FA1F).contains(v) || (0xF900...0xFAFF).contains(v)
        case .cyrillic:
            return (0x400...0x52F).contains(v)
        case .greek:
            return (0x370...0x3FF).contains(v) || (0x1F00...0x1FFF).contains(v)
        case .arabic:
            return (0x600...0x6FF).contains(v) || (0x750...0x77F).contains(v)
        case .hangul:
            return (0xAC00...0xD7AF).contains(v) || (0x1100...0x11FF).contains(v)
                || (0x3130...0x318F).contains(v)
        }
    }
}

/// R1's language-consistency reward, measured on letters.
public enum LanguageConsistency {
    /// The share of letters in `text` that belong to `script`, in [0, 1].
    ///
    /// A letter is a Unicode scalar with the Alphabetic property (so digits, operators,
    /// punctuation, tags' angle brackets and emoji do not count; the tag names themselves
    /// are Latin and should be stripped first, as `score` does by passing the reasoning
    /// only). Text with no letters at all — e.g. Countdown steps `75 - 3 = 72` — scores 1:
    /// nothing in it is in another language.
    public static func share(of text: String, in script: Script) -> Double {
        var letters = 0
        var inScript = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if script.contains(scalar) { inScript += 1 }
        }
        guard letters > 0 else { return 1 }
        return Double(inScript) / Double(letters)
    }
}
