import PonderModel

/// A problem's bank laid out for fast votes over subsets (1,000 problems × 256 samples ×
/// 1,000 subsets is hundreds of millions of samples tallied).
///
/// The samples are grouped by answer, each group in bank order, and a subset is a bitmap over
/// that layout: visiting its set bits in order tallies one answer after another in registers,
/// with no per-answer table and no string hashing. A subset of layout positions is a subset of
/// samples, so uniform draws stay uniform.
///
/// The vote reproduces PonderSearch's `Voting` exactly (checked against it by brute force in
/// the tests): samples without an answer do not vote; majority ranks by (count, value sum),
/// weighted by (value sum, count), and the answer seen first in bank order wins what is left;
/// each answer's values are summed in bank order, as `Voting` does; the vote is scored by the
/// winner's representative, its highest-valued sample (first on ties, a missing value below
/// any other).
struct EncodedBank {
    struct Sample {
        /// Dense id of the answer (the layout is sorted by it).
        var answer: Int32
        /// Position in the bank (generation order), for "seen first" and representatives.
        var index: Int32
        var correct: Bool
        /// What the vote sums (a missing value counts 0).
        var voteValue: Double
        /// What picks the representative (a missing value ranks below all).
        var rankValue: Double
    }

    let problemIndex: Int
    /// Answered samples grouped by answer, then the unanswered ones: [n]
    let layout: [Sample]
    /// Samples with an answer: layout positions from here on cast no vote.
    let answered: Int
    /// Each answer's verdict when all its samples agree (the usual case: the verifier reads
    /// the answer), else nil; then the vote needs no representative.
    let verdicts: [Bool]?

    var count: Int { layout.count }

    init(_ problem: BankProblem) {
        var ids: [String: Int32] = [:]
        var samples: [Sample] = []
        var unanswered: [Sample] = []
        for (i, sample) in problem.samples.enumerated() {
            var encoded = Sample(answer: -1, index: Int32(i), correct: sample.correct, voteValue: sample.value ?? 0,
                                 rankValue: sample.value ?? -.infinity)
            guard let answer = sample.answer else { unanswered.append(encoded); continue }
            if let known = ids[answer] { encoded.answer = known } else { encoded.answer = Int32(ids.count); ids[answer] = encoded.answer }
            samples.append(encoded)
        }
        // stable by construction: ties keep bank order
        samples.sort { ($0.answer, $0.index) < ($1.answer, $1.index) }
        answered = samples.count
        var verdict = [Bool?](repeating: nil, count: ids.count)
        var agree = true
        for sample in samples {
            let a = Int(sample.answer)
            if let seen = verdict[a], seen != sample.correct { agree = false; break }
            verdict[a] = sample.correct
        }
        verdicts = agree ? verdict.map { $0 ?? false } : nil
        layout = samples + unanswered
        problemIndex = problem.problemIndex
    }

