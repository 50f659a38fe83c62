import PonderModel
import PonderSearch
import PonderTasks

/// Rejection sampling's model side: the shared decode path as `RejectionSamplingBuilder`
/// takes it. PonderTasks (where the builder lives) must not import PonderSearch, so the
/// builder asks for a closure and this extension provides it; `ponder rejection-sample` and
/// RFT both sample through it.
extension BatchCompletionSampler {
    /// Draws `k` completions of `prompt` as one batch (one prefill, k forks), seeded from
    /// `rng`. The only randomness is that one seed, so the builder's per-problem stream
    /// decides every draw and a resumed run samples exactly what an uninterrupted one would;
    /// the draws equal best-of-k's in a search context of that seed.
    public func sample(_ prompt: RenderedPrompt, k: Int, rng: inout SeededRNG) throws -> [SampledCompletion] {
        try sample(prompt.text, k: k, seed: rng.next()).map { SampledCompletion(text: $0.text, tokenCount: $0.tokens.count) }
    }

    /// The sampler as `RejectionSamplingBuilder` takes it.
    public var completionSampler: CompletionSampler {
        { prompt, k, rng in try self.sample(prompt, k: k, rng: &rng) }
    }
}
