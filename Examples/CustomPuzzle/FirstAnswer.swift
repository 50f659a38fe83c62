// A search strategy written outside Ponder: sample in waves and stop at the first completion
// that gives an answer. Registered by `main.swift`; configs name it `first-answer`.
import Ponder

/// Samples until some completion offers an answer (at most `max_samples`), and picks it.
struct FirstAnswer: SearchStrategy {
    let name = "first-answer"
    var maxSamples: Int
    var batch: Int

    /// Typed, validated parameters: configs write `max_samples: 8`, `batch: 2`.
    static let descriptor = StrategyDescriptor(
        name: "first-answer", summary: "sample in waves until a completion gives an answer",
        parameters: [
            .int("max_samples", 1...1024, default: 8, "most samples to draw"),
            .int("batch", 1...64, default: 2, "samples decoded per wave"),
        ]
    ) { p in FirstAnswer(maxSamples: try p.int("max_samples"), batch: try p.int("batch")) }

    func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        let root = try context.policy.start(prompt: problem.prompt)   // one prefill, then forks
        var candidates: [ScoredCandidate] = []
        var planner = WavePlanner()                                   // sizes waves to the budget
        while candidates.count < maxSamples, !context.isExhausted,
              !candidates.contains(where: { $0.answer != nil }) {
            let wave = planner.begin(min(batch, maxSamples - candidates.count), from: root, in: context)
            let lanes = try context.generate([GenerationRequest(root, lanes: wave)], until: .completion)
            planner.end(in: context)
            let started = lanes.filter { !$0.tokens.isEmpty }
            if started.isEmpty { break }                               // the budget bought no token
            candidates += started.map { context.candidate(from: $0) }
            for lane in started { if let s = lane.sequence { context.policy.release(s) } }
        }
        return context.finish(problem, strategy: name, candidates: candidates,
                              chosen: candidates.firstIndex { $0.answer != nil } ?? candidates.indices.first,
                              statistics: ["samples": Double(candidates.count)])
    }
}
