/// Sizes waves of whole samples so that a binding budget is spent on finished samples.
///
/// Lanes decoded in lockstep all grow together; when a budget runs out mid-wave, every lane
/// of the wave is cut and nothing finishes. Sampling strategies therefore ask the planner how
/// many lanes to start: with no cap, all of them; before any sample has finished, all of them
/// only if even worst-case lanes (the length cap) fit, else a single probe lane; afterwards,
/// as many as the remaining budget pays for at the mean observed cost per lane.
public struct WavePlanner: Sendable, Equatable {
    private var spent = 0.0
    private var lanes = 0
    private var waveStart: Double?
    private var waveLanes = 0
    private var waveParentCost = 0.0

    /// A planner with no observations.
    public init() {}

    /// The observed mean cost per lane in budget units (`nil` before the first wave ends).
    public var costPerLane: Double? { lanes > 0 ? spent / Double(lanes) : nil }

    /// How many of `wanted` lanes to start from `parent` now, and marks the wave's start.
    public mutating func begin(_ wanted: Int, from parent: SequenceID, in context: SearchContext) -> Int {
        let budget = context.budget
        let parentCost = budget.used(context.policy.flushCost([parent]))
        var count = wanted
        if wanted > 1, budget.limit.isFinite {
            let remaining = budget.remaining(context.ledger) - parentCost
            if let cost = costPerLane, cost > 0 {
                count = max(1, Int(min(Double(wanted), max(0, remaining / cost))))
            } else if Double(wanted) * BudgetFill.worstCaseLaneCost(from: parent, in: context) > remaining {
                count = 1
            }
        }
        waveStart = budget.used(context.ledger)
        waveLanes = count
        waveParentCost = parentCost
        return count
    }

    /// Records what the wave begun last cost (call after generating and scoring it).
    public mutating func end(in context: SearchContext) {
        guard let start = waveStart, waveLanes > 0 else { return }
        spent += max(0, context.budget.used(context.ledger) - start - waveParentCost)
        lanes += waveLanes
        waveStart = nil
    }
}
