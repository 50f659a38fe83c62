import PonderModel

/// One prompt to complete `samples` times.
public struct CompletionRequest: Sendable, Equatable {
    /// The rendered prompt (a chat rendering when the sampler's `chat` is set).
    public var prompt: String
    /// Completions wanted (the lanes forked from the prompt).
    public var samples: Int
    /// The seed of this prompt's own sampling stream (`SearchContext.samplingStream(seed:)`),
    /// so its samples equal those of a search context with this seed, whatever else is
    /// batched with it. Unused when greedy.
    public var seed: UInt64

    /// `samples` completions of `prompt`, drawn with `seed`.
    public init(prompt: String, samples: Int = 1, seed: UInt64 = 0) {
        self.prompt = prompt
        self.samples = samples
        self.seed = seed
    }
}

/// The one decode path for everything that completes prompts outside a search — `train eval`
/// (greedy and pass@k), value-head rollouts, rejection sampling, RFT, and (to come) GRPO
/// groups — so they stop, count and sample exactly as `ponder run` does.
///
/// It is a thin wrapper over `SearchContext.generate` on an `EnginePolicy`, under no budget:
/// every prompt of a call is prefilled once in one batched forward, each forks its `samples`
/// lanes (O(1), KV shared), and all lanes of all prompts decode in lockstep, one batched
/// forward per token. Stops are the `MeteredPolicy`'s (EOS ids, stop strings, the length
/// cap) and every forward is charged to the batch's `ComputeLedger` by `FlopModel`.
public struct BatchCompletionSampler {
    /// The checkpoint.
    public let model: PretrainedModel
    /// Whether prompts are chat-template renderings.
    public let chat: Bool
    /// EOS ids, stop strings and the length cap.
    public let stopConditions: StopConditions
    /// Temperature, top-k, top-p, min-p (temperature 0: greedy).
    public let sampling: SamplingParameters

    /// A sampler over `model` with explicit stop conditions.
    public init(model: PretrainedModel, chat: Bool, sampling: SamplingParameters, stopConditions: StopConditions) {
        self.model = model
        self.chat = chat
        self.sampling = sampling
        self.stopConditions = stopConditions
    }

    /// A sampler over `model`; `stopStrings` and `maxNewTokens` end each completion, as do
    /// the model's EOS ids.
    public init(model: PretrainedModel, chat: Bool, sampling: SamplingParameters, maxNewTokens: Int,
                stopStrings: [String]) {
        self.init(model: model, chat: chat, sampling: sampling,
                  stopConditions: StopConditions(eosTokenIDs: model.eosTokenIds, stopStrings: stopStrings,
                                                 maxNewTokens: maxNewTokens))
    }

    /// Completes every request in one lockstep generation.
    /// - Returns: the completions, `lanes[request][sample]`, with the context that ran them
    ///   (its ledger, and the computed prompts for further reads).
    public func complete(_ requests: [CompletionRequest]) throws -> CompletionBatch {
        let policy = try EnginePolicy(model: model, chat: chat, maxNewTokens: stopConditions.maxNewTokens,
                                      stepDelimiters: stopConditions.stepDelimiters)
        // Search's answer extractor is unused here: callers score completions themselves.
        let hooks = TaskHooks(answerExtractor: AnswerExtractor { _ in nil })
        let context = try SearchContext(policy: policy, budget: .unlimited, sampling: sampling, task: hooks,
                                        stopConditions: stopConditions)
        let roots = try requests.map { try context.policy.start(prompt: $0.prompt) }
        let generation = zip(roots, requests).map { root, request in
            GenerationRequest(root, lanes: request.samples, stream: SearchContext.samplingStream(seed: request.seed))
        }
        var lanes = requests.map { _ in [LaneOutcome]() }
        for lane in try context.generate(generation, until: .completion) { lanes[lane.request].append(lane) }
        return CompletionBatch(context: context, roots: roots, lanes: lanes)
    }

    /// Draws `k` completions of one prompt with the sampling stream of `seed`.
    public func sample(_ prompt: String, k: Int, seed: UInt64) throws -> [LaneOutcome] {
        try complete([CompletionRequest(prompt: prompt, samples: k, seed: seed)]).lanes.first ?? []
    }
}

/// What one `BatchCompletionSampler.complete` call produced. It holds the search context it
/// ran in, so its sequences stay live: callers can read more from them (hidden states at
/// chosen prefixes, as value-head rollouts do) and be charged on the same ledger.
public struct CompletionBatch {
    /// The context the batch ran in (unlimited budget).
    public let context: SearchContext
    /// Each request's prompt sequence, computed.
    public let roots: [SequenceID]
    /// The completions, `lanes[request][sample]`, each with its tokens (a final EOS included),
    /// its text (special tokens dropped), why it ended and its model log-probability.
    public let lanes: [[LaneOutcome]]

    /// Everything the batch spent.
    public var ledger: ComputeLedger { context.ledger }

    /// Final hidden states after chosen prefixes of completions, teacher-forced through the
    /// same policy and charged to the same ledger: for item `i`, the state after the prompt
    /// of request `items[i].request` followed by the first `c` tokens of `items[i].tokens`,
    /// for every cut `c` in `items[i].cuts` (ascending; 0 is the prompt's last token).
    ///
    /// Each item forks its prompt once and is fed up to each cut in turn; the items advance
    /// together, one batched forward per cut index, so the prompt is never recomputed.
    public func hiddenStates(_ items: [(request: Int, tokens: [Int], cuts: [Int])]) throws -> [[[Float]]] {
        let policy = context.policy
        var states = items.map { _ in [[Float]]() }
        var fed = items.map { _ in 0 }
        let sequences = try items.map { try policy.fork(roots[$0.request]) }
        defer { for id in sequences { policy.release(id) } }
        let rounds = items.map(\.cuts.count).max() ?? 0
        for round in 0..<rounds {
            let active = items.indices.filter { round < items[$0].cuts.count }
            for i in active {
                let cut = min(items[i].cuts[round], items[i].tokens.count)
                while fed[i] < cut {
                    try policy.append(sequences[i], token: items[i].tokens[fed[i]])
                    fed[i] += 1
                }
            }
            for (i, state) in zip(active, try policy.hiddenStates(active.map { sequences[$0] })) {
                states[i].append(state)
            }
        }
        return states
    }
}
