import Foundation

/// The normalizers Ponder implements: the Unicode normal forms and `Sequence` of them.
/// Qwen2 (and R1-Distill-Qwen) use `NFC`; Llama-3 has none (`null`). Any other type
/// (`Lowercase`, `Replace`, `Prepend`, `Precompiled`, …) is refused when loading.
indirect enum Normalizer: Sendable, Equatable {
    case nfc, nfd, nfkc, nfkd
    case sequence([Normalizer])

    /// Builds a normalizer from its tokenizer.json object.
    static func from(_ node: JSONNode) throws -> Normalizer {
        let type = try node.typeName()
        switch type {
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Sequence":
            return .sequence(try node.required("normalizers").array().map(Normalizer.from))
        default:
            throw TokenizerError.unsupported(file: node.file, component: node.path,
                                             detail: "normalizer type '\(type)'")
        }
    }

    /// Applies the normalizer to `text`.
    func normalize(_ text: String) -> String {
        // ASCII is invariant under every normal form: skip Foundation's round trip.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        switch self {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        case .sequence(let steps): return steps.reduce(text) { $1.normalize($0) }
        }
    }
}
