/// One entry of tokenizer.json's `added_tokens`.
struct AddedToken: Sendable, Equatable {
    let id: Int
    let content: String
    /// Only match when not inside a word (no word character on either side).
    let singleWord: Bool
    /// Swallow the whitespace on the left / right of a match into the token.
    let lstrip: Bool
    let rstrip: Bool
    /// Match against the normalized text (with the content normalized too) rather than the raw text.
    let normalized: Bool
    /// Skipped by `decode(skipSpecialTokens: true)`; on encode every added token is atomic.
    let special: Bool
}

/// A run of text between added tokens, or an added token's id.
enum AddedTokenSegment: Equatable {
    case text(String)
    case token(Int)
}

/// Finds added tokens in text: leftmost-longest, non-overlapping matches (tokenizers builds an
/// Aho-Corasick automaton with `MatchKind::LeftmostLongest`), then applies `single_word`,
/// `lstrip` and `rstrip` exactly as `AddedVocabulary::find_matches` does: a match rejected by
/// `single_word` is not retried shorter, `lstrip` never reaches back past the previous match,
/// and the search resumes at the end of the match itself, not of the stripped whitespace.
struct AddedTokenMatcher: Sendable {
    /// A byte trie. Node 0 is the root; `terminal` is an index into `tokens` or -1.
    private struct Node: Sendable {
        var children: [UInt8: Int32] = [:]
        var terminal: Int32 = -1
    }
    private var nodes = [Node()]
    /// For each first byte: whether any pattern starts with it (skips most positions).
    private var firstBytes = [Bool](repeating: false, count: 256)
    private var tokens: [AddedToken] = []

    var isEmpty: Bool { tokens.isEmpty }

    /// `patterns` pairs each token with the text it is matched as (its content, normalized
    /// when the token is `normalized`). A later duplicate pattern replaces an earlier one.
    init(_ patterns: [(pattern: String, token: AddedToken)]) {
        for (pattern, token) in patterns where !pattern.isEmpty {
            var node = 0
            for byte in pattern.utf8 {
                if let child = nodes[node].children[byte] {
                    node = Int(child)
                } else {
                    nodes.append(Node())
                    nodes[node].children[byte] = Int32(nodes.count - 1)
                    node = nodes.count - 1
                }
            }
            nodes[node].terminal = Int32(tokens.count)
            tokens.append(token)
            firstBytes[Int(pattern.utf8.first ?? 0)] = true
        }
    }

    /// The longest pattern starting at `start`: its end and token.
    private func longestMatch(at start: Int, in bytes: [UInt8]) -> (end: Int, token: AddedToken)? {
        var node = 0
        var best: (Int, AddedToken)?
        var index = start
        while index < bytes.count, let child = nodes[node].children[bytes[index]] {
            node = Int(child)
            index += 1
            let terminal = nodes[node].terminal
            if terminal >= 0 { best = (index, tokens[Int(terminal)]) }
        }
        return best
    }

    /// Splits `text` into text runs and added-token ids (empty runs dropped).
    func split(_ text: String) -> [AddedTokenSegment] {
        guard !tokens.isEmpty, !text.isEmpty else { return text.isEmpty ? [] : [.text(text)] }
        let bytes = Array(text.utf8)
        var segments: [AddedTokenSegment] = []
        var emitted = 0  // tokenizers' `start_offset`: end of the previous accepted match
        var searchFrom = 0
        while searchFrom < bytes.count {
            guard firstBytes[Int(bytes[searchFrom])],
                  let match = longestMatch(at: searchFrom, in: bytes) else {
                searchFrom += 1
                continue
            }
            var start = searchFrom
            var stop = match.end
            searchFrom = match.end
            let token = match.token
            if token.singleWord {
                let startsClean = start == 0
                    || !Self.isWordScalar(UTF8Scanning.scalar(endingAt: start, in: bytes).0)
                let stopsClean = stop == bytes.count
                    || !Self.isWordScalar(UTF8Scanning.scalar(at: stop, in: bytes).0)
                guard startsClean && stopsClean else { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0 {
                    let (scalar, scalarStart) = UTF8Scanning.scalar(endingAt: newStart, in: bytes)
                    guard scalar.properties.isWhitespace else { break }
                    newStart = scalarStart
                }
                start = max(newStart, emitted)
            }
            if token.rstrip {
                while stop < bytes.count {
                    let (scalar, length) = UTF8Scanning.scalar(at: stop, in: bytes)
                    guard scalar.properties.isWhitespace else { break }
                    stop += length
                }
            }
            if emitted < start {
                segments.append(.text(String(decoding: bytes[emitted..<start], as: UTF8.self)))
            }
            segments.append(.token(token.id))
            emitted = stop
        }
        if emitted < bytes.count {
            segments.append(.text(String(decoding: bytes[emitted...], as: UTF8.self)))
        }
        return segments
    }

    /// Rust regex's Unicode `\w`: Alphabetic, marks, decimal digits, connector punctuation
    /// and Join_Control (what tokenizers' `STARTS_WITH_WORD`/`ENDS_WITH_WORD` test).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber,
             .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}
