import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTasks
@testable import PonderTrain

/// The SFT loop end to end on a tiny model: an interrupted run resumes bit for bit, the final
/// checkpoint loads in `TransformerModel` with the trainer's logits, and a resume under other
/// settings is refused.
final class SFTRunTests: XCTestCase {
    static func tinyConfig(directory: String) throws -> SFTConfig {
        let yaml = """
            name: tiny
            seed: 3
            output: \(directory)/model
            run_directory: \(directory)/run
            task:
              name: countdown
              numbers: [3, 3]
              number_range: [1, 20]
              train_problems: 40
              test_problems: 4
            tokenizer:
              vocab_size: 300
              corpus_problems: 40
            model:
              hidden_size: 16
              num_hidden_layers: 1
              num_attention_heads: 2
              num_key_value_heads: 1
              intermediate_size: 24
              max_position_embeddings: 96
            training:
              steps: 6
              batch_size: 4
              learning_rate: 0.01
              warmup_steps: 2
              log_every: 2
              checkpoint_every: 2
              threads: 1
            evaluation:
              every: 0
              problems: 4
              max_new_tokens: 12
            """
        return try SFTConfig.parse(yaml, file: "tiny.yaml")
    }

    func testAnInterruptedRunResumesExactlyWhereItStopped() throws {
        let root = try makeTemporaryDirectory(self)
        let straight = try Self.tinyConfig(directory: root + "/a")
        let full = try SFTRun(config: straight, log: { _ in })
        let summary = try full.run()
        XCTAssertEqual(summary.steps, 6)
        XCTAssertNotNil(summary.evaluation)

        let interrupted = try Self.tinyConfig(directory: root + "/b")
        let first = try SFTRun(config: interrupted, log: { _ in })
        XCTAssertEqual(try first.run(stopAfter: 3).steps, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted.output), "no final checkpoint before the last step")
        var lines: [String] = []
        let second = try SFTRun(config: interrupted, log: { lines.append($0) })
        XCTAssertEqual(second.state.step, 3)
        XCTAssertTrue(lines.contains { $0.contains("resumed") && $0.contains("step 3 of 6") }, "\(lines)")
        try second.run()

        for (a, b) in zip(full.parameters.tensors, second.parameters.tensors) {
            XCTAssertEqual(a.buffer.array, b.buffer.array, a.spec.name)
        }
        for (a, b) in zip(full.optimizer.secondMoments.tensors, second.optimizer.secondMoments.tensors) {
            XCTAssertEqual(a.buffer.array, b.buffer.array, "Adam v of \(a.spec.name)")
        }
        let weightsA = try Data(contentsOf: URL(fileURLWithPath: straight.output + "/model.safetensors"))
        let weightsB = try Data(contentsOf: URL(fileURLWithPath: interrupted.output + "/model.safetensors"))
        XCTAssertEqual(weightsA, weightsB)
    }

    func testTheFinalCheckpointLoadsWithTheTrainersLogits() throws {
        let root = try makeTemporaryDirectory(self)
        let config = try Self.tinyConfig(directory: root)
        let run = try SFTRun(config: config, log: { _ in })
        try run.run()
        for name in ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                     "generation_config.json", "trainer_state.json", "training_config.yaml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: config.output + "/" + name), name)
        }
        let pretrained = try PretrainedModel.load(directory: config.output)
        XCTAssertEqual(pretrained.eosTokenIds, [run.eosId])
        XCTAssertEqual(pretrained.config.modelType, "qwen2")
        let sequence = run.dataset.sequences[0]
        let batch = try TokenBatch([sequence], vocabularySize: run.parameters.config.vocabSize, maxLength: 96)
        let ours = Array(run.trainer.forward(batch))
        let theirs = try pretrained.model.forward(tokens: sequence.tokens, cache: pretrained.model.makeCache(), outputs: .all)
        XCTAssertLessThan(zip(ours, theirs.logits).map { abs($0 - $1) }.max() ?? 1, 1e-5)
        // The summary records what the model card quotes.
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config.output + "/trainer_state.json"))) as? [String: Any]
        XCTAssertEqual(state?["steps"] as? Int, 6)
        XCTAssertNotNil(state?["tokens_per_second"])
    }

    /// Running the same command again after a run finished (a notebook rerun) trains nothing,
    /// succeeds, and keeps the loss the finishing session recorded.
    func testRerunningAFinishedRunSucceedsAndKeepsItsLoss() throws {
        let root = try makeTemporaryDirectory(self)
        let config = try Self.tinyConfig(directory: root)
        let first = try SFTRun(config: config, log: { _ in }).run()
        XCTAssertTrue(first.finalLoss.isFinite)
        let again = try SFTRun(config: config, log: { _ in }).run()
        XCTAssertEqual(again.steps, 6)
        XCTAssertEqual(again.finalLoss, first.finalLoss)
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: config.output + "/trainer_state.json"))) as? [String: Any]
        XCTAssertEqual(state?["final_loss"] as? Double, first.finalLoss)
    }

    func testAResumeUnderDifferentSettingsIsRefused() throws {
        let root = try makeTemporaryDirectory(self)
        let config = try Self.tinyConfig(directory: root)
        try SFTRun(config: config, log: { _ in }).run(stopAfter: 2)
        var changed = config
        changed.training.learningRate = 0.02
        XCTAssertThrowsError(try SFTRun(config: changed, log: { _ in })) { error in
            XCTAssertTrue("\(error)".contains("different settings"), "\(error)")
        }
    }

    func testConfigErrorsNameTheKey() throws {
        XCTAssertThrowsError(try SFTConfig.parse("training:\n  stepz: 3\n", file: "x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("x.yaml: training.stepz (line 2): unknown key"), "\(error)")
        }
        XCTAssertThrowsError(try SFTConfig.parse("training:\n  steps: many\n", file: "x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("training.steps"), "\(error)")
        }
        XCTAssertThrowsError(try SFTConfig.parse("model:\n  hidden_size: 30\n  num_attention_heads: 4\n", file: "x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("model.hidden_size"), "\(error)")
        }
        XCTAssertThrowsError(try SFTConfig.parse("task:\n  name: chess\n", file: "x.yaml"))
        let defaults = try SFTConfig.parse("name: x\n", file: "x.yaml")
        XCTAssertEqual(defaults.training.steps, 1_000)
        XCTAssertEqual(defaults.output, "runs/train/x/model")
    }
}
