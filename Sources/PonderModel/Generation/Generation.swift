/// Why generation ended: for `generate` here, and for a sequence the search layer's policy
/// stopped for good (PonderSearch uses this same type, so `import Ponder` names one).
public enum StopReason: String, Sendable, Codable, Equatable {
    /// An end-of-sequence token was generated (it is included in the output).
    case eos
    /// The token limit was reached (`maxNewTokens`).
    case maxTokens = "max_tokens"
    /// A stop string appeared in the text (decided by the caller's token callback).
    case stopString = "stop_string"
}

/// What the token callback tells the loop after each token.
public enum GenerationControl: Sendable, Equatable {
    /// Keep generating.
    case proceed
    /// Stop now, for this reason.
    case stop(StopReason)
}

/// One generated token, as streamed to the callback.
public struct GeneratedToken: Sendable, Equatable {
    /// Index among the generated tokens (0 for the first).
    public let index: Int
    /// Token id.
    public let id: Int
    /// Log-probability of `id` under the unmodified model distribution (before temperature,
    /// top-k or top-p), over the valid vocabulary.
    public let logprob: Float
}

/// Settings for one generation call.
public struct GenerationOptions: Sendable, Equatable {
    /// Upper bound on generated tokens.
    public var maxNewTokens: Int
    /// Temperature 0 is greedy.
    public var sampling: SamplingParameters
    /// Token ids that end generation (see `PretrainedModel.eosTokenIds`).
    public var stopTokenIds: Set<Int>

    /// Options for a call: greedy and no stop ids unless given.
    public init(maxNewTokens: Int, sampling: SamplingParameters = SamplingParameters(temperature: 0),
                stopTokenIds: Set<Int> = []) {
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.stopTokenIds = stopTokenIds
    }
}

/// The outcome of a generation call.
public struct GenerationResult: Sendable, Equatable, Codable {
    /// The prompt token ids.
    public let promptTokens: [Int]
    /// Generated token ids (including a final EOS token).
    public let tokens: [Int]
    /// Per generated token, its log-probability under the unmodified model distribution.
    public let logprobs: [Float]
    /// Why generation ended.
    public let stopReason: StopReason

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case tokens
        case logprobs
        case stopReason = "stop_reason"
    }
}

extension TransformerModel {
    /// Generates up to `options.maxNewTokens` tokens after `prompt`.
    ///
    /// The prompt is processed in one batched pass; each new token then costs one token's
    /// forward pass through the KV cache. Every draw comes from `rng`, so a seed replays
    /// exactly. `onToken` sees each token as it is chosen and may stop the loop (stop strings).
    public func generate(prompt: [Int], options: GenerationOptions, rng: inout SeededRNG,
                         onToken: (GeneratedToken) throws -> GenerationControl = { _ in .proceed })
        throws -> GenerationResult {
        guard !prompt.isEmpty else { throw ModelError.emptyInput }
        let maxNew = max(0, options.maxNewTokens)
        // The last generated token is never fed back, so the cache needs prompt + maxNew − 1.
        let needed = prompt.count + max(0, maxNew - 1)
        guard needed <= config.maxPositionEmbeddings else {
            throw ModelError.contextTooLong(needed: needed, limit: config.maxPositionEmbeddings)
        }
        var tokens: [Int] = [], logprobs: [Float] = []
        guard maxNew > 0 else {
            return GenerationResult(promptTokens: prompt, tokens: [], logprobs: [], stopReason: .maxTokens)
        }
        tokens.reserveCapacity(maxNew)
        logprobs.reserveCapacity(maxNew)
        let cache = makeCache(capacity: needed)
        let workspace = makeWorkspace()
        var output = try forward(tokens: prompt, cache: cache, workspace: workspace)
        while true {
            let candidates = output.lastLogits.withUnsafeBufferPointer {
                Candidates(logits: $0, validCount: validVocabularySize)
            }
            guard let choice = options.sampling.select(from: candidates, using: &rng) else {
                // Only an empty candidate set yields nothing, and validVocabularySize ≥ 1.
                throw ModelError.invalidVocabularySize(validVocabularySize, configVocabularySize: config.vocabSize)
            }
            tokens.append(choice.id)
            logprobs.append(choice.modelLogprob)
            let control = try onToken(GeneratedToken(index: tokens.count - 1, id: choice.id, logprob: choice.modelLogprob))
            if options.stopTokenIds.contains(choice.id) {
                return GenerationResult(promptTokens: prompt, tokens: tokens, logprobs: logprobs, stopReason: .eos)
            }
            if case let .stop(reason) = control {
                return GenerationResult(promptTokens: prompt, tokens: tokens, logprobs: logprobs, stopReason: reason)
            }
            if tokens.count == maxNew {
                return GenerationResult(promptTokens: prompt, tokens: tokens, logprobs: logprobs, stopReason: .maxTokens)
            }
            output = try forward(tokens: [choice.id], cache: cache, workspace: workspace)
        }
    }
}
