import Foundation
import XCTest
@testable import PonderLab

/// `sweep:` entries expand into one family (one curve); `bank:` adds the bank's trials; bad
/// sweeps are refused with the key, the line and the fix.
final class SweepConfigTests: XCTestCase {
    /// best-of-n declares a numeric `n` and a choice `selection`; mcts-step a numeric `simulations`.
    let catalog = StrategyCatalogTable(
        names: ["greedy", "best-of-n", "mcts-step"],
        defaults: ["best-of-n": ["n": .int(8), "selection": .string("majority"), "fill": .bool(true)],
                   "mcts-step": ["simulations": .int(16)]],
        validate: { strategy, params in
            if strategy == "best-of-n", let n = params["n"], (n.intValue ?? 0) < 1 {
                return [ParameterIssue(key: "n", problem: "`\(n)` is not an integer in 1...65536.", fix: "write `n: 8`.")]
            }
            return []
        })

    private func load(_ yaml: String) throws -> ExperimentConfig {
        let folder = try makeTemporaryDirectory(self)
        let url = folder.appendingPathComponent("sweep.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(url, context: ValidationContext(strategies: catalog, taskNames: ["countdown"],
                                                                        workingDirectory: folder,
                                                                        requireModelDirectory: false))
    }

    private func issues(_ yaml: String) -> [ConfigIssue] {
        do { _ = try load(yaml) } catch let error as ExperimentConfigError { return error.issues } catch {
            XCTFail("unexpected error \(error)")
        }
        return []
    }

    private func config(strategy: String, extra: String = "") -> String {
        """
        name: sweep
        task: {name: countdown, problems: 2}
        budgets: [{kind: samples, values: [64]}]
        strategies:
        \(strategy)
        \(extra)
        """
    }

    func testSweepExpandsIntoOneFamilyLabelledByTheSweptValue() throws {
        let cfg = try load(config(strategy: """
              - name: best-of-n
                label: bon
                params: {fill: false}
                sweep: {n: [1, 4, 16]}
              - name: greedy
            """))
        XCTAssertEqual(cfg.strategies.map(\.label), ["bon (n=1)", "bon (n=4)", "bon (n=16)", "greedy"])
        XCTAssertEqual(cfg.strategies.map(\.family), ["bon", "bon", "bon", "greedy"])
        XCTAssertEqual(cfg.strategies.map { $0.params["n"] }, [.int(1), .int(4), .int(16), nil])
        XCTAssertEqual(cfg.strategies[1].params["fill"], .bool(false))
        XCTAssertEqual(cfg.strategies[2].swept, SweptParameter(key: "n", value: .int(16)))
        XCTAssertEqual(cfg.trials().count, 2 * 4)
        XCTAssertTrue(cfg.trials().contains { $0.key == "p1|bon (n=16)|samples=64|s0" })
    }

    func testBadSweepsAreRefusedWithKeyLineAndFix() {
        let unknown = issues(config(strategy: "  - {name: best-of-n, sweep: {beams: [1, 2]}}"))
        XCTAssertEqual(unknown.map(\.keyPath), ["strategies[0].sweep.beams"])
        XCTAssertTrue(unknown[0].problem.contains("no parameter `beams`"), unknown[0].problem)
        XCTAssertEqual(unknown[0].location.line, 5)

        let choice = issues(config(strategy: "  - {name: best-of-n, sweep: {selection: [majority, max-value]}}"))
        XCTAssertEqual(choice.map(\.keyPath), ["strategies[0].sweep.selection"])
        XCTAssertTrue(choice[0].problem.contains("not numeric"), choice[0].problem)

        let empty = issues(config(strategy: "  - {name: best-of-n, sweep: {n: []}}"))
        XCTAssertEqual(empty.map(\.keyPath), ["strategies[0].sweep.n"])
        XCTAssertTrue(empty[0].problem.contains("empty list"), empty[0].problem)

        let text = issues(config(strategy: "  - {name: best-of-n, sweep: {n: [4, many]}}"))
        XCTAssertEqual(text.map(\.keyPath), ["strategies[0].sweep.n[1]"])

        let outOfRange = issues(config(strategy: "  - {name: best-of-n, sweep: {n: [4, 0]}}"))
        XCTAssertEqual(outOfRange.map(\.keyPath), ["strategies[0].sweep.n[1]"])
        XCTAssertFalse(outOfRange[0].fix.isEmpty)

        let two = issues(config(strategy: "  - {name: best-of-n, sweep: {n: [1], batch: [2]}}"))
        XCTAssertEqual(two.map(\.keyPath), ["strategies[0].sweep"])
        XCTAssertTrue(two[0].fix.contains("one swept parameter"), two[0].fix)
    }

    func testBankAddsItsTrialsAndReservesItsLabel() throws {
        let cfg = try load(config(strategy: "  - name: greedy", extra: "bank: {samples: 32, batch: 8}"))
        let bank = try XCTUnwrap(cfg.bankStrategy)
        XCTAssertEqual(bank.label, "bank")
        XCTAssertEqual(bank.params["n"], .int(32))
        XCTAssertEqual(bank.params["fill"], .bool(false))
        XCTAssertEqual(bank.params["selection"], .string("weighted-vote"))
        XCTAssertEqual(cfg.budgetPoints(for: bank), [BudgetPoint(kind: .samples, value: 32)])
        XCTAssertEqual(cfg.bank?.ks, [1, 2, 4, 8, 16, 32])
        XCTAssertEqual(cfg.trials().map(\.key).prefix(2), ["p0|bank|samples=32|s0", "p0|greedy|samples=64|s0"])
        // a bank changes what is computed, so it changes the run id
        let plain = try load(config(strategy: "  - name: greedy"))
        XCTAssertNotEqual(plain.runID(modelVersion: "m", codeVersion: "c"), cfg.runID(modelVersion: "m", codeVersion: "c"))

        XCTAssertEqual(issues(config(strategy: "  - {name: greedy, label: bank}")).map(\.keyPath), ["strategies"])
        XCTAssertEqual(issues(config(strategy: "  - name: greedy", extra: "bank: {samples: 0}")).map(\.keyPath),
                       ["bank.samples"])
        XCTAssertEqual(issues(config(strategy: "  - name: greedy", extra: "bank: {samples: 8, selection: oracle}"))
            .map(\.keyPath), ["bank.selection"])
    }

    func testAnEntryMayRunVerifierChargedBesideVerifierHiddenOnes() throws {
        let cfg = try load(config(strategy: """
              - name: greedy
              - name: mcts-step
                label: oracle mcts
                evaluation: verifier-charged
            """))
        XCTAssertEqual(cfg.evaluation, .verifierHidden)
        XCTAssertEqual(cfg.strategies.map { cfg.evaluation(for: $0) }, [.verifierHidden, .verifierCharged])
        let hidden = try load(config(strategy: "  - name: greedy\n  - {name: mcts-step, label: oracle mcts}"))
        XCTAssertNotEqual(hidden.runID(modelVersion: "m", codeVersion: "c"), cfg.runID(modelVersion: "m", codeVersion: "c"))
        XCTAssertEqual(issues(config(strategy: "  - {name: greedy, evaluation: oracle}")).map(\.keyPath),
                       ["strategies[0].evaluation"])
    }
}
