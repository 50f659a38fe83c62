import Foundation
import PonderModel

/// A token that is matched whole before any splitting (`<think>`, `<|eos|>`).
public struct AddedTokenSpec: Sendable, Hashable, Codable {
    /// The token's text.
    public var content: String
    /// Special tokens (BOS/EOS/PAD) are dropped by `decode(skipSpecialTokens: true)`; the
    /// reasoning tags are not special, so decoded completions keep them.
    public var special: Bool

    /// A token and whether it is special.
    public init(content: String, special: Bool) {
        self.content = content
        self.special = special
    }
}

/// A trained byte-level BPE: the vocabulary by id and the merges in rank order.
public struct TrainedBPE: Sendable, Equatable {
    /// Added tokens, ids `0..<addedTokens.count`.
    public var addedTokens: [AddedTokenSpec]
    /// Every vocabulary entry by id: the added tokens, the 256 byte symbols in byte order,
    /// then one entry per new token made by a merge, in merge order.
    public var vocabulary: [String]
    /// Merges, highest priority first.
    public var merges: [(String, String)]
    /// The split pattern of the pre-tokenizer.
    public var splitPattern: String

    public static func == (lhs: TrainedBPE, rhs: TrainedBPE) -> Bool {
        lhs.addedTokens == rhs.addedTokens && lhs.vocabulary == rhs.vocabulary && lhs.splitPattern == rhs.splitPattern
            && lhs.merges.map { [$0.0, $0.1] } == rhs.merges.map { [$0.0, $0.1] }
    }
}

/// Trains a byte-level BPE on a corpus, the way GPT-2-family tokenizers are built: text is
/// NFC-normalized, cut at added tokens, split by a regex into pieces (`Split`, isolated), each piece mapped to
/// the byte-level alphabet, and the most frequent adjacent pair is merged until the
/// vocabulary is full or no pair occurs `minimumFrequency` times.
///
/// Ties between equally frequent pairs go to the pair whose two strings sort first, so the
/// result depends only on the corpus and the settings. The output encodes identically in
/// Ponder's `Tokenizer` and in Hugging Face `tokenizers` (see `TokenizerFileWriter`).
public struct ByteLevelBPETrainer: Sendable {
    /// Qwen2's pre-tokenizer pattern. transformers 5 rebuilds the tokenizer of every `qwen2`
    /// checkpoint with exactly this pattern (and NFC) whatever tokenizer.json says, so a
    /// Qwen2 model's tokenizer must use it to encode the same in `AutoTokenizer`, in
    /// `tokenizers` and in Ponder. It also splits numbers into single digits, which small
    /// models learn arithmetic from far more easily.
    public static let defaultSplitPattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Added tokens, given ids 0, 1, … in this order.
    public var addedTokens: [AddedTokenSpec]
    /// The largest vocabulary (added tokens + 256 bytes + merges).
    public var vocabularySize: Int
    /// A pair must occur this often (counting repeats) to be merged.
    public var minimumFrequency: Int
    /// The pre-tokenizer's split pattern.
    public var splitPattern: String

    /// A trainer; throws when the vocabulary cannot even hold the added tokens and bytes.
    public init(addedTokens: [AddedTokenSpec], vocabularySize: Int, minimumFrequency: Int = 2,
                splitPattern: String = ByteLevelBPETrainer.defaultSplitPattern) throws {
        guard vocabularySize >= addedTokens.count + 256 else {
            throw TrainError.invalidSetting(
                key: "vocab_size", reason: "\(vocabularySize) cannot hold \(addedTokens.count) added tokens and the 256 byte symbols; use at least \(addedTokens.count + 256)")
        }
        guard minimumFrequency >= 1 else {
            throw TrainError.invalidSetting(key: "min_frequency", reason: "must be at least 1, found \(minimumFrequency)")
        }
        guard Set(addedTokens.map(\.content)).count == addedTokens.count, !addedTokens.contains(where: { $0.content.isEmpty }) else {
            throw TrainError.invalidSetting(key: "added_tokens", reason: "added tokens must be non-empty and distinct")
        }
        self.addedTokens = addedTokens
        self.vocabularySize = vocabularySize
        self.minimumFrequency = minimumFrequency
        self.splitPattern = splitPattern
    }

