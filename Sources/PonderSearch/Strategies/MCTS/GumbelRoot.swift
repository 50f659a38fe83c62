import Foundation
import PonderModel

/// Root selection by Gumbel sampling with sequential halving ("Policy improvement by planning
/// with Gumbel", Danihelka et al., ICLR 2022), the replacement for PUCT + Dirichlet noise that
/// ReSCALE found restores monotone scaling in LLM tree search.
///
/// The root's children are ranked by g(a) + log π(a) with g ~ Gumbel(0, 1); the top m enter
/// sequential halving: each phase gives every remaining action an equal share of the
/// simulations (forced through that action, PUCT below it), then keeps the better half by
/// g(a) + log π(a) + σ(q(a)), σ(q) = (c_visit + max_b N(b))·c_scale·q with mctx's defaults
/// (c_visit 50, c_scale 0.1). The last survivor is committed.
extension MCTSRun {
    static let gumbelVisitScale = 50.0
    static let gumbelValueScale = 0.1

    /// One move under Gumbel root selection; returns the root child to commit. `simulations`
    /// gives the move's simulation count, read once the root is expanded (so that fill mode
    /// can size it from the cost observed so far).
    func gumbelMove(simulations plan: () -> Int) throws -> Int? {
        var used = 0
        if !tree[tree.root].expanded {
            try runSimulations(forced: [nil])
            used += 1
        }
        let children = tree[tree.root].children
        guard !children.isEmpty else { return nil }
        var gumbel: [Int: Double] = [:]
        for c in children { gumbel[c] = context.searchRNG.nextGumbel() }
        func base(_ c: Int) -> Double { (gumbel[c] ?? 0) + log(max(tree[c].prior, 1e-12)) }
        func score(_ c: Int) -> Double {
            let maxVisits = Double(tree[tree.root].children.map { tree[$0].visits }.max() ?? 0)
            let q = tree.q(c) ?? tree.q(tree.root) ?? 0
            return base(c) + (Self.gumbelVisitScale + maxVisits) * Self.gumbelValueScale * q
        }
        func ranked(_ list: [Int], by key: (Int) -> Double) -> [Int] {
            list.sorted { key($0) > key($1) || (key($0) == key($1) && $0 < $1) }
        }
        var remaining = Array(ranked(children, by: base).prefix(max(1, config.gumbelCandidates)))
        let budget = max(0, plan() - used)
        let phases = max(1, Int(ceil(log2(Double(remaining.count)))))
        while remaining.count > 1, !context.isExhausted {
            let perAction = max(1, budget / (phases * remaining.count))
            var forced: [Int?] = []
            for _ in 0..<perAction { forced += remaining.map { Optional($0) } }
            try runSimulations(forced: forced)
            remaining = Array(ranked(remaining, by: score).prefix((remaining.count + 1) / 2))
        }
        if remaining.count == 1, budget > 0, !context.isExhausted, children.count == 1 {
            // A single action needs no halving; spend the move deepening below it.
            try runSimulations(forced: [Int?](repeating: remaining[0], count: budget))
        }
        return ranked(remaining, by: score).first
    }
}
