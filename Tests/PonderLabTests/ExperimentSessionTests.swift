import Foundation
import XCTest
@testable import PonderLab

final class ExperimentSessionTests: XCTestCase {
    private func config(in folder: URL) throws -> ExperimentConfig {
        let url = folder.appendingPathComponent("exp.yaml")
        try """
            name: session
            task: {name: countdown, problems: 4}
            strategies: [{name: greedy}, {name: best-of-n}]
            budgets: [{kind: samples, values: [1, 4]}]
            seeds: [0, 1]
            """.write(to: url, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(url, context: ValidationContext(strategies: testCatalog, workingDirectory: folder,
                                                                         requireModelDirectory: false))
    }

    /// Stand-in for search + verify: deterministic in the trial.
    private func finish(_ trial: TrialSpec, session: ExperimentSession) throws {
        let correct = (trial.problemIndex + Int(trial.budget.value)) % 3 != 0
        try session.record(TrialRecord(
            runID: session.runID, trial: trial, problemID: "p\(trial.problemIndex)", difficulty: Double(trial.problemIndex % 2),
            answer: "7", correct: correct, rewards: RewardComponents(accuracy: correct ? 1 : 0, format: 1, language: 1, combined: 1),
            ledger: LedgerColumns(decodeTokens: 10, flops: 1e9 * trial.budget.value), generatedTokens: 10, completion: "7"))
    }

    private func quietProgress(_ total: Int) -> ProgressReporter {
        ProgressReporter(total: total, style: .lines(interval: 1e9), sink: { _ in })
    }

    func testResumeSkipsFinishedTrialsAndFinishWritesReports() throws {
        let folder = try makeTemporaryDirectory(self)
        let config = try config(in: folder)
        let output = folder.appendingPathComponent("runs/session")
        let first = try ExperimentSession(config: config, outputFolder: output, modelVersion: "m", codeVersion: "c",
                                          progress: quietProgress(32))
        XCTAssertEqual(first.pendingTrials.count, 32)
        for trial in first.pendingTrials.prefix(10) { try finish(trial, session: first) }  // then "crash"

        let second = try ExperimentSession(config: config, outputFolder: output, modelVersion: "m", codeVersion: "c",
                                           progress: quietProgress(32))
        XCTAssertEqual(second.runID, first.runID)
        XCTAssertEqual(second.pendingTrials.map(\.key), Array(config.trials().dropFirst(10)).map(\.key))
        for trial in second.pendingTrials { try finish(trial, session: second) }
        let report = try second.finish()
        XCTAssertTrue(report.files.map(\.lastPathComponent).contains("report.html"))
        XCTAssertEqual(report.analysis?.trials.count, 32, "finish returns the analysis it reported")
        XCTAssertEqual(try second.store.trialCount(run: second.runID), 32)

        // a changed config is a new run in the same folder; its trials start from zero
        var changed = config
        changed.normalized = .map(["changed": .bool(true)])
        let third = try ExperimentSession(config: changed, outputFolder: output, modelVersion: "m", codeVersion: "c",
                                          progress: quietProgress(32))
        XCTAssertNotEqual(third.runID, first.runID)
        XCTAssertEqual(third.pendingTrials.count, 32)
        XCTAssertThrowsError(try third.record(try XCTUnwrap(second.store.trials(run: second.runID).first)))
    }

    func testShardsWriteSeparateDatabasesThatMergeIntoTheFullRun() throws {
        let folder = try makeTemporaryDirectory(self)
        let config = try config(in: folder)
        let output = folder.appendingPathComponent("runs/session")
        for index in 0..<3 {
            let shard = try Shard(index: index, count: 3)
            let session = try ExperimentSession(config: config, outputFolder: output, modelVersion: "m", codeVersion: "c",
                                                shard: shard, progress: quietProgress(32))
            for trial in session.pendingTrials { try finish(trial, session: session) }
            let report = try session.finish()
            XCTAssertEqual(report.files, [], "a shard writes no report")
            XCTAssertNil(report.analysis)
        }
        let shards = try ExperimentSession.shardDatabases(in: output)
        XCTAssertEqual(shards.map(\.lastPathComponent), ["results-0-of-3.sqlite", "results-1-of-3.sqlite", "results-2-of-3.sqlite"])
        let merged = try ResultsStore(runFolder: output)
        XCTAssertEqual(try merged.merge(from: shards).inserted, 32)
        let full = try ExperimentSession(config: config, outputFolder: output, modelVersion: "m", codeVersion: "c",
                                         progress: quietProgress(32))
        XCTAssertTrue(full.pendingTrials.isEmpty, "after merging, the full run has nothing left to do")
        XCTAssertEqual(Set(try merged.trials(run: full.runID).map(\.trialKey)), Set(config.trials().map(\.key)))
    }
}
