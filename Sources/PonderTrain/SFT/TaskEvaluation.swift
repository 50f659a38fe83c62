import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// Accuracy of a model on held-out problems: greedy, and pass@k over temperature samples.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// Problems evaluated.
    public var problems: Int
    /// Share solved by the greedy completion.
    public var greedyAccuracy: Double
    /// Samples per problem (0 when only greedy ran).
    public var samples: Int
    /// Sampling temperature.
    public var temperature: Double
    /// Mean share of correct samples per problem: the unbiased pass@1 estimate.
    public var sampleAccuracy: Double?
    /// Share of problems with at least one correct sample among `samples`: pass@samples.
    public var passAtSamples: Double?
    /// Mean greedy completion length in tokens.
    public var meanGreedyTokens: Double
    /// Share of greedy completions with the exact target format.
    public var greedyFormat: Double

    enum CodingKeys: String, CodingKey {
        case problems
        case greedyAccuracy = "greedy_accuracy"
        case samples, temperature
        case sampleAccuracy = "sample_accuracy"
        case passAtSamples = "pass_at_samples"
        case meanGreedyTokens = "mean_greedy_tokens"
        case greedyFormat = "greedy_format"
    }
}

/// Scores a model's completions on a task's problems, in the prompt style it was trained on.
///
/// Decoding goes through `BatchCompletionSampler`, the decode path of `ponder run`: the same
/// stop rules (EOS ids, the style's stop strings, the length cap), the same FLOP ledger, and
/// greedy completions identical to the lab's `greedy` strategy. Samples for pass@k draw, per
/// problem, from `Problem.samplingStream(seed:)`, as rejection sampling does, so a problem's
/// samples do not depend on its batch and equal best-of-k's in a context of that seed.
public struct TaskEvaluator {
    /// The task that renders and verifies.
    public let task: any ReasoningTask
    /// The problems (usually a prefix of the test split).
    public let problems: [Problem]
    /// The prompt style.
    public let style: PromptStyle
    /// Encodes prompts and decodes completions.
    public let tokenizer: Tokenizer
    /// Ids that end a completion.
    public let stopIds: Set<Int>
    /// Generation limit.
    public let maxNewTokens: Int
    /// Strings that end a completion (default: the style's, as `ponder run` uses).
    public var stopStrings: [String]
    /// Prompts evaluated per batched generation call.
    public var promptsPerBatch = 32

    /// An evaluator.
    public init(task: any ReasoningTask, problems: [Problem], style: PromptStyle, tokenizer: Tokenizer,
                stopIds: Set<Int>, maxNewTokens: Int, stopStrings: [String]? = nil) {
        self.task = task
        self.problems = problems
        self.style = style
        self.tokenizer = tokenizer
        self.stopIds = stopIds
        self.maxNewTokens = maxNewTokens
        self.stopStrings = stopStrings ?? style.defaultStopStrings
    }

    /// The stop conditions every completion is decoded under.
    public var stopConditions: StopConditions {
        StopConditions(eosTokenIDs: stopIds, stopStrings: stopStrings, stepDelimiters: [task.stepSeparator],
                       maxNewTokens: maxNewTokens)
    }

    /// The shared decode path over `model` at `sampling`.
    public func sampler(_ model: PretrainedModel, sampling: SamplingParameters) -> BatchCompletionSampler {
        BatchCompletionSampler(model: model, chat: style.name == "chat", sampling: sampling,
                               stopConditions: stopConditions)
    }

    /// `evaluate` on weights held in memory (a model being trained), with this evaluator's
    /// tokenizer.
    public func evaluate(model: TransformerModel, samples: Int = 0, temperature: Double = 1,
                         seed: UInt64 = 0) throws -> EvaluationResult {
        try evaluate(model: PretrainedModel(model: model, tokenizer: tokenizer), samples: samples,
                     temperature: temperature, seed: seed)
    }

    /// Greedy accuracy, plus pass@`samples` at `temperature` when `samples` > 0. Sampling
    /// draws from each problem's `samplingStream(seed:)`, so the figures replay exactly.
    public func evaluate(model: PretrainedModel, samples: Int = 0, temperature: Double = 1,
                         seed: UInt64 = 0) throws -> EvaluationResult {
        try measure(model: model, samples: samples, temperature: temperature, seed: seed).result
    }

    /// `evaluate`, with what its decoding spent (every batch's ledger summed).
    public func measure(model: PretrainedModel, samples: Int = 0, temperature: Double = 1,
                        seed: UInt64 = 0) throws -> (result: EvaluationResult, ledger: ComputeLedger) {
        var correct = 0, formatted = 0.0, tokens = 0
        var sampleShare = 0.0, solvedBySampling = 0
        var ledger = ComputeLedger()
        let greedy = sampler(model, sampling: SamplingParameters(temperature: 0))
        let sampled = sampler(model, sampling: SamplingParameters(temperature: Float(temperature)))
        for start in stride(from: 0, to: problems.count, by: promptsPerBatch) {
            let chunk = Array(problems[start..<min(start + promptsPerBatch, problems.count)])
            let prompts = try chunk.map { try task.prompt(for: $0, style: style) }
            let greedyBatch = try greedy.complete(prompts.map { CompletionRequest(prompt: $0.text) })
            ledger += greedyBatch.ledger
            for (index, problem) in chunk.enumerated() {
                guard let completion = greedyBatch.lanes[index].first else { continue }
                let score = task.score(completion.text, for: problem, prompt: prompts[index])
                if score.accuracy == 1 { correct += 1 }
                formatted += score.format
                tokens += completion.tokens.count
            }
            guard samples > 0 else { continue }
            let requests = zip(chunk, prompts).map { problem, prompt in
                var stream = problem.samplingStream(seed: seed)
                return CompletionRequest(prompt: prompt.text, samples: samples, seed: stream.next())
            }
            let batch = try sampled.complete(requests)
            ledger += batch.ledger
            for (index, problem) in chunk.enumerated() {
                let right = batch.lanes[index].filter {
                    task.score($0.text, for: problem, prompt: prompts[index]).accuracy == 1
                }.count
                sampleShare += Double(right) / Double(samples)
                if right > 0 { solvedBySampling += 1 }
            }
        }
        let n = Double(max(problems.count, 1))
        let result = EvaluationResult(
            problems: problems.count, greedyAccuracy: Double(correct) / n, samples: samples, temperature: temperature,
            sampleAccuracy: samples > 0 ? sampleShare / n : nil,
            passAtSamples: samples > 0 ? Double(solvedBySampling) / n : nil,
            meanGreedyTokens: Double(tokens) / n, greedyFormat: formatted / n)
        return (result, ledger)
    }
}
