import PonderModel

/// Greedy decoding: the argmax token at every position, one completion. The baseline every
/// curve starts from; it costs one prefill and one decode token per generated token (the
/// final EOS is chosen but never fed).
public struct Greedy: SearchStrategy {
    public let name = "greedy"

    /// A greedy decoder (it has no parameters).
    public init() {}

    /// The registry entry.
    public static let descriptor = StrategyDescriptor(
        name: "greedy", summary: "argmax decoding, one completion", parameters: []
    ) { _ in Greedy() }

    public func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        let root = try context.policy.start(prompt: problem.prompt)
        let lanes = try context.generate([GenerationRequest(root)], until: .completion,
                                         sampling: SamplingParameters(temperature: 0))
        let candidates = lanes.map { context.candidate(from: $0) }
        let chosen = candidates.firstIndex { $0.isFinished }
        return context.finish(problem, strategy: name, candidates: candidates, chosen: chosen)
    }
}
