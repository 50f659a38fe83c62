import PonderModel

/// One generated completion.
public struct GeneratedCompletion: Sendable, Equatable {
    /// Generated ids (including a final stop id when one ended it).
    public var tokens: [Int]
    /// Log-probability of each token under the unmodified model distribution.
    public var logprobs: [Float]
    /// Whether a stop id ended it (rather than the token limit).
    public var stopped: Bool
}

/// Generates several completions for several prompts in lockstep: each prompt is prefilled
/// once, its cache forked per sample, and every decoding step is one batched forward over all
/// unfinished sequences. Evaluation (greedy accuracy, pass@k) and value-head rollouts use it.
///
/// Draws come from `rng` in a fixed order (sequence by sequence within a step), so a seed
/// replays exactly; greedy decoding draws nothing.
public enum BatchedGeneration {
    /// Returns `samples` completions per prompt, prompt-major: `result[p][s]`.
    public static func generate(model: TransformerModel, prompts: [[Int]], samples: Int, maxNewTokens: Int,
                                sampling: SamplingParameters, stopIds: Set<Int>,
                                rng: inout SeededRNG) throws -> [[GeneratedCompletion]] {
        guard samples > 0, maxNewTokens > 0 else {
            return prompts.map { _ in [GeneratedCompletion](repeating: GeneratedCompletion(tokens: [], logprobs: [], stopped: false), count: max(0, samples)) }
        }
        let workspace = model.makeWorkspace()
        var caches: [KVCache] = [], lastLogits: [[Float]] = [], owner: [(prompt: Int, sample: Int)] = []
        for (index, prompt) in prompts.enumerated() {
            let cache = model.makeCache(capacity: prompt.count + maxNewTokens)
            let result = try model.forward(tokens: prompt, cache: cache, workspace: workspace)
            for sample in 0..<samples {
                caches.append(sample == samples - 1 ? cache : cache.fork())
                lastLogits.append(Array(result.lastLogits))
                owner.append((index, sample))
            }
        }
        var outputs = prompts.map { _ in [GeneratedCompletion](repeating: GeneratedCompletion(tokens: [], logprobs: [], stopped: false), count: samples) }
        var live = Array(caches.indices)
        for step in 0..<maxNewTokens {
            var next: [(sequence: Int, token: Int)] = []
            for sequence in live {
                let candidates = lastLogits[sequence].withUnsafeBufferPointer {
                    Candidates(logits: $0, validCount: model.validVocabularySize)
                }
                guard let choice = sampling.select(from: candidates, using: &rng) else {
                    throw ModelError.invalidVocabularySize(model.validVocabularySize, configVocabularySize: model.config.vocabSize)
                }
                let (p, s) = owner[sequence]
                outputs[p][s].tokens.append(choice.id)
                outputs[p][s].logprobs.append(choice.modelLogprob)
                if stopIds.contains(choice.id) {
                    outputs[p][s].stopped = true
                } else {
                    next.append((sequence, choice.id))
                }
            }
            live = next.map(\.sequence)
            guard !live.isEmpty, step + 1 < maxNewTokens else { break }
            let results = try model.extend(next.map { SequenceExtension(cache: caches[$0.sequence], tokens: [$0.token]) },
                                           workspace: workspace)
            for (entry, result) in zip(next, results) { lastLogits[entry.sequence] = Array(result.lastLogits) }
        }
        return outputs
    }
}
