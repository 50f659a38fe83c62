import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// Rejection sampling's model side: draws the k completions of one prompt as one batch.
///
/// The prompt is computed once; every lane forks it and the k lanes decode in lockstep, one
/// batched forward per token (PonderSearch's `SearchContext.generate`, under no budget). The
/// only randomness is a seed taken from the caller's generator, so the builder's per-problem
/// stream decides every draw and a resumed run samples exactly what an uninterrupted one would.
public struct BatchCompletionSampler {
    /// The checkpoint.
    public let model: PretrainedModel
    /// Whether prompts are chat-template renderings.
    public let chat: Bool
    /// EOS ids, stop strings and the length cap.
    public let stopConditions: StopConditions
    /// Temperature, top-k, top-p, min-p.
    public let sampling: SamplingParameters

    /// A sampler over `model`; `stopStrings` and `maxNewTokens` end each completion, as do
    /// the model's EOS ids.
    public init(model: PretrainedModel, chat: Bool, sampling: SamplingParameters, maxNewTokens: Int,
                stopStrings: [String]) {
        self.model = model
        self.chat = chat
        self.sampling = sampling
        self.stopConditions = StopConditions(eosTokenIDs: model.eosTokenIds, stopStrings: stopStrings,
                                             maxNewTokens: maxNewTokens)
    }

    /// Draws `k` completions of `prompt`, seeded from `rng`.
    public func sample(_ prompt: RenderedPrompt, k: Int, rng: inout SeededRNG) throws -> [SampledCompletion] {
        let policy = try EnginePolicy(model: model, chat: chat, maxNewTokens: stopConditions.maxNewTokens)
        // Search's answer extractor is unused here: completions are scored by the builder.
        let hooks = TaskHooks(answerExtractor: AnswerExtractor { _ in nil })
        let context = try SearchContext(policy: policy, budget: .unlimited, seed: rng.next(), sampling: sampling,
                                        task: hooks, stopConditions: stopConditions)
        let root = try context.policy.start(prompt: prompt.text)
        let lanes = try context.generate([GenerationRequest(root, lanes: k)], until: .completion)
        return lanes.map { SampledCompletion(text: $0.text, tokenCount: $0.tokens.count) }
    }

    /// The sampler as `RejectionSamplingBuilder` takes it.
    public var completionSampler: CompletionSampler {
        { prompt, k, rng in try self.sample(prompt, k: k, rng: &rng) }
    }
}
