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
        let report = try runner.run()
        if shard == nil {
            if let analysis = report.analysis { print(analysis.terminalSummary(paired: paired)) }
        } else {
            print("shard \(shard.map(\.description) ?? ""): done; when every shard is, run `ponder merge \(Console.display(report.folder))`")
        }
        print(Console.display(report.folder))
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
