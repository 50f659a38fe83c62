import Foundation
import XCTest

/// `ponder train …` as a user runs it: a full SFT run on a tiny config, its evaluation, and
/// clean errors (not crashes) for bad input.
final class TrainCommandLineTests: XCTestCase {
    func ponder(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let url = Bundle.main.bundleURL.appendingPathComponent("ponder")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            XCTFail("\(url.path) is missing; build the ponder product (swift build) first")
            throw XCTSkip("no ponder binary")
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationReason, .uncaughtSignal, "ponder \(arguments) crashed")
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testSFTThenEvalFromTheCommandLine() throws {
        let root = try makeTemporaryDirectory(self)
        let config = try SFTRunTests.tinyConfig(directory: root)
        let path = root + "/tiny.yaml"
        try config.sourceText.write(toFile: path, atomically: true, encoding: .utf8)
        let sft = try ponder(["train", "sft", "--config", path])
        XCTAssertEqual(sft.status, 0, sft.err)
        XCTAssertTrue(sft.out.contains("step 6/6"), sft.out)
        XCTAssertTrue(sft.out.contains("tok/s") && sft.out.contains("ETA"), sft.out)
        XCTAssertTrue(sft.out.contains("wrote the Hugging Face checkpoint"), sft.out)
        let eval = try ponder(["train", "eval", "--model", config.output, "--samples", "2", "--problems", "3"])
        XCTAssertEqual(eval.status, 0, eval.err)
        XCTAssertTrue(eval.out.contains("3 held-out countdown problems: greedy accuracy"), eval.out)
        XCTAssertTrue(eval.out.contains("pass@2"), eval.out)
    }

    func testBadInputFailsCleanly() throws {
        let missing = try ponder(["train", "sft", "--config", "/nonexistent/run.yaml"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("/nonexistent/run.yaml: cannot read the file"), missing.err)
        let root = try makeTemporaryDirectory(self)
        try "training:\n  steps: 0\n".write(toFile: root + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try ponder(["train", "sft", "--config", root + "/bad.yaml"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("training.steps (line 2): must be in 1"), bad.err)
        let eval = try ponder(["train", "eval", "--model", root, "--samples=-1"])
        XCTAssertNotEqual(eval.status, 0)
        XCTAssertTrue(eval.err.contains("--samples must be 0 or more"), eval.err)
    }
}
