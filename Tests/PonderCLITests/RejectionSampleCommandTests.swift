import Foundation
import XCTest
import Ponder

/// `ponder rejection-sample` end to end on a fixture checkpoint, and its resume after SIGKILL.
final class RejectionSampleCommandTests: CLITestCase {
    func arguments(model: URL, out: String) -> [String] {
        ["rejection-sample", "--model", model.path, "--task", "countdown", "--split", "train",
         "--samples-per-problem", "4", "--problems", "8", "--keep", "max-tokens=10", "--out", out,
         "--max-new-tokens", "12", "--seed", "3"]
    }

    func lines(_ name: String) throws -> [String] {
        try String(contentsOf: work.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    func testSamplesFiltersAndResumesAfterAKill() throws {
        let model = URL(fileURLWithPath: Self.repository.appendingPathComponent("Tests/Fixtures/models/qwen2-gqa-bias").path)
        let reference = try succeed(arguments(model: model, out: "reference.jsonl"))
        XCTAssertEqual(reference.lastLine, "reference.jsonl")
        XCTAssertTrue(reference.stdout.contains("all "), "overall statistics: \(reference.stdout)")
        XCTAssertTrue(reference.stdout.contains("n3-") || reference.stdout.contains("n4-"), "per-bin statistics")
        XCTAssertTrue(reference.stdout.contains("max-tokens"), "rejections by rule")
        let progress = try lines("reference.jsonl.progress")
        XCTAssertEqual(progress.count, 8)
        for line in progress {
            let outcome = try JSONDecoder().decode(ProblemOutcome.self, from: Data(line.utf8))
            XCTAssertEqual(outcome.sampled, 4, "K samples per problem")
        }
        let records = try RejectionDataStore.readRecords(work.appendingPathComponent("reference.jsonl"))
        XCTAssertFalse(records.isEmpty, "some completions stop early enough to be kept")
        XCTAssertTrue(records.allSatisfy { $0.tokens <= 10 })
        XCTAssertLessThan(records.count, 8 * 4, "and some are rejected")

        // Kill a second run after a few problems, tear its last line, and resume.
        let (process, _, _) = try start(arguments(model: model, out: "resumed.jsonl"))
        let progressFile = work.appendingPathComponent("resumed.jsonl.progress")
        XCTAssertTrue(wait(for: process) {
            ((try? String(contentsOf: progressFile, encoding: .utf8))?.filter { $0 == "\n" }.count ?? 0) >= 3
        })
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let handle = try FileHandle(forWritingTo: work.appendingPathComponent("resumed.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"problem_id\":\"countdown:torn".utf8))
        try handle.close()

        let resumed = try succeed(arguments(model: model, out: "resumed.jsonl"))
        XCTAssertTrue(resumed.stderr.contains("half-written last line"), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("already finished"), resumed.stderr)
        XCTAssertEqual(try lines("resumed.jsonl"), try lines("reference.jsonl"), "the same kept completions")
        XCTAssertEqual(try lines("resumed.jsonl.progress"), progress, "the same outcomes, each once")

        let again = try succeed(arguments(model: model, out: "resumed.jsonl"))
        XCTAssertTrue(again.stderr.contains("8 of 8 problems already finished"), again.stderr)
        XCTAssertEqual(try lines("resumed.jsonl"), try lines("reference.jsonl"))
    }

    func testBadKeepRulesAreRejected() throws {
        let model = URL(fileURLWithPath: Self.repository.appendingPathComponent("Tests/Fixtures/models/qwen2-gqa-bias").path)
        var args = arguments(model: model, out: "x.jsonl")
        args[args.firstIndex(of: "max-tokens=10").map { $0 } ?? 0] = "accuracy,lenght"
        let outcome = try ponder(args)
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("unknown keep rule 'lenght'"), outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("x.jsonl").path))
    }

    /// `--out` in a folder that does not exist yet (a notebook's runs/… path on a fresh clone).
    func testTheOutputFolderIsCreated() throws {
        let model = URL(fileURLWithPath: Self.repository.appendingPathComponent("Tests/Fixtures/models/qwen2-gqa-bias").path)
        var args = arguments(model: model, out: "runs/fresh/data.jsonl")
        if let i = args.firstIndex(of: "--problems") { args[i + 1] = "2" }  // two problems are enough
        let outcome = try succeed(args)
        XCTAssertEqual(outcome.lastLine, "runs/fresh/data.jsonl")
        XCTAssertEqual(try lines("runs/fresh/data.jsonl.progress").count, 2)
    }
}
