import ArgumentParser
import Foundation
import Ponder

/// `ponder run CONFIG`: Ponder's main job. Runs every (problem, strategy, budget, seed) trial
/// of an experiment config that is not yet in its results database, then writes the curves and
/// reports.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment config: trials into results.sqlite, then curves and reports.",
        discussion: """
            The config is validated completely before any work (unknown keys, types, ranges, \
            strategy parameters, task options, the model directory). Results go to \
            <output>/<name>-<run id prefix>/ (output: from the config, default runs/): \
            results.sqlite, curves.csv, trials.csv, SVG plots, report.md and report.html. \
            The last line printed is that folder. Every finished trial is committed at once, \
            so an interrupted run resumes where it stopped, and rerunning a finished run \
            does no new work.

            --shard i/n runs every n-th trial (0-based i) into shards/results-i-of-n.sqlite in \
            the same folder, for job arrays; `ponder merge FOLDER` combines the shards and \
            writes the reports.

            Examples:
              ponder run experiments/quickstart.yaml
              ponder run experiments/countdown-curves.yaml --shard 3/8
              ponder run experiments/gsm8k-r1-distill.yaml --model ~/models/DeepSeek-R1-Distill-Qwen-1.5B
            """)

    @Argument(help: "The experiment config (YAML).")
    var config: String

    @Option(name: .long, help: "Folder the run folder is created in (replaces the config's `output`, default runs/).")
    var output: String?

    @Option(name: .long, help: "Run only shard i of n (0-based), e.g. 0/4.")
    var shard: String?

    @Option(name: .long, help: "Use this checkpoint directory instead of the config's `model`.")
    var model: String?

    @Flag(name: .long, help: "Validate the config and print its trial plan; run nothing.")
    var check = false

    @Flag(name: .long, help: "After the accuracy table, print the paired comparisons at matched caps (as in report.md).")
    var paired = false

    func validate() throws {
        if let shard { _ = try Shard(parsing: shard) }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let shard = try shard.map(Shard.init(parsing:))
        let config = try ExperimentConfig.loadForRun(URL(fileURLWithPath: config), workingDirectory: cwd,
                                                     modelOverride: model, registry: CLIRegistries.strategies,
                                                     tasks: CLIRegistries.tasks)
        if check {
            // What needs the model too: every cap must buy one completion, every strategy start.
            let environment = try TrialEnvironment(config: config, workingDirectory: cwd,
                                                   registry: CLIRegistries.strategies, tasks: CLIRegistries.tasks)
            try environment.preflight(config.runnableStrategies)
            try environment.checkBudgetsAffordOneCompletion(config)
            print(Self.plan(config, shard: shard))
            return
        }
        let parent = output.map { TrialEnvironment.resolve($0, in: cwd) }
        let runner = try ExperimentRunner(config: config, workingDirectory: cwd, outputParent: parent, shard: shard,
                                          registry: CLIRegistries.strategies, tasks: CLIRegistries.tasks)
        let session = runner.session
        let env = runner.environment
        Console.info("ponder run: \(config.name), run \(session.runID.prefix(12))\(shard.map { ", shard \($0)" } ?? ""): "
            + "\(session.plannedCount) trials, \(session.pendingTrials.count) to run; model \(config.modelDirectory) "
            + "(value head: \(env.valueFunction == nil ? "none" : "yes")), \(env.problems.count) \(env.task.name) problems")
        let folder = try runner.run()
        if shard == nil {
            let trials = TrialOrder.canonical(try session.store.trials(run: session.runID), run: session.run)
            if !trials.isEmpty {
                let analysis = try RunAnalysis(trials: trials, run: session.run)
                print(RunSummary.table(analysis))
                let scaling = RunSummary.scaling(analysis)
                if !scaling.isEmpty { print(scaling) }
                if paired { print(RunSummary.pairedTable(analysis)) }
            }
        } else {
            print("shard \(shard.map(\.description) ?? ""): done; when every shard is, run `ponder merge \(Console.display(folder))`")
        }
        print(Console.display(folder))
    }

    /// What a config would run: strategies with their budgets, and the trial count.
    static func plan(_ config: ExperimentConfig, shard: Shard?) -> String {
        var lines = ["\(config.name): \(config.task.problemCount) \(config.task.name) \(config.task.split) problems, "
            + "model \(config.modelDirectory), \(config.evaluation.rawValue), seeds \(config.seeds.map(String.init).joined(separator: ", "))"]
        for spec in config.runnableStrategies {
            let budgets = config.budgetPoints(for: spec).map(\.description).joined(separator: ", ")
            let family = spec.family == spec.label ? "" : " [curve \(spec.family)]"
            let mode = spec.evaluation.map { " [\($0.rawValue)]" } ?? ""
            lines.append("  \(spec.label) (\(spec.name))\(family)\(mode) \(spec.paramsJSON) at \(budgets)")
        }
        lines.append("\(config.trials(shard: shard).count) trials\(shard.map { " in shard \($0)" } ?? "")")
        return lines.joined(separator: "\n")
    }
}

