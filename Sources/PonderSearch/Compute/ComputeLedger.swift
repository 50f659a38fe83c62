import Foundation

/// Everything a search spent on one problem (or, summed, on a run): the one ledger that puts
/// every strategy on the same x-axis.
///
/// Strategies never write to a ledger. The policy layer (`MeteredPolicy`) charges forwards,
/// forks and stops as they happen, and the `SearchContext` charges value-head and verifier
/// calls, so a strategy cannot forget to pay. Ledgers add up (`+`) and are `Codable`, so the
/// lab can store one per trial and sum them per run.
public struct ComputeLedger: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Prompt tokens run through the model.
    public var prefillTokens: Int = 0
    /// Generated tokens run through the model (a token that ends a sequence, such as EOS, is
    /// chosen but never fed, so it is not here unless a value head later reads its state).
    public var decodeTokens: Int = 0
    /// Tokens chosen from the policy's candidates: the unit of a token budget.
    public var generatedTokens: Int = 0
    /// Computed tokens a fork shared instead of recomputing: what naive re-encoding would have
    /// paid on top of `prefillTokens + decodeTokens`.
    public var reusedKVTokens: Int = 0
    /// Batched forward passes (one `Policy.extend` call each).
    public var forwardBatches: Int = 0
    /// Sequences that reached a stop condition (EOS, a stop string, the length cap): the unit of
    /// a samples budget.
    public var samples: Int = 0
    /// States scored by the value head.
    public var valueCalls: Int = 0
    /// Calls of the ground-truth checker during search (verifier-charged mode only).
    public var verifierCalls: Int = 0
    /// FLOPs of the policy's forward passes (see `FlopModel`).
    public var policyFLOPs: Double = 0
    /// FLOPs of the value head.
    public var valueFLOPs: Double = 0
    /// Wall-clock seconds of the search (the one entry that differs between identical replays).
    public var wallSeconds: Double = 0

    /// An empty ledger.
    public init() {}

    /// An empty ledger.
    public static let zero = ComputeLedger()

    /// All FLOPs charged: policy plus value head.
    public var flops: Double { policyFLOPs + valueFLOPs }

    /// This ledger with the wall time cleared, for comparing replays.
    public var withoutWallTime: ComputeLedger {
        var copy = self
        copy.wallSeconds = 0
        return copy
    }

    /// The entry-wise sum of two ledgers.
    public static func + (lhs: ComputeLedger, rhs: ComputeLedger) -> ComputeLedger {
        var sum = lhs
        sum += rhs
        return sum
    }

    /// Adds `rhs` entry by entry.
    public static func += (lhs: inout ComputeLedger, rhs: ComputeLedger) {
        lhs.prefillTokens += rhs.prefillTokens
        lhs.decodeTokens += rhs.decodeTokens
        lhs.generatedTokens += rhs.generatedTokens
        lhs.reusedKVTokens += rhs.reusedKVTokens
        lhs.forwardBatches += rhs.forwardBatches
        lhs.samples += rhs.samples
        lhs.valueCalls += rhs.valueCalls
        lhs.verifierCalls += rhs.verifierCalls
        lhs.policyFLOPs += rhs.policyFLOPs
        lhs.valueFLOPs += rhs.valueFLOPs
        lhs.wallSeconds += rhs.wallSeconds
    }

    /// The sum of many ledgers (for example, all problems of a run).
    public static func total<S: Sequence>(_ ledgers: S) -> ComputeLedger where S.Element == ComputeLedger {
        ledgers.reduce(into: ComputeLedger()) { $0 += $1 }
    }

    public var description: String {
        "prefill \(prefillTokens), decode \(decodeTokens) (generated \(generatedTokens)), "
            + "reused \(reusedKVTokens), batches \(forwardBatches), samples \(samples), "
            + "value \(valueCalls), verifier \(verifierCalls), "
            + "FLOPs \(formatFLOPs(flops)), \(String(format: "%.3f", wallSeconds)) s"
    }
}

/// Formats a FLOP count with an SI prefix ("1.23 GFLOP").
public func formatFLOPs(_ flops: Double) -> String {
    let units: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
    for (scale, prefix) in units where abs(flops) >= scale {
        return String(format: "%.3g ", flops / scale) + prefix + "FLOP"
    }
    return String(format: "%.3g FLOP", flops)
}
