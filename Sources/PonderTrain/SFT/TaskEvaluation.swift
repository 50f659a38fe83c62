import Foundation
import PonderModel
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
    /// Prompts evaluated per batched generation call.
    public var promptsPerBatch = 32

    /// An evaluator.
    public init(task: any ReasoningTask, problems: [Problem], style: PromptStyle, tokenizer: Tokenizer,
                stopIds: Set<Int>, maxNewTokens: Int) {
        self.task = task
        self.problems = problems
        self.style = style
        self.tokenizer = tokenizer
        self.stopIds = stopIds
        self.maxNewTokens = maxNewTokens
    }

    /// Greedy accuracy, plus pass@`samples` at `temperature` when `samples` > 0. Sampling
    /// draws from `SeededRNG(seed:)`, so the figures replay exactly.
    public func evaluate(model: TransformerModel, samples: Int = 0, temperature: Double = 1,
                         seed: UInt64 = 0) throws -> EvaluationResult {
        var correct = 0, formatted = 0.0, tokens = 0
        var sampleShare = 0.0, solvedBySampling = 0
        var rng = SeededRNG(seed: seed)
        for start in stride(from: 0, to: problems.count, by: promptsPerBatch) {
            let chunk = Array(problems[start..<min(start + promptsPerBatch, problems.count)])
            let prompts = try chunk.map { try task.prompt(for: $0, style: style) }
            let ids = try prompts.map { try tokenizer.encode($0.text, addSpecialTokens: true) }
            var greedyRNG = SeededRNG(seed: 0)
            let greedy = try BatchedGeneration.generate(
                model: model, prompts: ids, samples: 1, maxNewTokens: maxNewTokens,
                sampling: SamplingParameters(temperature: 0), stopIds: stopIds, rng: &greedyRNG)
            for (index, problem) in chunk.enumerated() {
                let completion = greedy[index][0]
                let score = try self.score(completion, problem: problem, prompt: prompts[index])
                if score.accuracy == 1 { correct += 1 }
                formatted += score.format
                tokens += completion.tokens.count
            }
            guard samples > 0 else { continue }
            let sampled = try BatchedGeneration.generate(
                model: model, prompts: ids, samples: samples, maxNewTokens: maxNewTokens,
                sampling: SamplingParameters(temperature: Float(temperature)), stopIds: stopIds, rng: &rng)
            for (index, problem) in chunk.enumerated() {
                let right = try sampled[index].filter {
                    try self.score($0, problem: problem, prompt: prompts[index]).accuracy == 1
                }.count
                sampleShare += Double(right) / Double(samples)
                if right > 0 { solvedBySampling += 1 }
            }
        }
        let n = Double(max(problems.count, 1))
        return EvaluationResult(
            problems: problems.count, greedyAccuracy: Double(correct) / n, samples: samples, temperature: temperature,
            sampleAccuracy: samples > 0 ? sampleShare / n : nil,
            passAtSamples: samples > 0 ? Double(solvedBySampling) / n : nil,
            meanGreedyTokens: Double(tokens) / n, greedyFormat: formatted / n)
    }

    /// Decodes a completion (special tokens dropped) and scores it.
    public func score(_ completion: GeneratedCompletion, problem: Problem, prompt: RenderedPrompt) throws -> Score {
        let text = try tokenizer.decode(completion.tokens, skipSpecialTokens: true)
        return task.score(text, for: problem, prompt: prompt)
    }
}
