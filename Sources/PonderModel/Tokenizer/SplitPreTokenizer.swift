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

/// What `Split` does with the pieces its pattern matches (tokenizers'
/// `SplitDelimiterBehavior`). Splitting `the-final--countdown` on `-`:
/// - `removed`: `the`, `final`, `countdown`
/// - `isolated`: `the`, `-`, `final`, `-`, `-`, `countdown`
/// - `mergedWithPrevious`: `the-`, `final-`, `-`, `countdown`
/// - `mergedWithNext`: `the`, `-final`, `-`, `-countdown`
/// - `contiguous`: `the`, `-`, `final`, `--`, `countdown`
enum SplitBehavior: String, Sendable, CaseIterable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"
}

/// One stretch of a piece: a pattern match or the gap between two matches.
struct MarkedRange: Equatable {
    var range: Range<Int>
    var isMatch: Bool
}

/// The `Split` pre-tokenizer: cuts every piece with a regex (or literal string) pattern and
/// keeps, drops or merges the matches according to `behavior`; `invert` swaps the roles of
/// matches and gaps. Ports `Split::pre_tokenize` (`pre_tokenizers/split.rs`) and
/// `NormalizedString::split` (`tokenizer/normalizer.rs`).
struct SplitPreTokenizer: Sendable {
    let regex: CompiledRegex
    let behavior: SplitBehavior
    let invert: Bool

    /// Appends the non-empty pieces `piece` splits into.
    func split(_ piece: String, into output: inout [String]) {
        let units = Array(piece.utf16)
        let matches = regex.matches(in: piece, utf16Count: units.count)
        let marked = Self.mark(matches, length: units.count, invert: invert)
        for range in Self.keptRanges(marked, behavior: behavior) where !range.isEmpty {
            // Matches never split a surrogate pair (ICU matches whole code points), so every
            // slice decodes cleanly.
            output.append(String(decoding: units[range], as: UTF16.self))
        }
    }

    /// Covers `0..<length` with the matches and the gaps between them (tokenizers'
    /// `Pattern::find_matches`; an empty input is one empty gap). `invert` flips the flags.
    static func mark(_ matches: [Range<Int>], length: Int, invert: Bool) -> [MarkedRange] {
        guard length > 0 else { return [MarkedRange(range: 0..<0, isMatch: invert)] }
        var marked: [MarkedRange] = []
        marked.reserveCapacity(matches.count * 2 + 1)
        var previous = 0
        for match in matches {
            if previous != match.lowerBound {
                marked.append(MarkedRange(range: previous..<match.lowerBound, isMatch: invert))
            }
            marked.append(MarkedRange(range: match, isMatch: !invert))
            previous = match.upperBound
        }
        if previous != length {
            marked.append(MarkedRange(range: previous..<length, isMatch: invert))
        }
        return marked
    }

    /// The ranges to keep, in order, after applying `behavior` to matches and gaps.
    static func keptRanges(_ marked: [MarkedRange], behavior: SplitBehavior) -> [Range<Int>] {
        switch behavior {
        case .isolated:
            return marked.map(\.range)
        case .removed:
            return marked.filter { !$0.isMatch }.map(\.range)
        case .contiguous:
            // Runs of consecutive stretches with the same flag become one piece.
            var kept: [Range<Int>] = []
            var previousMatch = false
            for stretch in marked {
                if stretch.isMatch == previousMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<stretch.range.upperBound
                } else {
                    kept.append(stretch.range)
                }
                previousMatch = stretch.isMatch
            }
            return kept
        case .mergedWithPrevious:
            // A match joins the piece before it, unless that piece was itself a match.
            var kept: [Range<Int>] = []
            var previousMatch = false
            for stretch in marked {
                if stretch.isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<stretch.range.upperBound
                } else {
                    kept.append(stretch.range)
                }
                previousMatch = stretch.isMatch
            }
            return kept
        case .mergedWithNext:
            // The mirror image: walk from the end, a match joins the piece after it.
            var kept: [Range<Int>] = []
            var previousMatch = false
            for stretch in marked.reversed() {
                if stretch.isMatch && !previousMatch, let last = kept.last {
                    kept[kept.count - 1] = stretch.range.lowerBound..<last.upperBound
                } else {
                    kept.append(stretch.range)
                }
                previousMatch = stretch.isMatch
            }
            return kept.reversed()
        }
    }
}
