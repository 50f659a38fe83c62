import Foundation
import XCTest
@testable import PonderLab

/// Bank trials keep every sample (answer, verdict, value, cost) through the store and merges,
/// and a trial's strategy family survives the round trip.
final class BankStoreTests: XCTestCase {
    private let info = RunInfo(runID: "run-test", name: "t", configJSON: "{}", modelVersion: "m", codeVersion: "c",
                               createdAt: Date(timeIntervalSince1970: 1_700_000_000))

    private func bankTrial(problem: Int) -> TrialRecord {
        var record = makeTrial(problem: problem, strategy: "bank", budget: 3, correct: true)
        record.bankSamples = [
            BankSample(answer: "7", correct: true, value: 0.75, flops: 1.5e6, tokens: 12),
            BankSample(answer: nil, correct: false, value: nil, flops: 2e6, tokens: 16),
            BankSample(answer: "8", correct: false, value: 0.25, flops: 1e6, tokens: 8),
        ]
        return record
    }

    func testBankSamplesAndFamiliesRoundTrip() throws {
        let store = try ResultsStore(runFolder: try makeTemporaryDirectory(self))
        try store.register(run: info)
        var swept = makeTrial(problem: 0, strategy: "bon (n=4)", correct: false)
        swept.family = "bon"
        try store.insert(bankTrial(problem: 0))
        try store.insert(swept)
        let stored = try store.trials(run: "run-test")
        XCTAssertEqual(stored, [bankTrial(problem: 0), swept])
        XCTAssertTrue(stored[0].isBank)
        XCTAssertFalse(stored[1].isBank)
        XCTAssertEqual(stored[1].family, "bon")
    }

    func testMergeCopiesBankSamplesOnce() throws {
        let folder = try makeTemporaryDirectory(self)
        var sources: [URL] = []
        for shard in 0..<2 {
            let url = folder.appendingPathComponent("s\(shard).sqlite")
            let store = try ResultsStore(url: url)
            try store.register(run: info)
            try store.insert(bankTrial(problem: shard))
            try store.insert(bankTrial(problem: 5))   // both shards finished it
            sources.append(url)
        }
        let merged = try ResultsStore(url: folder.appendingPathComponent("merged.sqlite"))
        let summary = try merged.merge(from: sources)
        XCTAssertEqual(summary.inserted, 3)
        XCTAssertEqual(summary.duplicates, 1)
        let trials = try merged.trials(run: "run-test")
        XCTAssertEqual(trials.map(\.problemIndex).sorted(), [0, 1, 5])
        XCTAssertTrue(trials.allSatisfy { $0.bankSamples == bankTrial(problem: 0).bankSamples })
    }
}