    /// Expected accuracy of the majority and weighted votes over k-subsets, one entry per k of
    /// `ks` (each in 1...n; the caller validates): exact for k = 1, k = n and whenever
    /// C(n, k) ≤ `options.enumerateUpTo`; otherwise a mean over `options.subsets` random subsets.
    ///
    /// Random draw s is one seeded partial Fisher–Yates shuffle whose prefixes are the subsets
    /// for every sampled k at once (each prefix is a uniform k-subset), so a bank pays for the
    /// largest k's draws only. The stream is derived from (seed, problem, s), so a k's numbers
    /// do not depend on the other problems or on which other ks were asked for.
    func expectedVoteAccuracy(ks: [Int], options: SampleBankOptions) -> [(majority: Double, weighted: Double)] {
        let n = count
        let subset = SubsetBitmap(size: n)
        var exact: [Int: (majority: Double, weighted: Double)] = [:]
        var sampled: [Int] = []
        for k in Set(ks).sorted() {
            if k == 1 {
                // a one-sample vote picks that sample when it has an answer: exactly c/n when
                // every correct sample has an answer
                let hits = Double(layout[..<answered].lazy.filter(\.correct).count) / Double(n)
                exact[k] = (hits, hits)
            } else if k == n {
                for i in 0..<n { subset.insert(i) }
                let outcome = vote(subset)
                subset.clear()
                exact[k] = (outcome.majority ? 1 : 0, outcome.weighted ? 1 : 0)
            } else if EncodedBank.binomial(n, k, cap: options.enumerateUpTo) != nil {
                var majority = 0, weighted = 0, subsets = 0
                var combination = Array(0..<k)
                repeat {
                    for i in combination { subset.insert(i) }
                    let outcome = vote(subset)
                    subset.clear()
                    subsets += 1
                    if outcome.majority { majority += 1 }
                    if outcome.weighted { weighted += 1 }
                } while EncodedBank.advance(&combination, n: n)
                exact[k] = (Double(majority) / Double(subsets), Double(weighted) / Double(subsets))
            } else {
                sampled.append(k)
            }
        }
        var majority = [Int](repeating: 0, count: sampled.count)
        var weighted = [Int](repeating: 0, count: sampled.count)
        if !sampled.isEmpty {
            for draw in 0..<options.subsets {
                var rng = SeededRNG.derived(seed: options.seed, UInt64(bitPattern: Int64(problemIndex)), UInt64(draw))
                subset.forEachPrefix(sizes: sampled, rng: &rng) { position in
                    let outcome = vote(subset)
                    if outcome.majority { majority[position] += 1 }
                    if outcome.weighted { weighted[position] += 1 }
                }
            }
        }
        let draws = Double(options.subsets)
        for (position, k) in sampled.enumerated() {
            exact[k] = (Double(majority[position]) / draws, Double(weighted[position]) / draws)
        }
        return ks.map { exact[$0] ?? (0, 0) }
    }

    /// Both votes over the samples at the subset's layout positions, scored by each winner.
    func vote(_ subset: SubsetBitmap) -> (majority: Bool, weighted: Bool) {
        struct Tally {
            var answer: Int32 = -1
            var votes = 0
            var valueSum = 0.0
            /// Bank index of the answer's first sample in the subset.
            var first: Int32 = 0
            /// Layout position of its representative.
            var representative = 0
        }
        let needsRepresentative = verdicts == nil
        return layout.withUnsafeBufferPointer { layout in
            // layout: [n]; one answer's samples are consecutive, so one running tally suffices
            var current = Tally(), majority = Tally(), weighted = Tally()
            func close(_ t: Tally) {
                guard t.answer >= 0 else { return }
                if majority.answer < 0 || t.votes > majority.votes
                    || (t.votes == majority.votes && (t.valueSum > majority.valueSum
                        || (t.valueSum == majority.valueSum && t.first < majority.first))) { majority = t }
                if weighted.answer < 0 || t.valueSum > weighted.valueSum
                    || (t.valueSum == weighted.valueSum && (t.votes > weighted.votes
                        || (t.votes == weighted.votes && t.first < weighted.first))) { weighted = t }
            }
            var positions = subset.members
            while let p = positions.next(), p < answered {
                let sample = layout[p]
                if sample.answer != current.answer {
                    close(current)
                    current = Tally(answer: sample.answer, votes: 1, valueSum: sample.voteValue, first: sample.index, representative: p)
                } else {
                    current.votes += 1
                    current.valueSum += sample.voteValue
                    if needsRepresentative && sample.rankValue > layout[current.representative].rankValue { current.representative = p }
                }
            }
            close(current)
            guard majority.answer >= 0 else { return (false, false) }
            if let verdicts { return (verdicts[Int(majority.answer)], verdicts[Int(weighted.answer)]) }
            return (layout[majority.representative].correct, layout[weighted.representative].correct)
        }
    }

