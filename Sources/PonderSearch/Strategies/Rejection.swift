import PonderModel

/// Rejection sampling: draw samples until enough are accepted — by the value head
/// (P(success) ≥ threshold) or, in verifier-charged mode, by the checker — or the sample cap
/// or the budget runs out. Reports the acceptance rate, the figure R1-style data building
/// needs per difficulty bin.
///
/// The chosen candidate is the first accepted one; when none is accepted, the highest-valued
/// sample (value acceptance) or the majority answer (checker acceptance).
///
/// Fill mode (`fill`, the default) with a finite budget: draw until `accepted` acceptances or
/// the budget ends; `max_samples` is ignored, and waves of `batch` are sized by `WavePlanner`
/// so that the budget is spent on finished samples. A search that reaches its acceptances
/// early stops there (it has what it was asked for). With fill off, or an unlimited budget,
/// `max_samples` bounds the draws as well. Value acceptance reads `valueSource` (head, or the
/// verifier-charged oracle, for which a finished sample's value is its own check).
public struct Rejection: SearchStrategy {
    /// What decides acceptance.
    public enum Acceptance: String, Codable, Sendable, CaseIterable {
        /// The value head, against `threshold`.
        case value
        /// The checker (verifier-charged mode only; every call charged).
        case checker
    }

    public let name = "rejection"
    /// The most samples to draw.
    public var maxSamples: Int
    /// Value acceptance threshold on P(success).
    public var threshold: Double
    /// What decides acceptance.
    public var accept: Acceptance
    /// Samples decoded at once (1: stop right at the first acceptance).
    public var batch: Int
    /// Stop after this many acceptances.
    public var acceptedTarget: Int
    /// Draw until the acceptances or a finite budget end, ignoring `maxSamples`.
    public var fill: Bool
    /// Where values come from for `accept = value`.
    public var valueSource: ValueSource

    /// Rejection sampling with every knob given.
    public init(maxSamples: Int = 16, threshold: Double = 0.5, accept: Acceptance = .value,
                batch: Int = 1, acceptedTarget: Int = 1, fill: Bool = true, valueSource: ValueSource = .head) {
        self.maxSamples = maxSamples
        self.threshold = threshold
        self.accept = accept
        self.batch = batch
        self.acceptedTarget = acceptedTarget
        self.fill = fill
        self.valueSource = valueSource
    }

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "rejection", summary: "sample until accepted by the value head or the charged checker",
        parameters: [
            .int("max_samples", 1...65_536, default: 16, "most samples to draw (ignored under fill with a finite budget)"),
            .double("threshold", 0...1, default: 0.5, "value acceptance threshold on P(success)"),
            .choice("accept", Acceptance.allCases.map(\.rawValue), default: "value",
                    "value | checker (verifier-charged only)"),
            .int("batch", 1...65_536, default: 1, "samples decoded at once"),
            .int("accepted", 1...65_536, default: 1, "stop after this many acceptances"),
            .bool("fill", default: true, "with a finite budget, draw until the acceptances or the budget end"),
        ] + ValueSource.parameters
    ) { p in
        Rejection(maxSamples: try p.int("max_samples"), threshold: try p.double("threshold"),
                  accept: try p.choice("accept", as: Acceptance.self), batch: try p.int("batch"),
                  acceptedTarget: try p.int("accepted"), fill: try p.bool("fill"),
                  valueSource: try ValueSource.from(p))
    }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        context.valueSource = valueSource
        switch accept {
        case .value: try context.requireValueFunction(for: name, reason: "accept = value")
        case .checker: try context.requireChecker(for: name, use: "accept = checker")
        }
        let root = try context.policy.start(prompt: problem.prompt)
        var judged = 0, accepted = 0
        let candidates = try context.sampleInWaves(from: root, samples: maxSamples, wave: batch, fill: fill) { wave in
            switch accept {
            case .value:
                let values = try context.values(wave.finishedSequences, for: name)
                for (i, v) in zip(wave.finished, values) {
                    wave.candidates[i].value = v
                    wave.candidates[i].score = v >= threshold ? 1 : 0
                }
            case .checker:
                for i in wave.finished {
                    let ok = try context.check(completion: wave.candidates[i].text, for: name)
                    wave.candidates[i].verified = ok
                    wave.candidates[i].score = ok ? 1 : 0
                }
            }
            judged += wave.finished.count
            accepted += wave.finished.filter { wave.candidates[$0].score == 1 }.count
            return accepted < acceptedTarget ? .keepSampling : .stop
        }
        let firstAccepted = candidates.firstIndex { $0.isFinished && $0.score == 1 }
        let fallback = Voting.select(candidates, by: accept == .value ? .maxValue : .majority)
        let rate = judged > 0 ? Double(accepted) / Double(judged) : 0
        return context.finish(problem, strategy: name, candidates: candidates, chosen: firstAccepted ?? fallback,
                              statistics: ["acceptance_rate": rate, "accepted": Double(accepted),
                                           "judged": Double(judged)])
    }
}
