import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTasks
@testable import PonderTrain
import PonderSearch

/// `train eval`, rejection sampling and value rollouts decode through the lab's path: on the
/// shipped countdown model, train eval's greedy figures are those of the `greedy` strategy's
/// completions, and a problem's pass@k samples, its rejection samples and best-of-k's samples
/// in a search context of the same seed are one stream.
final class SharedDecodePathTests: XCTestCase {
    static let directory = ShippedModelTests.directory

    struct Setup {
        let pretrained: PretrainedModel
        let task: CountdownTask
        let problems: [Problem]
        let evaluator: TaskEvaluator
    }

    func setup(problems count: Int = 4) throws -> Setup {
        let pretrained = try PretrainedModel.load(directory: Self.directory.path)
        let config = try SFTConfig.load(path: Self.directory.appendingPathComponent("training_config.yaml").path)
        let task = try CountdownTask(config: try CountdownConfig(options: config.task.taskOptions()))
        let problems = try task.problems(split: .test, count: count, seed: config.task.problemSeed)
        let evaluator = TaskEvaluator(task: task, problems: problems, style: .compact,
                                      tokenizer: try pretrained.requireTokenizer(),
                                      stopIds: pretrained.eosTokenIds, maxNewTokens: 64)
        return Setup(pretrained: pretrained, task: task, problems: problems, evaluator: evaluator)
    }

    /// A search context as the lab builds one for a trial: the engine policy, the style's stop
    /// strings, EOS ids and length cap.
    func labContext(_ s: Setup, seed: UInt64, temperature: Float = 1) throws -> SearchContext {
        try SearchContext(policy: try EnginePolicy(model: s.pretrained, maxNewTokens: 64), seed: seed,
                          sampling: SamplingParameters(temperature: temperature),
                          task: TaskHooks(answerExtractor: AnswerExtractor { _ in nil }),
                          stopConditions: s.evaluator.stopConditions)
    }

    func testTrainEvalGreedyIsTheLabsGreedyTrial() throws {
        let s = try setup()
        XCTAssertEqual(s.evaluator.stopConditions.stopStrings, ["</answer>"], "the lab's stop string for tag styles")
        let (result, ledger) = try s.evaluator.measure(model: s.pretrained)
        var correct = 0, tokens = 0, format = 0.0, flops = 0.0
        var texts: [[String]] = []
        for problem in s.problems {
            let prompt = try s.task.prompt(for: problem, style: .compact)
            let trial = try Greedy().search(SearchProblem(id: problem.id, prompt: prompt.text),
                                            in: try labContext(s, seed: 0))
            let chosen = try XCTUnwrap(trial.chosen.map { trial.candidates[$0] })
            let score = s.task.score(chosen.text, for: problem, prompt: prompt)
            if score.accuracy == 1 { correct += 1 }
            format += score.format
            tokens += chosen.tokens
            flops += trial.ledger.policyFLOPs
            texts.append(trial.candidates.map(\.text))
        }
        XCTAssertEqual(result.greedyAccuracy, Double(correct) / Double(s.problems.count))
        XCTAssertEqual(result.meanGreedyTokens, Double(tokens) / Double(s.problems.count))
        XCTAssertEqual(result.greedyFormat, format / Double(s.problems.count))
        XCTAssertEqual(ledger.policyFLOPs, flops, "batched or alone, the same tokens cost the same FLOPs")

        // And the completions themselves, through the evaluator's sampler.
        let prompts = try s.problems.map { try s.task.prompt(for: $0, style: .compact).text }
        let batch = try s.evaluator.sampler(s.pretrained, sampling: SamplingParameters(temperature: 0))
            .complete(prompts.map { CompletionRequest(prompt: $0) })
        XCTAssertEqual(batch.lanes.map { $0.map(\.text) }, texts)
    }

    func testPassAtKRejectionAndBestOfNSamplesAreOneStream() throws {
        let s = try setup(problems: 2)
        let seed: UInt64 = 9, k = 3
        let sampler = s.evaluator.sampler(s.pretrained, sampling: SamplingParameters(temperature: 1))
        var share = 0.0
        for problem in s.problems {
            let prompt = try s.task.prompt(for: problem, style: .compact)
            // Rejection sampling's draw: the builder hands the sampler the problem's stream.
            var rng = problem.samplingStream(seed: seed)
            let rejection = try sampler.completionSampler(prompt, k, &rng)
            // Best-of-k in a lab context seeded from the same stream.
            var stream = problem.samplingStream(seed: seed)
            let trial = try BestOfN(n: k, fill: false).search(SearchProblem(id: problem.id, prompt: prompt.text),
                                                              in: try labContext(s, seed: stream.next()))
            XCTAssertEqual(rejection.map(\.text), trial.candidates.map(\.text), problem.id)
            XCTAssertEqual(rejection.map(\.tokenCount), trial.candidates.map(\.tokens), problem.id)
            let right = rejection.filter { s.task.score($0.text, for: problem, prompt: prompt).accuracy == 1 }.count
            share += Double(right) / Double(k)
        }
        // train eval's pass@1 is the mean over exactly these samples.
        let result = try s.evaluator.evaluate(model: s.pretrained, samples: k, seed: seed)
        XCTAssertEqual(try XCTUnwrap(result.sampleAccuracy), share / Double(s.problems.count), accuracy: 1e-12)
    }

    func testValueRolloutsReadTheStatesAPlainForwardComputes() throws {
        let s = try setup(problems: 2)
        let tokenizer = try s.pretrained.requireTokenizer()
        let sampler = ValueRolloutSampler(model: s.pretrained.model, tokenizer: tokenizer, task: s.task, style: .compact,
                                          stopIds: s.pretrained.eosTokenIds, maxNewTokens: 64)
        var rng = SeededRNG(seed: 4)
        let rollouts = try sampler.sample(problems: s.problems, samples: 2, temperature: 1, rng: &rng)
        XCTAssertEqual(rollouts.count, 4)
        let model = s.pretrained.model, h = model.config.hiddenSize
        for rollout in rollouts {
            XCTAssertEqual(rollout.features.count, rollout.boundaries.count)
            XCTAssertGreaterThan(rollout.boundaries.count, 1, "countdown completions have several lines")
            let prompt = try s.task.prompt(for: s.problems[rollout.problem], style: .compact)
            let ids = try tokenizer.encode(prompt.text, addSpecialTokens: true)
            XCTAssertEqual(rollout.features[0].count, h)
            let plain = try model.forward(tokens: ids, cache: model.makeCache(), returnHiddenStates: true)
            let state = Array(try XCTUnwrap(plain.hiddenStates).suffix(h))
            XCTAssertLessThan(zip(rollout.features[0], state).map { abs($0 - $1) }.max() ?? .infinity, 1e-4)
        }
    }
}
