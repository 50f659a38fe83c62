import PonderModel

/// A problem's bank with answers replaced by small integers, so that a vote over a subset is a
/// few array updates instead of string hashing (1,000 problems × 256 samples × 1,000 subsets
/// is hundreds of millions of votes).
///
/// The vote reproduces PonderSearch's `Voting` exactly (checked against it by brute force in
/// the tests): samples without an answer do not vote; majority ranks by (count, value sum),
/// weighted by (value sum, count), and the answer seen first wins what is left; the vote is
/// scored by the answer's representative, its highest-valued sample (first on ties, a missing
/// value below any other). A subset is always visited in bank order, so "seen first" and the
/// order of the value sums match a strategy that drew those samples in that order.
struct EncodedBank {
    struct Sample {
        /// Dense id of the answer, −1 for none.
        var answer: Int32
        var correct: Bool
        /// What the vote sums (a missing value counts 0).
        var voteValue: Double
        /// What picks the representative (a missing value ranks below all).
        var rankValue: Double
    }

    let problemIndex: Int
    let samples: [Sample]
    let answerCount: Int

    var count: Int { samples.count }

    init(_ problem: BankProblem) {
        var ids: [String: Int32] = [:]
        samples = problem.samples.map { sample in
            var id: Int32 = -1
            if let answer = sample.answer {
                if let known = ids[answer] { id = known } else { id = Int32(ids.count); ids[answer] = id }
            }
            return Sample(answer: id, correct: sample.correct, voteValue: sample.value ?? 0,
                          rankValue: sample.value ?? -.infinity)
        }
        answerCount = ids.count
        problemIndex = problem.problemIndex
    }

