import Foundation
import XCTest
@testable import PonderLab

/// A bank trial on the shipped model: one prefill and forks (never a prefill per sample),
/// every sample stored with its verdict, value and cost, and the costs adding up.
final class BankRunTests: XCTestCase {
    func testABankPrefillsOnceAndStoresEverySample() throws {
        let repository = QuickstartSpendTests.repository
        let folder = try makeTemporaryDirectory(self)
        let url = folder.appendingPathComponent("bank.yaml")
        try """
            name: bank-run
            model: \(repository.appendingPathComponent("models/countdown-tiny").path)
            task: {name: countdown, split: test, problems: 1, options: {style: compact}}
            generation: {max_new_tokens: 96}
            bank: {samples: 8, batch: 8}
            budgets: [{kind: tokens, values: [96]}]
            strategies: [{name: greedy}]
            """.write(to: url, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.loadForRun(url, workingDirectory: folder)
        let runner = try ExperimentRunner(config: config, workingDirectory: folder,
                                          outputParent: folder.appendingPathComponent("runs"))
        try runner.run()
        let trials = try runner.session.store.trials(run: runner.session.runID)
        let bank = try XCTUnwrap(trials.first { $0.isBank })
        let samples = try XCTUnwrap(bank.bankSamples)
        XCTAssertEqual(samples.count, 8, "all 8 samples finish within the length cap")
        let policy = try runner.environment.makePolicy()
        let prompt = try policy.encode(prompt: runner.environment.prompts[0].text).count
        XCTAssertEqual(bank.ledger.prefillTokens, prompt, "one prefill of the prompt, then forks")
        XCTAssertEqual(samples.reduce(0) { $0 + $1.tokens }, bank.generatedTokens)
        XCTAssertTrue(samples.allSatisfy { $0.value != nil }, "weighted-vote banks score every sample")
        let shared = bank.ledger.flops - samples.reduce(0) { $0 + $1.flops }
        XCTAssertGreaterThan(shared, 0, "the prefill is the shared cost")
        let analysis = try RunAnalysis(trials: trials)
        XCTAssertEqual(analysis.strategies, ["greedy"], "the bank is not a strategy of the comparison")
        XCTAssertEqual(analysis.scaling.bankCurve.map(\.k), [1, 2, 4, 8])
        let correct = Double(samples.filter(\.correct).count) / 8
        XCTAssertEqual(analysis.scaling.bankCurve[0].passAtK.estimate, correct, accuracy: 1e-12)
    }
}