/// Output helpers shared by the commands.
enum Console {
    /// A line on stderr (stdout is kept for results, its last line being a path).
    static func info(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `url` relative to the working directory when it lies inside it (stable across
    /// machines, so notebooks that print it do not change), else absolute.
    static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The accuracy table `ponder run` and `ponder report` print.
enum RunSummary {
    static func table(_ analysis: RunAnalysis) -> String {
        // The label column fits the longest label (swept and positive-control labels are long).
        let width = max(22, (analysis.curves.map(\.strategy.count).max() ?? 0) + 2)
        var lines = [pad("strategy", width) + "budget              n   accuracy  95% CI          mean FLOPs   mean tokens"]
        for point in analysis.curves {
            let ci = String(format: "[%.2f, %.2f]", point.accuracy.low, point.accuracy.high)
            lines.append(pad(point.strategy, width) + pad(point.budget.description, 18)
                + String(format: "%3d   %6.3f  ", point.n, point.accuracy.estimate) + pad(ci, 14)
                + pad(formatFLOPs(point.meanFlops), 13) + String(format: "%.1f", point.meanGeneratedTokens))
        }
        return lines.joined(separator: "\n")
    }

    /// The bank's curves, the compute-optimal choice by difficulty and the monotonicity check,
    /// as plain text below the accuracy table (empty sections are left out).
    static func scaling(_ analysis: RunAnalysis) -> String {
        var lines: [String] = []
        let bank = analysis.scaling.bankCurve
        if !bank.isEmpty {
            lines.append("sample bank, \(analysis.scaling.bankProblems.count) problems (pass@k is an oracle upper bound):")
            lines.append(pad("k", 6) + pad("pass@k", 10) + pad("majority@k", 12) + pad("weighted@k", 12) + "mean FLOPs")
            for p in bank {
                lines.append(pad(String(p.k), 6) + pad(String(format: "%.3f", p.passAtK.estimate), 10)
                    + pad(String(format: "%.3f", p.majorityAtK.estimate), 12)
                    + pad(String(format: "%.3f", p.weightedAtK.estimate), 12) + formatFLOPs(p.meanFlops))
            }
        }
        if let frontier = analysis.scaling.difficultyFrontier, !frontier.points.isEmpty {
            lines.append("compute-optimal by held-out difficulty (cross-fitted): per-bin choice vs best single strategy")
            for p in frontier.points {
                lines.append("  " + pad(p.budget.description, 18) + String(format: "%.3f vs %.3f  Δ %+5.1f [%+5.1f, %+5.1f]  saved ",
                    p.perBinAccuracy.estimate, p.singleAccuracy.estimate, 100 * p.advantage.estimate,
                    100 * p.advantage.low, 100 * p.advantage.high) + p.saving.description)
            }
        }
        for finding in analysis.scaling.monotonicity { lines.append("warning: \(finding)") }
        return lines.joined(separator: "\n")
    }

    /// Paired comparisons of every two strategies at each shared cap: Δ accuracy over the same
    /// (problem, seed) pairs with its paired-bootstrap 95% interval, the discordant pairs and
    /// the exact McNemar p, so a notebook can say whether a difference is more than noise.
    static func pairedTable(_ analysis: RunAnalysis) -> String {
        guard !analysis.comparisons.isEmpty else { return "no two strategies share a budget cap" }
        var lines = ["paired at matched caps: Δ = first − second (points), paired bootstrap 95% CI, "
            + "pairs only first / only second got right, exact McNemar p",
            pad("budget", 18) + pad("first", 22) + pad("second", 22) + "    Δ  " + pad("95% CI", 16) + pad("only", 9) + "p"]
        for c in analysis.comparisons {
            let p = c.mcnemar.pValue < 0.001 ? "<0.001" : String(format: "%.3f", c.mcnemar.pValue)
            lines.append(pad(c.budget.description, 18) + pad(c.first, 22) + pad(c.second, 22)
                + String(format: "%+5.1f  [%+5.1f, %+5.1f]  %3d/%-3d  ", 100 * c.difference.estimate,
                         100 * c.difference.low, 100 * c.difference.high, c.mcnemar.onlyFirst, c.mcnemar.onlySecond)
                + p)
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
