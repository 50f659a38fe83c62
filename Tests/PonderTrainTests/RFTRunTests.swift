import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTasks
@testable import PonderTrain

/// The RFT pipeline end to end on a tiny SFT model: samples are drawn and filtered into a
/// JSONL store, the policy is fine-tuned on them from its own checkpoint and tokenizer, and
/// the report compares held-out accuracy before and after.
final class RFTRunTests: XCTestCase {
    func testSamplesFiltersFineTunesAndReports() throws {
        let root = try makeTemporaryDirectory(self)
        let sft = try SFTRunTests.tinyConfig(directory: root + "/sft")
        try SFTRun(config: sft, log: { _ in }).run()
        let yaml = """
            name: tiny-rft
            seed: 2
            policy: \(sft.output)
            output: \(root)/rft/model
            run_directory: \(root)/rft/run
            sampling:
              problems: 6
              samples: 3
              filter: max-tokens=1000
              max_kept_per_problem: 2
            training:
              steps: 3
              batch_size: 4
              warmup_steps: 1
              threads: 1
            evaluation:
              problems: 4
              max_new_tokens: 12
              samples: 2
            """
        let path = root + "/rft.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        var lines: [String] = []
        let report = try RFTRun.run(try RFTConfig.load(path: path), log: { lines.append($0) })
        // A tiny untrained policy solves nothing; the length-only filter keeps 2 of 3 per problem.
        XCTAssertEqual(report.sampledProblems, 6)
        XCTAssertEqual(report.acceptedSamples, 12)
        XCTAssertEqual(report.before.problems, 4)
        XCTAssertEqual(report.after.samples, 2)
        let samples = try RejectionDataStore.readRecords(URL(fileURLWithPath: root + "/rft/run/samples.jsonl"))
        XCTAssertEqual(samples.count, 12)
        XCTAssertTrue(lines.contains { $0.contains("tokenizer: ") && $0.contains("from \(sft.output)") }, "\(lines)")
        for name in ["model.safetensors", "tokenizer.json", "rft_report.json", "training_config.yaml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/rft/model/" + name), name)
        }
        // The fine-tuned weights moved away from the policy's.
        let policy = try ModelParameters.load(directory: sft.output)
        let tuned = try ModelParameters.load(directory: root + "/rft/model")
        XCTAssertNotEqual(policy.tensors[1].buffer.array, tuned.tensors[1].buffer.array)
    }

    func testRFTConfigRejectsUnknownKeysAndBadFilters() throws {
        let root = try makeTemporaryDirectory(self)
        try "sampling:\n  filter: accurate\n".write(toFile: root + "/a.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RFTConfig.load(path: root + "/a.yaml"))
        try "sampling:\n  sample: 3\n".write(toFile: root + "/b.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RFTConfig.load(path: root + "/b.yaml")) { error in
            XCTAssertTrue("\(error)".contains("sampling.sample"), "\(error)")
        }
    }
}