    /// Trains on `corpus`.
    public func train(_ corpus: [String]) throws -> TrainedBPE {
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: splitPattern)
        } catch {
            throw TrainError.invalidSetting(key: "split_pattern", reason: "does not compile: \(error.localizedDescription)")
        }
        var vocabulary = addedTokens.map(\.content)
        var ids: [String: Int32] = [:]
        for (id, token) in vocabulary.enumerated() { ids[token] = Int32(id) }
        for byte in 0...255 {
            let symbol = String(ByteLevelSymbols.symbol(for: UInt8(byte)))
            ids[symbol] = Int32(vocabulary.count)
            vocabulary.append(symbol)
        }

        // Distinct pieces with their counts, as symbol-id sequences; sorted so that merge
        // application never depends on hash order.
        var counts: [String: Int] = [:]
        for text in corpus {
            for segment in splitAtAddedTokens(text.precomposedStringWithCanonicalMapping) {
                for piece in split(segment, regex: regex) { counts[ByteLevelSymbols.map(piece), default: 0] += 1 }
            }
        }
        var words: [(symbols: [Int32], count: Int)] = counts.keys.sorted().map { piece in
            (piece.unicodeScalars.map { ids[String($0)] ?? -1 }, counts[piece] ?? 0)
        }

        var merges: [(String, String)] = []
        while vocabulary.count < vocabularySize {
            var pairCounts: [Int64: Int] = [:]
            for word in words where word.symbols.count > 1 {
                for i in 0..<(word.symbols.count - 1) {
                    pairCounts[Self.key(word.symbols[i], word.symbols[i + 1]), default: 0] += word.count
                }
            }
            var best: (key: Int64, count: Int)?
            for (key, count) in pairCounts where count >= minimumFrequency {
                guard let current = best else { best = (key, count); continue }
                if count > current.count || (count == current.count && order(key, before: current.key, vocabulary)) {
                    best = (key, count)
                }
            }
            guard let chosen = best else { break }
            let (a, b) = Self.split(chosen.key)
            let merged = vocabulary[Int(a)] + vocabulary[Int(b)]
            let newID: Int32
            if let existing = ids[merged] {
                newID = existing
            } else {
                newID = Int32(vocabulary.count)
                ids[merged] = newID
                vocabulary.append(merged)
            }
            merges.append((vocabulary[Int(a)], vocabulary[Int(b)]))
            for index in words.indices {
                words[index].symbols = Self.apply(a, b, as: newID, to: words[index].symbols)
            }
        }
        return TrainedBPE(addedTokens: addedTokens, vocabulary: vocabulary, merges: merges, splitPattern: splitPattern)
    }

    /// The corpus text between added tokens (which never take part in merges).
    func splitAtAddedTokens(_ text: String) -> [String] {
        var segments = [text]
        for token in addedTokens {
            segments = segments.flatMap { $0.components(separatedBy: token.content) }
        }
        return segments.filter { !$0.isEmpty }
    }

    /// The pieces of `text` under the pattern, matches and the gaps between them alike
    /// (tokenizers' `Isolated` behaviour).
    func split(_ text: String, regex: NSRegularExpression) -> [String] {
        let utf16 = Array(text.utf16)
        var pieces: [String] = []
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: utf16.count)) {
            let range = match.range
            guard range.length > 0 else { continue }
            if range.location > last { pieces.append(String(decoding: utf16[last..<range.location], as: UTF16.self)) }
            pieces.append(String(decoding: utf16[range.location..<(range.location + range.length)], as: UTF16.self))
            last = range.location + range.length
        }
        if last < utf16.count { pieces.append(String(decoding: utf16[last...], as: UTF16.self)) }
        return pieces
    }

    /// Whether pair `x` sorts before pair `y` by their strings (the tie-break).
    private func order(_ x: Int64, before y: Int64, _ vocabulary: [String]) -> Bool {
        let (xa, xb) = Self.split(x), (ya, yb) = Self.split(y)
        let left = (vocabulary[Int(xa)], vocabulary[Int(xb)]), right = (vocabulary[Int(ya)], vocabulary[Int(yb)])
        return left < right
    }

    private static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: b)) }
    private static func split(_ key: Int64) -> (Int32, Int32) { (Int32(key >> 32), Int32(truncatingIfNeeded: key)) }

    /// Replaces every non-overlapping occurrence of (a, b), left to right, with `merged`.
    private static func apply(_ a: Int32, _ b: Int32, as merged: Int32, to symbols: [Int32]) -> [Int32] {
        guard symbols.count > 1 else { return symbols }
        var result: [Int32] = []
        result.reserveCapacity(symbols.count)
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count, symbols[i] == a, symbols[i + 1] == b {
                result.append(merged)
                i += 2
            } else {
                result.append(symbols[i])
                i += 1
            }
        }
        return result
    }
}
