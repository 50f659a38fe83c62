import Foundation

/// A cap on what one search may spend, in one ledger unit.
///
/// FLOPs are the default unit because they put token-level and step-level search, short and
/// long contexts, and value-head calls on one axis. Strategies never compare against the cap
/// themselves: `SearchContext.generate` drops lanes before a forward that would cross it, and the
/// policy layer refuses any forward once the ledger is past it, so a search overshoots by at
/// most one batched step (in practice only a value-head batch can cross a FLOP cap; token and
/// sample caps are never crossed).
///
/// Strategies with a `fill` parameter (on by default) also treat a finite budget as their
/// target: they keep spending until it is used up (see `BudgetFill`).
public struct Budget: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The ledger entry a budget caps.
    public enum Unit: String, Codable, Sendable, CaseIterable {
        /// `ComputeLedger.flops` (policy plus value head).
        case flops
        /// `ComputeLedger.generatedTokens`.
        case tokens
        /// `ComputeLedger.samples`: sequences that reached a stop condition.
        case samples
    }

    /// The capped unit.
    public var unit: Unit
    /// The cap, in `unit`; `.infinity` for no cap.
    public var limit: Double

    /// A cap of `limit` in `unit`.
    public init(unit: Unit = .flops, limit: Double) {
        self.unit = unit
        self.limit = limit
    }

    /// A FLOP cap.
    public static func flops(_ limit: Double) -> Budget { Budget(unit: .flops, limit: limit) }
    /// A cap on generated tokens.
    public static func tokens(_ limit: Int) -> Budget { Budget(unit: .tokens, limit: Double(limit)) }
    /// A cap on finished samples.
    public static func samples(_ limit: Int) -> Budget { Budget(unit: .samples, limit: Double(limit)) }
    /// No cap: strategies stop on their own parameters only.
    public static let unlimited = Budget(unit: .flops, limit: .infinity)

    /// What `ledger` has used, in this budget's unit.
    public func used(_ ledger: ComputeLedger) -> Double {
        switch unit {
        case .flops: ledger.flops
        case .tokens: Double(ledger.generatedTokens)
        case .samples: Double(ledger.samples)
        }
    }

    /// What is left after `ledger` (never negative).
    public func remaining(_ ledger: ComputeLedger) -> Double {
        max(0, limit - used(ledger))
    }

    /// Whether a ledger that has spent `ledger` is still within the cap.
    public func allows(_ ledger: ComputeLedger) -> Bool {
        used(ledger) <= limit
    }

    /// Whether `ledger` plus `cost` stays within the cap.
    public func allows(_ ledger: ComputeLedger, plus cost: ComputeLedger) -> Bool {
        used(ledger) + used(cost) <= limit
    }

    private enum CodingKeys: String, CodingKey { case unit, limit }

    /// Decodes `{"unit": "flops", "limit": 1e12}`; a missing or null limit means no cap.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(Unit.self, forKey: .unit)
        limit = try c.decodeIfPresent(Double.self, forKey: .limit) ?? .infinity
    }

    /// Encodes the limit as `null` when there is no cap (JSON has no infinity).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        if limit.isFinite { try c.encode(limit, forKey: .limit) } else { try c.encodeNil(forKey: .limit) }
    }

    /// The budget, spelled out for reports.
    public var description: String {
        limit.isInfinite ? "unlimited" : "\(unit.rawValue) ≤ \(unit == .flops ? formatFLOPs(limit) : formatCount(limit))"
    }
}

/// A count held as a Double, printed without a fraction (and without trapping on huge values).
func formatCount(_ value: Double) -> String { String(format: "%.0f", value) }

/// How a search ended against its budget, reported with every `SearchResult`.
public struct BudgetReport: Codable, Sendable, Equatable {
    /// The budget the search ran under.
    public var budget: Budget
    /// What the search used, in the budget's unit.
    public var used: Double
    /// Whether the budget stopped the search (lanes were dropped or no step could be afforded).
    public var exhausted: Bool
    /// The largest single batched step charged, in the budget's unit: the most a search can
    /// overshoot its cap by.
    public var largestStep: Double

    /// A report with every figure given.
    public init(budget: Budget, used: Double, exhausted: Bool, largestStep: Double) {
        self.budget = budget
        self.used = used
        self.exhausted = exhausted
        self.largestStep = largestStep
    }
}