    /// Expected accuracy of the majority and weighted votes over k-subsets: exact for k = 1,
    /// k = n and whenever C(n, k) ≤ `options.enumerateUpTo`; otherwise a mean over
    /// `options.subsets` seeded random subsets. `k` must be in 1...n (the caller validates).
    func expectedVoteAccuracy(k: Int, options: SampleBankOptions, scratch: VoteScratch) -> (majority: Double, weighted: Double) {
        let n = count
        return samples.withUnsafeBufferPointer { bank in
            // bank: [n]
            if k == 1 {
                // a one-sample vote picks that sample when it has an answer: exactly c/n when
                // every correct sample has an answer
                let hits = bank.lazy.filter { $0.answer >= 0 && $0.correct }.count
                return (Double(hits) / Double(n), Double(hits) / Double(n))
            }
            var majorityHits = 0, weightedHits = 0, votes = 0
            func tally(_ outcome: (majority: Bool, weighted: Bool)) {
                votes += 1
                if outcome.majority { majorityHits += 1 }
                if outcome.weighted { weightedHits += 1 }
            }
            if k == n {
                tally(scratch.vote(bank, indices: 0..<n))
            } else if EncodedBank.binomial(n, k, cap: options.enumerateUpTo) != nil {
                var combination = Array(0..<k)
                repeat {
                    tally(scratch.vote(bank, indices: combination))
                } while EncodedBank.advance(&combination, n: n)
            } else {
                // derived per (problem, k): a problem's numbers do not depend on the other
                // problems or on which ks were asked for
                var rng = SeededRNG.derived(seed: options.seed, UInt64(bitPattern: Int64(problemIndex)), UInt64(k))
                scratch.resetPermutation(n)
                for _ in 0..<options.subsets {
                    tally(scratch.voteOnRandomSubset(bank, k: k, rng: &rng))
                }
            }
            return (Double(majorityHits) / Double(votes), Double(weightedHits) / Double(votes))
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

/// Reusable buffers for votes over subsets of one bank; one per problem, never shared.
final class VoteScratch {
    private let answerCapacity: Int
    private let sampleCapacity: Int
    // per answer: [answers]
    private let votes: UnsafeMutablePointer<Int>
    private let valueSums: UnsafeMutablePointer<Double>
    private let representative: UnsafeMutablePointer<Int>
    /// Which vote last touched the answer: saves clearing the per-answer arrays every vote.
    private let stamp: UnsafeMutablePointer<Int>
    /// Answers in order of first appearance in the current vote: [answers]
    private let seen: UnsafeMutablePointer<Int>
    /// A permutation of 0..<n for partial Fisher–Yates: [samples]
    private let permutation: UnsafeMutablePointer<Int>
    /// Subset membership, one bit per sample: [⌈samples / 64⌉]
    private let members: UnsafeMutablePointer<UInt64>
    private var generation = 0

    init(answers: Int, samples: Int) {
        answerCapacity = max(answers, 1)
        sampleCapacity = max(samples, 1)
        votes = .allocate(capacity: answerCapacity)
        valueSums = .allocate(capacity: answerCapacity)
        representative = .allocate(capacity: answerCapacity)
        stamp = .allocate(capacity: answerCapacity)
        stamp.initialize(repeating: 0, count: answerCapacity)
        seen = .allocate(capacity: answerCapacity)
        permutation = .allocate(capacity: sampleCapacity)
        members = .allocate(capacity: (sampleCapacity + 63) / 64)
        members.initialize(repeating: 0, count: (sampleCapacity + 63) / 64)
    }

    deinit {
        votes.deallocate(); valueSums.deallocate(); representative.deallocate(); stamp.deallocate()
        seen.deallocate(); permutation.deallocate(); members.deallocate()
    }

    /// The vote over the samples at `indices` (ascending), scored by each rule's winner.
    func vote<S: Sequence<Int>>(_ bank: UnsafeBufferPointer<EncodedBank.Sample>, indices: S) -> (majority: Bool, weighted: Bool) {
        generation += 1
        var distinct = 0
        for i in indices {
            let sample = bank[i]
            guard sample.answer >= 0 else { continue }
            let a = Int(sample.answer)
            if stamp[a] != generation {
                stamp[a] = generation
                votes[a] = 1
                valueSums[a] = sample.voteValue
                representative[a] = i
                seen[distinct] = a
                distinct += 1
            } else {
                votes[a] += 1
                valueSums[a] += sample.voteValue
                if sample.rankValue > bank[representative[a]].rankValue { representative[a] = i }
            }
        }
        guard distinct > 0 else { return (false, false) }
        var majority = seen[0], weighted = seen[0]
        for j in 1..<distinct {
            let a = seen[j]
            if votes[a] > votes[majority] || (votes[a] == votes[majority] && valueSums[a] > valueSums[majority]) {
                majority = a
            }
            if valueSums[a] > valueSums[weighted] || (valueSums[a] == valueSums[weighted] && votes[a] > votes[weighted]) {
                weighted = a
            }
        }
        return (bank[representative[majority]].correct, bank[representative[weighted]].correct)
    }

    /// The vote over a uniformly random k-subset, visited in bank order.
    func voteOnRandomSubset(_ bank: UnsafeBufferPointer<EncodedBank.Sample>, k: Int,
                                     rng: inout SeededRNG) -> (majority: Bool, weighted: Bool) {
        let n = bank.count
        // Draw the smaller of the subset and its complement; the permutation is left as it is
        // between draws because partial Fisher–Yates from any arrangement is uniform.
        let complement = k > n - k
        let drawn = complement ? n - k : k
        for j in 0..<drawn {
            let r = j + rng.nextInt(below: n - j)
            let picked = permutation[r]
            permutation[r] = permutation[j]
            permutation[j] = picked
            members[picked >> 6] |= 1 << UInt64(picked & 63)
        }
        let words = (n + 63) / 64
        let outcome = vote(bank, indices: MemberIndices(members: members, words: words, count: n, complement: complement))
        for w in 0..<words { members[w] = 0 }
        return outcome
    }

    /// Puts the permutation back to the identity, so a series of draws replays from its seed.
    func resetPermutation(_ n: Int) {
        for i in 0..<n { permutation[i] = i }
    }
}

/// The set bits (or, for a complement draw, the clear bits) of a membership bitmap, ascending.
private struct MemberIndices: Sequence, IteratorProtocol {
    let members: UnsafeMutablePointer<UInt64>
    let words: Int
    let count: Int
    let complement: Bool
    private var word = -1
    private var bits: UInt64 = 0

    init(members: UnsafeMutablePointer<UInt64>, words: Int, count: Int, complement: Bool) {
        self.members = members
        self.words = words
        self.count = count
        self.complement = complement
    }

    mutating func next() -> Int? {
        while bits == 0 {
            word += 1
            guard word < words else { return nil }
            bits = complement ? ~members[word] : members[word]
            let valid = count - word * 64
            if valid < 64 { bits &= (1 << UInt64(valid)) - 1 }
        }
        let bit = bits.trailingZeroBitCount
        bits &= bits - 1
        return word * 64 + bit
    }
}
