/// How a sampling strategy picks one candidate from many.
public enum AnswerSelection: String, Codable, Sendable, CaseIterable {
    /// The most frequent extracted answer (self-consistency). Ties: larger summed value, then
    /// the answer seen first.
    case majority
    /// The answer with the largest summed value-head score (search-and-learn's weighted
    /// best-of-N). Ties: more votes, then the answer seen first.
    case weightedVote = "weighted-vote"
    /// The single candidate with the highest value. Ties: the earlier candidate.
    case maxValue = "max-value"
    /// The first candidate the checker accepts, else the majority answer. Verifier-charged
    /// mode only: with the exact checker this is pass@N, an upper bound, and must be labelled so.
    case checker

    /// Whether this rule reads value-head scores.
    public var needsValue: Bool { self == .weightedVote || self == .maxValue }
}

/// One distinct answer's tally.
public struct AnswerTally: Sendable, Equatable {
    /// The extracted answer.
    public var answer: String
    /// How many finished candidates gave it.
    public var count: Int
    /// Sum of their values (0 for candidates without one).
    public var valueSum: Double
    /// Index of the candidate that represents the answer: the highest-valued one with it
    /// (the first one when there are no values).
    public var representative: Int
    /// Index of the first candidate with this answer.
    public var firstSeen: Int
}

/// Vote counting and selection over scored candidates, shared by every strategy that ends
/// with a pool of completions.
public enum Voting {
    /// Tallies the finished candidates that have an answer, in order of first appearance.
    public static func tally(_ candidates: [ScoredCandidate]) -> [AnswerTally] {
        var order: [String] = []
        var tallies: [String: AnswerTally] = [:]
        for (i, c) in candidates.enumerated() where c.isFinished {
            guard let answer = c.answer else { continue }
            if var t = tallies[answer] {
                t.count += 1
                t.valueSum += c.value ?? 0
                if (c.value ?? -.infinity) > (candidates[t.representative].value ?? -.infinity) { t.representative = i }
                tallies[answer] = t
            } else {
                order.append(answer)
                tallies[answer] = AnswerTally(answer: answer, count: 1, valueSum: c.value ?? 0,
                                              representative: i, firstSeen: i)
            }
        }
        return order.compactMap { tallies[$0] }
    }

    /// The index of the candidate `rule` selects, or `nil` if no finished candidate qualifies.
    /// `.checker` reads `ScoredCandidate.verified`, which the strategy fills in.
    public static func select(_ candidates: [ScoredCandidate], by rule: AnswerSelection) -> Int? {
        switch rule {
        case .majority:
            return best(tally(candidates)) { ($0.count, $0.valueSum) }
        case .weightedVote:
            return best(tally(candidates)) { ($0.valueSum, Double($0.count)) }
        case .maxValue:
            var chosen: Int?
            for (i, c) in candidates.enumerated() where c.isFinished {
                guard let v = c.value else { continue }
                if chosen == nil || v > (candidates[chosen ?? i].value ?? -.infinity) { chosen = i }
            }
            return chosen ?? select(candidates, by: .majority)
        case .checker:
            if let i = candidates.firstIndex(where: { $0.isFinished && $0.verified == true }) { return i }
            return select(candidates, by: .majority)
        }
    }

    /// The representative of the tally with the largest key (first seen wins ties).
    private static func best<K: Comparable>(_ tallies: [AnswerTally], key: (AnswerTally) -> (K, Double)) -> Int? {
        var winner: AnswerTally?
        for t in tallies {
            guard let w = winner else { winner = t; continue }
            let (a1, a2) = key(t), (b1, b2) = key(w)
            if a1 > b1 || (a1 == b1 && a2 > b2) { winner = t }
        }
        return winner?.representative
    }
}
