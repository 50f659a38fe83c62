import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// One sampled completion with what value training needs: its outcome, and the policy's final
/// hidden state at every step boundary.
public struct ValueRollout: Sendable {
    /// Index of the problem in the list it was sampled for.
    public var problem: Int
    /// Whether the verifier accepted the answer.
    public var success: Bool
    /// Completion length in tokens.
    public var length: Int
    /// Completion tokens before each step boundary: 0 (the prompt alone), then every
    /// position right after a token that ends a line (the step separator).
    public var boundaries: [Int]
    /// The final hidden state (after the last RMSNorm) at the last token of each boundary
    /// prefix, `[hidden]` each.
    public var features: [[Float]]
}

/// Samples rollouts from a policy and extracts step-boundary states.
///
/// Rollouts decode through `BatchCompletionSampler`, the decode path of `ponder run`, so the
/// value head is trained on completions that stop where searched ones stop (EOS, the style's
/// stop strings, the length cap); the boundary states are then read from the same policy
/// (`CompletionBatch.hiddenStates`), forking each computed prompt instead of re-encoding it.
public struct ValueRolloutSampler {
    public let model: TransformerModel
    public let tokenizer: Tokenizer
    public let task: any ReasoningTask
    public let style: PromptStyle
    public let stopIds: Set<Int>
    public let maxNewTokens: Int
    /// Strings that end a completion (default: the style's, as `ponder run` uses).
    public var stopStrings: [String]

    /// A sampler.
    public init(model: TransformerModel, tokenizer: Tokenizer, task: any ReasoningTask, style: PromptStyle,
                stopIds: Set<Int>, maxNewTokens: Int, stopStrings: [String]? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.task = task
        self.style = style
        self.stopIds = stopIds
        self.maxNewTokens = maxNewTokens
        self.stopStrings = stopStrings ?? style.defaultStopStrings
    }

    /// `samples` rollouts per problem at `temperature`, reproducible from `rng` (one seed per
    /// problem is drawn from it, in order, so batching does not change the samples);
    /// `progress` sees the number of problems done.
    public func sample(problems: [Problem], samples: Int, temperature: Double, rng: inout SeededRNG,
                       progress: (Int) -> Void = { _ in }) throws -> [ValueRollout] {
        var rollouts: [ValueRollout] = []
        let batch = 32
        // Which tokens end a line: their text contains the task's step separator.
        let separator = task.stepSeparator
        var endsStep = [Bool](repeating: false, count: tokenizer.count)
        for id in 0..<tokenizer.count {
            endsStep[id] = ((try? tokenizer.decode([id])) ?? "").contains(separator)
        }
        let sampler = BatchCompletionSampler(
            model: PretrainedModel(model: model, tokenizer: tokenizer), chat: style.name == "chat",
            sampling: SamplingParameters(temperature: Float(temperature)),
            stopConditions: StopConditions(eosTokenIDs: stopIds, stopStrings: stopStrings,
                                           stepDelimiters: [separator], maxNewTokens: maxNewTokens))
        let seeds = problems.map { _ in rng.next() }
        for start in stride(from: 0, to: problems.count, by: batch) {
            let chunk = Array(problems[start..<min(start + batch, problems.count)])
            let prompts = try chunk.map { try task.prompt(for: $0, style: style) }
            let generated = try sampler.complete(zip(prompts, seeds[start...]).map {
                CompletionRequest(prompt: $0.text, samples: samples, seed: $1)
            })
            var items: [(request: Int, tokens: [Int], cuts: [Int])] = []
            var outcomes: [(problem: Int, success: Bool)] = []
            for (offset, completions) in generated.lanes.enumerated() {
                for completion in completions {
                    let success = task.score(completion.text, for: chunk[offset], prompt: prompts[offset]).accuracy == 1
                    // States are prefixes before the stop token, never after it.
                    let body = completion.end == .eos ? Array(completion.tokens.dropLast()) : completion.tokens
                    var boundaries = [0]
                    for (index, token) in body.enumerated() where endsStep[token] && index + 1 < body.count {
                        boundaries.append(index + 1)
                    }
                    items.append((offset, body, boundaries))
                    outcomes.append((start + offset, success))
                }
            }
            let features = try generated.hiddenStates(items)
            for (i, item) in items.enumerated() {
                rollouts.append(ValueRollout(problem: outcomes[i].problem, success: outcomes[i].success,
                                             length: item.tokens.count, boundaries: item.cuts, features: features[i]))
            }
            progress(start + chunk.count)
        }
        return rollouts
    }
}
