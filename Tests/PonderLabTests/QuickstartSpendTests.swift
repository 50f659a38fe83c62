import Foundation
import XCTest
@testable import PonderLab

/// On the shipped quickstart, every strategy's mean spend grows with its cap, and each trial
/// spends its cap to within one completion — the property that makes the curves answer "what
/// does more compute buy?". Rejection sampling stops at its first acceptance by design, so its
/// trials that accepted are exempt from the second check (those that did not must fill).
final class QuickstartSpendTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testEveryStrategysSpendGrowsWithItsCapOnTheQuickstart() throws {
        let folder = try makeTemporaryDirectory(self)
        let quickstart = Self.repository.appendingPathComponent("experiments/quickstart.yaml")
        let slice = folder.appendingPathComponent("quickstart-slice.yaml")
        // One problem and no bank keep a debug-build test short; everything else is the
        // shipped config.
        try """
            extends: \(quickstart.path)
            task: {problems: 1}
            bank: null
            """.write(to: slice, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.loadForRun(slice, workingDirectory: Self.repository)
        let runner = try ExperimentRunner(config: config, workingDirectory: Self.repository,
                                          outputParent: folder.appendingPathComponent("runs"))
        try runner.run()
        let trials = try runner.session.store.trials(run: runner.session.runID)
        XCTAssertEqual(trials.count, config.trials().count)
        let completion = Double(config.generation.maxNewTokens)

        for family in Set(trials.map(\.family)).sorted() {
            let mine = trials.filter { $0.family == family }
            let caps = Set(mine.map(\.budgetValue)).sorted()
            guard caps.count > 1 else { continue }   // greedy and sample: one completion, one cap
            let means = caps.map { cap in
                let at = mine.filter { $0.budgetValue == cap }
                return Double(at.reduce(0) { $0 + $1.generatedTokens }) / Double(at.count)
            }
            // Rejection stops at its first acceptance, so on one problem its spend need not grow
            // once it accepts; its trials that did not accept must fill like the others.
            let accepted = try mine.contains { trial in
                guard trial.strategyName == "rejection" else { return false }
                return try acceptances(trial) > 0
            }
            for (low, high) in zip(means, means.dropFirst()) where !accepted {
                XCTAssertGreaterThan(high, low, "\(family): mean spend \(means) must grow with the caps \(caps)")
            }
            for trial in mine {
                if trial.strategyName == "rejection", try acceptances(trial) > 0 { continue }
                XCTAssertGreaterThanOrEqual(Double(trial.generatedTokens), trial.budgetValue - completion,
                                            "\(trial.trialKey) spent \(trial.generatedTokens) of \(trial.budgetValue)")
                XCTAssertLessThanOrEqual(Double(trial.generatedTokens), trial.budgetValue, "\(trial.trialKey) crossed its cap")
            }
        }
    }

    private func acceptances(_ trial: TrialRecord) throws -> Double {
        let document = try JSONSerialization.jsonObject(with: Data(trial.ledgerJSON.utf8)) as? [String: Any]
        let statistics = document?["statistics"] as? [String: Any]
        return (statistics?["accepted"] as? Double) ?? 0
    }
}
