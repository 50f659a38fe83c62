/// Where `SearchContext.values(_:for:)` gets a state's P(success) from.
///
/// The learned head is what a real search has. The oracle is a positive control for
/// verifier-charged experiments: it estimates a state's value by sampling rollouts from it and
/// asking the ground-truth checker about each, so it shows what a strategy could do with a
/// (noisy, but unbiased) perfect value function — and what that costs, because every rollout
/// token and every checker call is charged to the ledger through the context's usual routes.
public enum ValueSource: Sendable, Equatable, Hashable, Codable {
    /// The value head on the state's last hidden vector (verifier-hidden or charged).
    case head
    /// The mean checker reward of `rollouts` sampled completions from the state; a finished
    /// state's value is its own check. Verifier-charged mode only.
    case oracle(rollouts: Int)

    /// The registry parameters every value-reading strategy declares: `value` and
    /// `oracle_rollouts`.
    static let parameters: [ParameterSpec] = [
        .choice("value", ["head", "oracle"], default: "head",
                "head | oracle: mean checker reward of sampled rollouts (verifier-charged only; every rollout and check charged)"),
        .int("oracle_rollouts", 1...64, default: 1, "rollouts per state for value = oracle"),
    ]

    /// Reads `value` and `oracle_rollouts`.
    static func from(_ p: StrategyParameters) throws -> ValueSource {
        try p.string("value") == "oracle" ? .oracle(rollouts: try p.int("oracle_rollouts")) : .head
    }

    /// The registry spelling, for messages.
    var label: String {
        switch self {
        case .head: "head"
        case .oracle(let r): "oracle (\(r) rollout\(r == 1 ? "" : "s"))"
        }
    }
}

extension SearchContext {
    /// Oracle values: a finished sequence scores its own check (1 or 0); an unfinished one the
    /// mean check over `rollouts` completions sampled from it in one lockstep batch (rollouts
    /// the budget cut are left out; a state none of whose rollouts finished scores 0, since
    /// nothing confirmed it can succeed). Rollout sequences are released afterwards.
    ///
    /// Every route is a charged one: rollouts go through `generate` (tokens, FLOPs, samples,
    /// the budget's lane dropping) and every check through `check` (verifier calls, refused
    /// in verifier-hidden mode), so an oracle-valued search is on the same x-axis as any other.
    func oracleValues(_ sequences: [SequenceID], rollouts: Int, for strategy: String) throws -> [Double] {
        try requireChecker(for: strategy, use: "value = oracle")
        guard !sequences.isEmpty else { return [] }
        guard budget.allows(ledger) else {
            throw SearchError.budgetExhausted(used: budget.used(ledger), limit: budget.limit, unit: budget.unit)
        }
        var values = [Double](repeating: 0, count: sequences.count)
        var open: [Int] = []
        for (i, s) in sequences.enumerated() {
            if try policy.stopReason(of: s) != nil {
                values[i] = try check(completion: policy.completion(of: s), for: strategy) ? 1 : 0
            } else {
                open.append(i)
            }
        }
        guard !open.isEmpty else { return values }
        let lanes = try generate(open.map { GenerationRequest(sequences[$0], lanes: max(1, rollouts)) },
                                 until: .completion)
        var sum = [Double](repeating: 0, count: open.count), finished = [Int](repeating: 0, count: open.count)
        for lane in lanes {
            guard let id = lane.sequence else { continue }
            if lane.end.isTerminal {
                sum[lane.request] += try check(completion: policy.completion(of: id), for: strategy) ? 1 : 0
                finished[lane.request] += 1
            }
            policy.release(id)
        }
        for (k, i) in open.enumerated() where finished[k] > 0 {
            values[i] = sum[k] / Double(finished[k])
        }
        return values
    }
}
