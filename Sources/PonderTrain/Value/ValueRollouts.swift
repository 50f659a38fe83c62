import Foundation
import PonderModel
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
public struct ValueRolloutSampler {
    public let model: TransformerModel
    public let tokenizer: Tokenizer
    public let task: any ReasoningTask
    public let style: PromptStyle
    public let stopIds: Set<Int>
    public let maxNewTokens: Int

    /// A sampler.
    public init(model: TransformerModel, tokenizer: Tokenizer, task: any ReasoningTask, style: PromptStyle,
                stopIds: Set<Int>, maxNewTokens: Int) {
        self.model = model
        self.tokenizer = tokenizer
        self.task = task
        self.style = style
        self.stopIds = stopIds
        self.maxNewTokens = maxNewTokens
    }

    /// `samples` rollouts per problem at `temperature`, reproducible from `rng`; `progress`
    /// sees the number of problems done.
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
        for start in stride(from: 0, to: problems.count, by: batch) {
            let chunk = Array(problems[start..<min(start + batch, problems.count)])
            let prompts = try chunk.map { try task.prompt(for: $0, style: style) }
            let ids = try prompts.map { try tokenizer.encode($0.text, addSpecialTokens: true) }
            let generated = try BatchedGeneration.generate(
                model: model, prompts: ids, samples: samples, maxNewTokens: maxNewTokens,
                sampling: SamplingParameters(temperature: Float(temperature)), stopIds: stopIds, rng: &rng)
            for (offset, completions) in generated.enumerated() {
                for completion in completions {
                    let text = try tokenizer.decode(completion.tokens, skipSpecialTokens: true)
                    let success = task.score(text, for: chunk[offset], prompt: prompts[offset]).accuracy == 1
                    // States are prefixes before the stop token, never after it.
                    let body = completion.stopped ? Array(completion.tokens.dropLast()) : completion.tokens
                    var boundaries = [0]
                    for (index, token) in body.enumerated() where endsStep[token] && index + 1 < body.count {
                        boundaries.append(index + 1)
                    }
                    let tokens = ids[offset] + body
                    let result = try model.forward(tokens: tokens, cache: model.makeCache(capacity: tokens.count),
                                                   outputs: .all, returnHiddenStates: true)
                    guard let hidden = result.hiddenStates else { continue }
                    let h = model.config.hiddenSize
                    let features = boundaries.map { k -> [Float] in
                        let row = ids[offset].count + k - 1  // the prefix's last token
                        return Array(hidden[(row * h)..<((row + 1) * h)])
                    }
                    rollouts.append(ValueRollout(problem: start + offset, success: success, length: body.count,
                                                 boundaries: boundaries, features: features))
                }
            }
            progress(start + chunk.count)
        }
        return rollouts
    }
}
