import ArgumentParser
import Foundation
import Ponder

/// `ponder report RUN_DIR`: regenerates a run folder's curves and reports from its database.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rewrite a run folder's CSV tables, plots, report.md and report.html from results.sqlite.",
        discussion: """
            Reports are a deterministic function of the stored trials: regenerating an unchanged \
            run changes no bytes. Works on a run still in progress (the trials finished so far).
            """)

    @Argument(help: "The run folder (the last line `ponder run` printed).")
    var runFolder: String

    @Option(name: .customLong("run"), help: "The run id (or a prefix) when the folder's database holds several runs; default: the latest.")
    var runID: String?

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder)
        let report = try ReportFiles.report(runFolder: folder, runID: runID)
        for file in report.files { Console.info("wrote \(Console.display(file))") }
        if let analysis = report.analysis { print(analysis.terminalSummary()) }
        print(Console.display(folder))
    }
}

/// `ponder merge RUN_DIR`: combines the shard databases of a sharded run and writes its reports.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a run folder's shards/results-*.sqlite into results.sqlite, then write the reports.",
        discussion: """
            Every shard must belong to the same run (same config, model and ponder version). \
            Merging is idempotent: trials already present are skipped, so merging again after \
            more shards finished is safe.
            """)

    @Argument(help: "The run folder the shards wrote into.")
    var runFolder: String

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder)
        let shards = try ExperimentSession.shardDatabases(in: folder)
        guard !shards.isEmpty else {
            throw ValidationError("\(runFolder) has no shards/results-*.sqlite; run `ponder run CONFIG --shard i/n` first")
        }
        let store = try ResultsStore(runFolder: folder)
        let summary = try store.merge(from: shards)
        Console.info("merged \(summary.sources) shard database(s): \(summary.inserted) trial(s) added, "
            + "\(summary.duplicates) already present")
        let report = try ReportFiles.report(runFolder: folder)
        for file in report.files { Console.info("wrote \(Console.display(file))") }
        if let analysis = report.analysis { print(analysis.terminalSummary()) }
        print(Console.display(folder))
    }
}