    /// C(n, k) when it is at most `cap`, else nil (never overflows: stops once past the cap).
    static func binomial(_ n: Int, _ k: Int, cap: Int) -> Int? {
        let r = min(k, n - k)
        var value = 1
        for i in 0..<r {
            // value · (n − i) / (i + 1) stays an integer: it is C(n, i + 1)
            let (product, overflow) = value.multipliedReportingOverflow(by: n - i)
            if overflow { return nil }
            value = product / (i + 1)
            if value > cap { return nil }
        }
        return value
    }

    /// Steps `combination` (ascending indices into 0..<n) to the next k-subset in
    /// lexicographic order; false after the last one.
    static func advance(_ combination: inout [Int], n: Int) -> Bool {
        let k = combination.count
        var i = k - 1
        // the rightmost position that can still move
        while i >= 0 && combination[i] == n - k + i { i -= 1 }
        guard i >= 0 else { return false }
        combination[i] += 1
        for j in (i + 1)..<k { combination[j] = combination[j - 1] + 1 }
        return true
    }
}

/// A subset of 0..<size as a bitmap, with the buffers to draw random subsets into it; owned by
/// one bank's estimate, never shared.
final class SubsetBitmap {
    let size: Int
    /// One bit per position: [⌈size / 64⌉]
    private let words: UnsafeMutablePointer<UInt64>
    private let wordCount: Int
    /// A permutation of 0..<size for partial Fisher–Yates, the identity between draws: [size]
    private let permutation: UnsafeMutablePointer<Int>
    /// The swap partner of each Fisher–Yates step, to undo the draw: [size]
    private let swaps: UnsafeMutablePointer<Int>

    init(size: Int) {
        self.size = size
        wordCount = max((size + 63) / 64, 1)
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
        permutation = .allocate(capacity: max(size, 1))
        for i in 0..<size { (permutation + i).initialize(to: i) }
        swaps = .allocate(capacity: max(size, 1))
    }

    deinit {
        words.deallocate(); permutation.deallocate(); swaps.deallocate()
    }

    func insert(_ position: Int) {
        words[position >> 6] |= 1 << UInt64(position & 63)
    }

    func clear() {
        for w in 0..<wordCount { words[w] = 0 }
    }

    /// The members in ascending order.
    var members: Members { Members(words: words, wordCount: wordCount) }

    /// One random draw: grows a partial Fisher–Yates shuffle to each of `sizes` (ascending) and
    /// calls `body` with the size's position while the bitmap holds that prefix. Leaves the
    /// bitmap empty and the permutation the identity, so every draw replays from its own seed.
    func forEachPrefix(sizes: [Int], rng: inout SeededRNG, _ body: (Int) -> Void) {
        let permutation = self.permutation, swaps = self.swaps
        var drawn = 0
        for (position, k) in sizes.enumerated() {
            while drawn < k {
                let r = drawn + rng.nextInt(below: size - drawn)
                swaps[drawn] = r
                let picked = permutation[r]
                permutation[r] = permutation[drawn]
                permutation[drawn] = picked
                insert(picked)
                drawn += 1
            }
            body(position)
        }
        // undo the swaps in reverse
        for j in stride(from: drawn - 1, through: 0, by: -1) {
            let r = swaps[j]
            let moved = permutation[j]
            permutation[j] = permutation[r]
            permutation[r] = moved
        }
        clear()
    }

    /// The set bits, ascending.
    struct Members: IteratorProtocol {
        let words: UnsafeMutablePointer<UInt64>
        let wordCount: Int
        private var word = -1
        private var bits: UInt64 = 0

        init(words: UnsafeMutablePointer<UInt64>, wordCount: Int) {
            self.words = words
            self.wordCount = wordCount
        }

        mutating func next() -> Int? {
            while bits == 0 {
                word += 1
                guard word < wordCount else { return nil }
                bits = words[word]
            }
            let bit = bits.trailingZeroBitCount
            bits &= bits - 1
            return word * 64 + bit
        }
    }
}
