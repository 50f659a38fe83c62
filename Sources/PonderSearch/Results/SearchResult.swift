import Foundation

/// One completion a search produced, with whatever it was scored by.
public struct ScoredCandidate: Codable, Sendable, Equatable {
    /// The completion text (after the prompt).
    public var text: String
    /// The answer extracted from `text`, if any.
    public var answer: String?
    /// Completion length in tokens.
    public var tokens: Int
    /// Sum of the model's log-probabilities of the completion's tokens.
    public var logprob: Double
    /// Why generation ended (`budget` marks an unfinished candidate).
    public var end: LaneEnd
    /// The value head's P(success), or a tree node's mean backed-up value.
    public var value: Double?
    /// A strategy-specific score (vote weight, visit count…), documented by the strategy.
    public var score: Double?
    /// The checker's verdict, when the strategy consulted it (verifier-charged mode only).
    public var verified: Bool?

    /// A candidate with every field given.
    public init(text: String, answer: String?, tokens: Int, logprob: Double, end: LaneEnd,
                value: Double? = nil, score: Double? = nil, verified: Bool? = nil) {
        self.text = text
        self.answer = answer
        self.tokens = tokens
        self.logprob = logprob
        self.end = end
        self.value = value
        self.score = score
        self.verified = verified
    }

    /// Whether the completion ended on its own (EOS, stop string or length cap), not by budget.
    public var isFinished: Bool { end.isTerminal }
}

/// What one search returns: the chosen completion and answer, every candidate with its scores,
/// the ledger, how the budget went, and (for tree searches) the explored tree.
public struct SearchResult: Codable, Sendable {
    /// The strategy's registry name.
    public var strategy: String
    /// The problem searched.
    public var problemID: String
    /// Index of the chosen candidate in `candidates`, or `nil` when nothing could be chosen.
    public var chosen: Int?
    /// Every completion produced, in the order the strategy produced them.
    public var candidates: [ScoredCandidate]
    /// Everything the search spent.
    public var ledger: ComputeLedger
    /// How the search ended against its budget.
    public var budget: BudgetReport
    /// The explored tree, for tree searches.
    public var tree: SearchTree?
    /// Strategy-specific figures (acceptance rate, collisions, simulations…).
    public var statistics: [String: Double]

    /// A result with every field given (strategies use `SearchContext.finish`).
    public init(strategy: String, problemID: String, chosen: Int?, candidates: [ScoredCandidate],
                ledger: ComputeLedger, budget: BudgetReport, tree: SearchTree? = nil,
                statistics: [String: Double] = [:]) {
        self.strategy = strategy
        self.problemID = problemID
        self.chosen = chosen
        self.candidates = candidates
        self.ledger = ledger
        self.budget = budget
        self.tree = tree
        self.statistics = statistics
    }

    /// The chosen completion.
    public var completion: String? { chosen.map { candidates[$0].text } }
    /// The chosen answer (`nil` when nothing was chosen or it has no answer).
    public var answer: String? { chosen.flatMap { candidates[$0].answer } }
}

extension SearchContext {
    /// Builds the result: releases every sequence the search still holds, stamps the wall
    /// time, and attaches the ledger and budget report. Strategies end with this.
    public func finish(_ problem: SearchProblem, strategy: String, candidates: [ScoredCandidate],
                       chosen: Int?, tree: SearchTree? = nil,
                       statistics: [String: Double] = [:]) -> SearchResult {
        policy.releaseAll()
        policy.setWallSeconds(elapsedSeconds)
        let report = BudgetReport(budget: budget, used: budget.used(ledger), exhausted: isExhausted,
                                  largestStep: policy.largestStep)
        let valid = chosen.flatMap { candidates.indices.contains($0) ? $0 : nil }
        return SearchResult(strategy: strategy, problemID: problem.id, chosen: valid, candidates: candidates,
                            ledger: ledger, budget: report, tree: tree, statistics: statistics)
    }

    /// A candidate from a generated lane (completion text is the whole sequence's completion
    /// when the lane still holds its sequence, else the lane's own text).
    public func candidate(from lane: LaneOutcome) -> ScoredCandidate {
        let text = lane.sequence.flatMap { try? policy.completion(of: $0) } ?? lane.text
        let tokens = lane.sequence.flatMap { try? policy.completionTokens(of: $0).count } ?? lane.tokens.count
        return ScoredCandidate(text: text, answer: lane.end.isTerminal ? answer(in: text) : nil,
                               tokens: tokens, logprob: lane.logprob, end: lane.end)
    }
}
