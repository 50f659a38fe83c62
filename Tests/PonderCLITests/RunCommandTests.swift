import Foundation
import XCTest
import Ponder

/// `ponder run`, `report`, `merge` and `notebook run` end to end on a fixture checkpoint: the
/// files a run writes, resuming after SIGKILL, sharding, and configs rejected before any work.
final class RunCommandTests: CLITestCase {
    /// Three problems, five strategies (two of them value-guided search), two token budgets.
    func tinyConfig(model: URL) throws -> String {
        try config("""
            name: tiny
            model: \(model.path)
            task: {name: countdown, split: test, problems: 3, seed: 2}
            generation: {max_new_tokens: 16}
            strategies:
              - {name: greedy}
              - {name: sample}
              - {name: best-of-n, label: bon-value, params: {n: 4, selection: weighted-vote}}
              - {name: beam, params: {beam_width: 2, expansions: 2, max_steps: 4}}
              - {name: mcts-step, params: {simulations: 4, width: 2, batch: 2}}
            budgets: [{kind: tokens, values: [32, 96]}]
            """)
    }

    static let trialCount = 3 * 5 * 2

    func testARunWritesEveryFileAndARerunDoesNoNewWork() throws {
        let name = try tinyConfig(model: try modelWithValueHead())
        let first = try succeed(["run", name, "--output", "out"])
        XCTAssertTrue(first.lastLine.hasPrefix("out/tiny-"), "the last line is the run folder: \(first.stdout)")
        XCTAssertTrue(first.stdout.contains("bon-value"), "the accuracy table is printed")
        XCTAssertTrue(first.stderr.contains("\(Self.trialCount) trials, \(Self.trialCount) to run"), first.stderr)
        let folder = work.appendingPathComponent(first.lastLine)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for expected in ["results.sqlite", "curves.csv", "trials.csv", "report.md", "report.html",
                         "accuracy-vs-flops.svg", "accuracy-vs-tokens.svg", "accuracy-by-difficulty.svg"] {
            XCTAssertTrue(files.contains(expected), "\(expected) missing from \(files)")
        }
        let curves = CSV.parse(try String(contentsOf: folder.appendingPathComponent("curves.csv"), encoding: .utf8))
        for column in ["strategy", "budget", "n", "accuracy", "ci_low", "ci_high", "mean_flops",
                       "mean_generated_tokens", "mean_seconds"] {
            XCTAssertTrue(curves.first?.contains(column) ?? false, "curves.csv lacks \(column)")
        }
        XCTAssertEqual(curves.count, 1 + 5 * 2, "one row per strategy and budget")
        XCTAssertEqual(storedTrials(in: folder), Self.trialCount)
        let trials = try csv(folder.appendingPathComponent("trials.csv"), without: [])
        XCTAssertEqual(trials.count, 1 + Self.trialCount)

        let snapshot = try ["curves.csv", "trials.csv", "report.md", "results.sqlite"].map {
            try Data(contentsOf: folder.appendingPathComponent($0))
        }
        XCTAssertFalse(first.stdout.contains("paired at matched caps"), "paired comparisons only when asked")
        let second = try succeed(["run", name, "--output", "out", "--paired"])
        XCTAssertEqual(second.lastLine, first.lastLine)
        // --paired adds one row per pair of strategies at each shared cap: C(5, 2) × 2 budgets.
        let pairedRows = second.stdout.split(separator: "\n").filter { $0.hasPrefix("tokens=") && $0.contains("bon-value") }
        XCTAssertTrue(second.stdout.contains("paired at matched caps"), second.stdout)
        XCTAssertEqual(pairedRows.count, 4 * 2, "bon-value against each of the 4 others, at both caps:\n\(second.stdout)")
        XCTAssertTrue(second.stderr.contains("\(Self.trialCount) trials, 0 to run"), second.stderr)
        XCTAssertEqual(try ["curves.csv", "trials.csv", "report.md"].map { try Data(contentsOf: folder.appendingPathComponent($0)) },
                       Array(snapshot.prefix(3)), "a rerun changes no report byte")
        XCTAssertEqual(storedTrials(in: folder), Self.trialCount)

        try FileManager.default.removeItem(at: folder.appendingPathComponent("report.md"))
        let report = try succeed(["report", first.lastLine])
        XCTAssertEqual(report.lastLine, first.lastLine)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("report.md")), snapshot[2])
    }

    func testKilledRunsResumeToExactlyTheUninterruptedResults() throws {
        let name = try tinyConfig(model: try modelWithValueHead())
        let reference = try succeed(["run", name, "--output", "reference"])
        let runName = URL(fileURLWithPath: reference.lastLine).lastPathComponent
        let killedFolder = work.appendingPathComponent("killed").appendingPathComponent(runName)

        // Three kills at random points of the run: after a random number of committed trials
        // (increasing, as each rerun resumes), plus a random delay into the next trial.
        var rng = SeededRNG(seed: UInt64(Date().timeIntervalSince1970))
        var targets = (0..<3).map { _ in 1 + rng.nextInt(below: Self.trialCount - 2) }.sorted()
        targets = targets.enumerated().map { min(Self.trialCount - 1, $1 + $0) }
        var interrupted = 0
        for target in targets {
            let (process, _, _) = try start(["run", name, "--output", "killed"])
            XCTAssertTrue(wait(for: process) { storedTrials(in: killedFolder) >= target }, "the run stalled")
            Thread.sleep(forTimeInterval: Double(rng.nextInt(below: 30)) / 1000)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                if process.terminationReason == .uncaughtSignal { interrupted += 1 }
            }
            XCTAssertLessThanOrEqual(storedTrials(in: killedFolder), Self.trialCount)
        }
        XCTAssertGreaterThan(interrupted, 0, "at least one kill landed mid-run")
        let resumed = try succeed(["run", name, "--output", "killed"])
        XCTAssertEqual(URL(fileURLWithPath: resumed.lastLine).lastPathComponent, runName)
        XCTAssertEqual(storedTrials(in: killedFolder), Self.trialCount, "no trial lost or duplicated")

        let referenceFolder = work.appendingPathComponent(reference.lastLine)
        for file in ["curves.csv", "trials.csv"] {
            XCTAssertEqual(try csv(killedFolder.appendingPathComponent(file), without: Self.timeColumns),
                           try csv(referenceFolder.appendingPathComponent(file), without: Self.timeColumns),
                           "\(file) after kills (at \(targets)) differs from the uninterrupted run")
        }
    }

    func testShardsRunSeparatelyAndMergedEqualOneRun() throws {
        let name = try tinyConfig(model: try modelWithValueHead())
        let reference = try succeed(["run", name, "--output", "reference"])
        let shard0 = try succeed(["run", name, "--output", "sharded", "--shard", "0/2"])
        XCTAssertTrue(shard0.stdout.contains("ponder merge"), shard0.stdout)
        _ = try succeed(["run", name, "--output", "sharded", "--shard", "1/2"])
        let folder = work.appendingPathComponent(shard0.lastLine)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("curves.csv").path),
                       "shards write no reports")
        let merged = try succeed(["merge", shard0.lastLine])
        XCTAssertTrue(merged.stderr.contains("\(Self.trialCount) trial(s) added"), merged.stderr)
        let referenceFolder = work.appendingPathComponent(reference.lastLine)
        for file in ["curves.csv", "trials.csv"] {
            XCTAssertEqual(try csv(folder.appendingPathComponent(file), without: Self.timeColumns),
                           try csv(referenceFolder.appendingPathComponent(file), without: Self.timeColumns), file)
        }
        let again = try succeed(["run", name, "--output", "sharded"])
        XCTAssertTrue(again.stderr.contains("0 to run"), "after merging, the full run has nothing left: \(again.stderr)")
    }

    func testBadConfigsFailBeforeAnyWorkNamingTheKeyAndTheFix() throws {
        let model = try modelWithValueHead()
        let cases: [(String, [String])] = [
            ("task: {name: countdown, problems: 2}\nstrategies: [{name: greedy}]\nbudgets: [{kind: tokens, values: [8]}]\nsamples: 3",
             ["exp.yaml:6", "samples: unknown key", "Fix:"]),
            ("task: {name: countdown, problems: two}\nstrategies: [{name: greedy}]\nbudgets: [{kind: tokens, values: [8]}]",
             ["task.problems: expected an integer", "Fix: write a whole number"]),
            ("task: {name: countdown, problems: 2}\nstrategies: [{name: best-of-n, params: {n: 0}}]\nbudgets: [{kind: tokens, values: [8]}]",
             ["strategies[0].params.n: `0` is not an integer in 1...65536", "Fix: write `n:`"]),
            ("task: {name: countdown, problems: 2}\nstrategies: [{name: greedy}]\nbudgets: [{kind: tokens, values: [8]}]\ngeneration: {max_new_tokens: 1000}",
             ["max_new_tokens", "context of 256", "Fix: lower `generation.max_new_tokens`"]),
        ]
        for (index, (body, fragments)) in cases.enumerated() {
            let name = try config("name: bad\nmodel: \(model.path)\n" + body)
            let outcome = try ponder(["run", name, "--output", "out\(index)"])
            XCTAssertFalse(outcome.killed, outcome.stderr)
            XCTAssertNotEqual(outcome.status, 0, body)
            for fragment in fragments {
                XCTAssertTrue(outcome.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(outcome.stderr)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out\(index)").path),
                           "nothing is created for a rejected config")
        }
        // A strategy that needs a value head, on a checkpoint without one.
        let name = try config("""
            name: novalue
            model: \(Self.repository.appendingPathComponent("Tests/Fixtures/models/qwen2-gqa-bias").path)
            task: {name: countdown, problems: 2}
            generation: {max_new_tokens: 16}
            strategies: [{name: greedy}, {name: beam}]
            budgets: [{kind: tokens, values: [8]}]
            """)
        let outcome = try ponder(["run", name, "--output", "novalue"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("strategy `beam` cannot run") && outcome.stderr.contains("value_head.safetensors"),
                      outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("novalue").path))
    }

    /// `--check` refuses what would waste a run: a cap that cannot buy one completion and a
    /// sweep over a parameter that cannot form a curve, each with its key, line and fix; a good
    /// sweep is listed as one curve.
    func testCheckRefusesUnaffordableCapsAndBadSweepsAndListsSweptFamilies() throws {
        let model = try modelWithValueHead()
        let head = "name: checked\nmodel: \(model.path)\ntask: {name: countdown, problems: 2}\ngeneration: {max_new_tokens: 16}\n"
        let cheap = try config(head + "strategies: [{name: greedy}]\nbudgets: [{kind: tokens, values: [8, 32]}]", name: "cheap.yaml")
        let refused = try ponder(["run", cheap, "--check"])
        XCTAssertNotEqual(refused.status, 0)
        for fragment in ["cheap.yaml:6", "budgets[0].values[0]", "cannot buy one completion", "Fix: raise it to at least 16"] {
            XCTAssertTrue(refused.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(refused.stderr)")
        }
        let badSweep = try config(head + "strategies: [{name: best-of-n, sweep: {selection: [majority]}}]\n"
            + "budgets: [{kind: tokens, values: [32]}]", name: "sweep.yaml")
        let sweepOutcome = try ponder(["run", badSweep, "--check"])
        XCTAssertNotEqual(sweepOutcome.status, 0)
        XCTAssertTrue(sweepOutcome.stderr.contains("sweep.yaml:5: strategies[0].sweep.selection") &&
                      sweepOutcome.stderr.contains("not numeric"), sweepOutcome.stderr)
        let good = try config(head + "strategies: [{name: best-of-n, label: bon, params: {fill: false}, sweep: {n: [1, 4]}}]\n"
            + "budgets: [{kind: tokens, values: [64]}]", name: "good.yaml")
        let plan = try succeed(["run", good, "--check"])
        XCTAssertTrue(plan.stdout.contains("bon (n=1) (best-of-n) [curve bon]") && plan.stdout.contains("bon (n=4)"), plan.stdout)
        XCTAssertTrue(plan.stdout.hasSuffix("4 trials\n") || plan.lastLine == "4 trials", plan.stdout)
    }

    func testNotebooksRunPonderSubcommandsAndRegenerateStably() throws {
        let name = try tinyConfig(model: try modelWithValueHead())
        let notebook = work.appendingPathComponent("notes.md")
        try """
            # Tiny run

            ```ponder
            run \(name) --output nb
            ```
            """.write(to: notebook, atomically: true, encoding: .utf8)
        let first = try succeed(["notebook", "run", "notes.md"])
        XCTAssertTrue(first.stdout.contains("outputs updated"), first.stdout)
        let text = try String(contentsOf: notebook, encoding: .utf8)
        XCTAssertTrue(text.contains(NotebookRunner.beginMarker) && text.contains("nb/tiny-"), text)
        XCTAssertTrue(text.contains("bon-value"), "the run's stdout is the block's output")
        let second = try succeed(["notebook", "run", "notes.md"])
        XCTAssertTrue(second.stdout.contains("outputs unchanged"), second.stdout)
        XCTAssertEqual(try String(contentsOf: notebook, encoding: .utf8), text)

        try "```ponder\nrun missing.yaml\n```\n".write(to: notebook, atomically: true, encoding: .utf8)
        let failed = try ponder(["notebook", "run", "notes.md"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertTrue(try String(contentsOf: notebook, encoding: .utf8).contains("error:"))
    }
}
