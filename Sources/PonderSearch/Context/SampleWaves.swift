import PonderModel

/// One wave of whole samples, as `SearchContext.sampleInWaves` hands it to the strategy to
/// score before the next wave is drawn.
public struct SampleWave {
    /// What the strategy tells the loop after scoring a wave.
    public enum Decision: Sendable, Equatable {
        /// Draw another wave (the sample count, fill mode and the budget still decide).
        case keepSampling
        /// Stop now: the strategy has what it needs.
        case stop
    }

    /// The wave's candidates, one per lane that generated at least one token, in lane order.
    /// Score them in place (`value`, `verified`, `score`); they are kept as scored.
    public var candidates: [ScoredCandidate]
    /// Indices into `candidates` of the finished samples (a terminal end, sequence still held).
    public let finished: [Int]
    /// The finished samples' sequences, in `finished` order: what `SearchContext.values` and
    /// other per-state calls take. They are released once the scoring closure returns.
    public let finishedSequences: [SequenceID]
    /// The candidates of the earlier waves, as scored (for votes and early stopping).
    public internal(set) var earlier: [ScoredCandidate]
}

extension SearchContext {
    /// Most lanes one fill wave may start when the strategy leaves the wave size to the planner:
    /// far above any wave `WavePlanner` sizes for a real budget, small enough that lane arrays
    /// stay cheap.
    static let fillWaveCap = 65_536

    /// Draws whole completions from `root` in budget-planned waves and returns every candidate,
    /// as `score` left it: the sampling loop of best-of-n, rejection sampling and
    /// self-consistency in one place.
    ///
    /// Each wave is sized by a `WavePlanner` (a probe lane first when worst-case lanes would not
    /// fit, then as many lanes as the remaining budget pays for), so a binding budget is spent
    /// on finished samples rather than on lanes cut mid-wave. `score` runs once per wave, before
    /// the wave's sequences are released and before the planner records the wave's cost, so
    /// value and checker calls it makes count as part of a lane's cost.
    ///
    /// - Parameters:
    ///   - root: the prompt (or any state) every lane forks from; it stays the caller's.
    ///   - samples: how many lanes to draw in all, without fill or under an unlimited budget.
    ///   - wave: lanes per wave; 0 means all `samples` at once (under fill: as many as the
    ///     planner sizes).
    ///   - fill: with a finite budget, draw until the budget is spent and ignore `samples`
    ///     (see `BudgetFill`); otherwise the budget is only a cap.
    ///   - score: scores a wave in place and says whether to keep sampling.
    /// - Returns: the candidates of every wave, in the order drawn.
    public func sampleInWaves(
        from root: SequenceID, samples: Int, wave: Int = 0, fill: Bool = true,
        score: (inout SampleWave) throws -> SampleWave.Decision = { _ in .keepSampling }
    ) throws -> [ScoredCandidate] {
        let filling = BudgetFill.isActive(fill, budget)
        let waveSize = wave > 0 ? wave : (filling ? Self.fillWaveCap : samples)
        var candidates: [ScoredCandidate] = []
        var drawn = 0
        var planner = WavePlanner()
        while filling || drawn < samples, !isExhausted {
            let count = planner.begin(filling ? waveSize : min(waveSize, samples - drawn), from: root, in: self)
            let lanes = try generate([GenerationRequest(root, lanes: count)], until: .completion)
            // After scoring and release: what the scoring spends is part of the wave's cost.
            defer { planner.end(in: self) }
            drawn += lanes.count
            let started = lanes.filter { !$0.tokens.isEmpty }
            if started.isEmpty { break }
            let finished = started.indices.filter { started[$0].end.isTerminal && started[$0].sequence != nil }
            var current = SampleWave(candidates: started.map { candidate(from: $0) }, finished: finished,
                                     finishedSequences: finished.compactMap { started[$0].sequence },
                                     earlier: [])
            // Lend the earlier waves rather than copy them (a copy per wave is quadratic).
            swap(&candidates, &current.earlier)
            let decision = try score(&current)
            swap(&candidates, &current.earlier)
            for lane in started { if let id = lane.sequence { policy.release(id) } }
            candidates += current.candidates
            if decision == .stop { break }
        }
        return candidates
    }
}
