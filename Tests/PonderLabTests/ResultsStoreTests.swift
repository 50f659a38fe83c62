import Foundation
import XCTest
@testable import PonderLab

final class ResultsStoreTests: XCTestCase {
    private func run(_ id: String) -> RunInfo {
        RunInfo(runID: id, name: "t", configJSON: "{\"name\":\"t\"}", modelVersion: "m", codeVersion: "c",
                createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func testRoundTripKeepsEveryField() throws {
        let folder = try makeTemporaryDirectory(self)
        let store = try ResultsStore(runFolder: folder)
        try store.register(run: run("run-test"))
        var record = makeTrial(problem: 3, strategy: "mcts-step", seed: 2, correct: true, difficulty: 2.5,
                               candidates: (8, 3), answer: "a, \"b\"", tree: "{\"id\":0}")
        record.ledgerJSON = "{\"flops\":1000000000,\"extra\":1}"
        XCTAssertTrue(try store.insert(record))
        XCTAssertEqual(try store.trials(run: "run-test"), [record])
        XCTAssertEqual(try store.runs(), [run("run-test")])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("results.sqlite-wal").path),
                      "the database is in WAL mode")
    }

    func testInsertingAKeyTwiceKeepsOneRow() throws {
        let store = try ResultsStore(runFolder: try makeTemporaryDirectory(self))
        let first = makeTrial(problem: 0, strategy: "greedy", correct: true)
        var second = first
        second.correct = false
        XCTAssertTrue(try store.insert(first))
        XCTAssertFalse(try store.insert(second))
        XCTAssertEqual(try store.trials(run: "run-test"), [first])
        // the same key in another run is a different trial
        XCTAssertTrue(try store.insert(makeTrial(problem: 0, strategy: "greedy", correct: true, run: "other")))
        XCTAssertEqual(try store.finishedTrialKeys(run: "run-test"), [first.trialKey])
        XCTAssertEqual(try store.trialCount(run: "other"), 1)
    }

    func testRegisteringADifferentConfigUnderTheSameIDFails() throws {
        let store = try ResultsStore(runFolder: try makeTemporaryDirectory(self))
        try store.register(run: run("r1"))
        try store.register(run: run("r1"))
        var changed = run("r1")
        changed.configJSON = "{}"
        XCTAssertThrowsError(try store.register(run: changed))
    }

    func testMergeCombinesShardsAndRejectsOtherRuns() throws {
        let folder = try makeTemporaryDirectory(self)
        var shardURLs: [URL] = []
        for shard in 0..<2 {
            let url = folder.appendingPathComponent("shard\(shard)/results.sqlite")
            let store = try ResultsStore(url: url)
            try store.register(run: run("run-test"))
            for problem in stride(from: shard, to: 6, by: 2) {
                try store.insert(makeTrial(problem: problem, strategy: "greedy", correct: problem % 2 == 0))
            }
            // both shards finished problem 5's sampling trial (a rerun overlap)
            try store.insert(makeTrial(problem: 5, strategy: "sample", correct: true))
            shardURLs.append(url)
        }
        let merged = try ResultsStore(url: folder.appendingPathComponent("merged/results.sqlite"))
        let summary = try merged.merge(from: shardURLs)
        XCTAssertEqual(summary.sources, 2)
        XCTAssertEqual(summary.inserted, 7)
        XCTAssertEqual(summary.duplicates, 1)
        XCTAssertEqual(try merged.trialCount(run: "run-test"), 7)
        XCTAssertEqual(try merged.runs().map(\.runID), ["run-test"])
        XCTAssertEqual(try merged.merge(from: shardURLs).inserted, 0, "merging again adds nothing")

        let stranger = folder.appendingPathComponent("other/results.sqlite")
        let other = try ResultsStore(url: stranger)
        try other.register(run: run("another-run"))
        XCTAssertThrowsError(try merged.merge(from: [stranger])) { error in
            guard case StoreError.runMismatch = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("cannot be merged"))
        }
    }

    /// SIGKILL a writer process mid-run: the store reopens with exactly the committed rows, each
    /// whole, and a rerun completes the run with no duplicates.
    func testHardKillLosesNothingCommittedAndDuplicatesNothing() throws {
        guard let helper = Self.helperExecutable() else {
            throw XCTSkip("ponder-lab-crash-writer was not built next to the test bundle")
        }
        let folder = try makeTemporaryDirectory(self)
        let database = folder.appendingPathComponent("results.sqlite")
        let total = 1000

        let process = Process()
        process.executableURL = helper
        process.arguments = [database.path, "crash-run", "\(total)", "2"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // read "committed i" lines until 25 commits are confirmed, then kill -9
        var buffer = Data()
        var confirmed = -1
        while confirmed < 24 {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
            for line in lines where line.hasPrefix("committed ") {
                confirmed = max(confirmed, Int(line.dropFirst("committed ".count)) ?? -1)
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(confirmed, 24)

        let reopened = try ResultsStore(url: database)
        let rows = try reopened.trials(run: "crash-run")
        XCTAssertGreaterThanOrEqual(rows.count, confirmed + 1, "every confirmed commit survived")
        XCTAssertLessThan(rows.count, total, "the writer was killed mid-run")
        XCTAssertEqual(rows.map(\.problemIndex), Array(0..<rows.count), "committed rows are a gap-free prefix")
        for row in rows { Self.assertWhole(row) }

        // rerun: skips the finished keys, writes the rest, duplicates nothing
        let rerun = Process()
        rerun.executableURL = helper
        rerun.arguments = [database.path, "crash-run", "\(total)"]
        rerun.standardOutput = FileHandle.nullDevice
        try rerun.run()
        rerun.waitUntilExit()
        XCTAssertEqual(rerun.terminationStatus, 0)
        let final = try ResultsStore(url: database).trials(run: "crash-run")
        XCTAssertEqual(final.map(\.problemIndex), Array(0..<total))
        XCTAssertEqual(Set(final.map(\.trialKey)).count, total)
    }

    /// The helper's rows are a function of their index; a torn row would not match.
    private static func assertWhole(_ row: TrialRecord, file: StaticString = #filePath, line: UInt = #line) {
        let index = row.problemIndex
        XCTAssertEqual(row.trialKey, "p\(index)|crash|samples=1|s0", file: file, line: line)
        XCTAssertEqual(row.answer, "\(index * 7)", file: file, line: line)
        XCTAssertEqual(row.ledger.decodeTokens, 2 * index, file: file, line: line)
        XCTAssertEqual(row.completion, String(repeating: "step \(index); ", count: 1300), file: file, line: line)
    }

    /// The helper executable sits in the build products folder beside the test bundle.
    static func helperExecutable() -> URL? {
        let name = "ponder-lab-crash-writer"
        var folders = [Bundle(for: ResultsStoreTests.self).bundleURL.deletingLastPathComponent(),
                       Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        return folders.map { $0.appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
