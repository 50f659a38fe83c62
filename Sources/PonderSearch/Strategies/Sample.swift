import PonderModel

/// One sample at the context's sampling parameters: the unit every other sampling strategy
/// reduces to when its budget allows a single sample.
public struct Sample: SearchStrategy {
    public let name = "sample"

    /// A single-sample decoder (it has no parameters).
    public init() {}

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "sample", summary: "one sample at the configured temperature", parameters: []
    ) { _ in Sample() }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        let root = try context.policy.start(prompt: problem.prompt)
        let lanes = try context.generate([GenerationRequest(root)], until: .completion)
        let candidates = lanes.map { context.candidate(from: $0) }
        let chosen = candidates.firstIndex { $0.isFinished }
        return context.finish(problem, strategy: name, candidates: candidates, chosen: chosen)
    }
}
