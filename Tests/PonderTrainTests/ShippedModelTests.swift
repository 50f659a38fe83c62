import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTasks
@testable import PonderTrain
import PonderSearch

/// models/countdown-tiny still works with today's code: it loads with its tokenizer and value
/// head, and solves held-out 3-number problems in the compact prompt style (64 % on 300 such
/// problems when measured; a format, tokenizer or prompt change would send this to zero).
final class ShippedModelTests: XCTestCase {
    static let directory = TrainFixtures.testsDirectory.deletingLastPathComponent().appendingPathComponent("models/countdown-tiny")

    func testTheShippedModelSolvesHeldOutThreeNumberProblems() throws {
        let pretrained = try PretrainedModel.load(directory: Self.directory.path)
        let tokenizer = try Tokenizer.load(directory: Self.directory)
        XCTAssertEqual(pretrained.config.modelType, "qwen2")
        XCTAssertEqual(pretrained.model.parameterCount, 1_217_664)
        XCTAssertEqual(tokenizer.count, pretrained.config.vocabSize)
        let config = try SFTConfig.load(path: Self.directory.appendingPathComponent("training_config.yaml").path)
        var countdown = try CountdownConfig(options: config.task.taskOptions())
        countdown.numberCounts = 3...3
        let task = try CountdownTask(config: countdown)
        let problems = try task.problems(split: .test, count: 12, seed: 0)
        let evaluator = TaskEvaluator(task: task, problems: problems, style: .compact, tokenizer: tokenizer,
                                      stopIds: pretrained.eosTokenIds, maxNewTokens: 48)
        let result = try evaluator.evaluate(model: pretrained.model)
        XCTAssertEqual(result.greedyFormat, 1)
        XCTAssertGreaterThanOrEqual(result.greedyAccuracy, 3.0 / 12.0, "\(result)")

        let head = try LinearValueHead.load(path: Self.directory.appendingPathComponent("value_head.safetensors").path)
        XCTAssertEqual(head.weight.count, pretrained.config.hiddenSize)
    }
}
