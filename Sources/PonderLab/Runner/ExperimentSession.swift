import Foundation

/// Everything around the trial loop of `ponder run`: the run id, the results store, which
/// trials are left (resume and `--shard`), progress, and the reports at the end.
///
/// The CLI's loop is then:
/// ```swift
/// let session = try ExperimentSession(config: config, outputFolder: folder,
///                                     modelVersion: fingerprint, codeVersion: version, shard: shard)
/// for trial in session.pendingTrials {
///     // task problem → strategy.search → task.verify
///     try session.record(TrialRecord(runID: session.runID, trial: trial, ...))
/// }
/// let report = try session.finish()   // files written, and the analysis to print
/// ```
public final class ExperimentSession {
    public let config: ExperimentConfig
    public let run: RunInfo
    public let shard: Shard?
    /// The run folder (reports go here; shard databases under `shards/`).
    public let outputFolder: URL
    public let store: ResultsStore
    /// This run's (or shard's) trials not yet in the store, in trial order.
    public let pendingTrials: [TrialSpec]
    /// All trials of this run (or shard), finished or not.
    public let plannedCount: Int
    public let progress: ProgressReporter

    public var runID: String { run.runID }

    /// Opens (or resumes) a run: registers it in the store and works out what is left.
    ///
    /// Unsharded runs write `results.sqlite` in the output folder; shard `i/n` writes
    /// `shards/results-i-of-n.sqlite`, so array jobs never share one SQLite file (which
    /// network file systems do not lock reliably). `ponder merge` combines them.
    public init(config: ExperimentConfig, outputFolder: URL, modelVersion: String, codeVersion: String,
                shard: Shard? = nil, progress: ProgressReporter? = nil) throws {
        self.config = config
        self.shard = shard
        self.outputFolder = outputFolder
        let info = RunInfo(config: config, modelVersion: modelVersion, codeVersion: codeVersion)
        store = try ResultsStore(url: ExperimentSession.databaseURL(outputFolder: outputFolder, shard: shard))
        try store.register(run: info)
        // A resumed run keeps the record made when it first started (its start time is in the
        // reports, which must not change when a finished run is rerun).
        run = try store.runs().first { $0.runID == info.runID } ?? info
        let planned = config.trials(shard: shard)
        let finished = try store.finishedTrialKeys(run: run.runID)
        pendingTrials = planned.filter { !finished.contains($0.key) }
        plannedCount = planned.count
        self.progress = progress ?? ProgressReporter(total: planned.count, alreadyDone: planned.count - pendingTrials.count,
                                                     label: shard.map { "\(config.name) [\($0)]" } ?? config.name)
    }

    /// Where the results database of a run or shard lives.
    public static func databaseURL(outputFolder: URL, shard: Shard?) -> URL {
        guard let shard else { return outputFolder.appendingPathComponent(ResultsStore.fileName) }
        return outputFolder.appendingPathComponent("shards/results-\(shard.index)-of-\(shard.count).sqlite")
    }

    /// The shard databases present in a run folder, in shard order (for `ponder merge <folder>`).
    public static func shardDatabases(in outputFolder: URL) throws -> [URL] {
        let folder = outputFolder.appendingPathComponent("shards")
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("results-") && $0.hasSuffix(".sqlite") }
            .sorted { (shardIndex($0) ?? .max, $0) < (shardIndex($1) ?? .max, $1) }
            .map { folder.appendingPathComponent($0) }
    }

    private static func shardIndex(_ name: String) -> Int? {
        Int(name.dropFirst("results-".count).prefix { $0.isNumber })
    }

    /// Commits a finished trial at once (its own transaction) and advances the progress display.
    ///
    /// - Returns: false if the trial was already stored (nothing changes).
    @discardableResult
    public func record(_ record: TrialRecord) throws -> Bool {
        guard record.runID == run.runID else {
            throw SessionError.foreignTrial(key: record.trialKey, runID: record.runID, expected: run.runID)
        }
        let inserted = try store.insert(record)
        if inserted { progress.record(correct: record.correct) }
        return inserted
    }

    /// Ends the progress display and, for an unsharded run, writes the reports.
    ///
    /// - Returns: the report files written and the analysis they show (neither for a shard:
    ///   merge first, then report).
    @discardableResult
    public func finish(analysis: AnalysisOptions = AnalysisOptions(), html: HTMLReportOptions = HTMLReportOptions()) throws -> RunReport {
        progress.finish()
        guard shard == nil else { return RunReport(folder: outputFolder, files: [], analysis: nil) }
        let trials = TrialOrder.canonical(try store.trials(run: run.runID), run: run)
        guard !trials.isEmpty else { return RunReport(folder: outputFolder, files: [], analysis: nil) }
        let computed = try RunAnalysis(trials: trials, run: run, options: analysis)
        return RunReport(folder: outputFolder, files: try ReportFiles.write(computed, to: outputFolder, html: html),
                         analysis: computed)
    }
}

/// Misuse of a session by the caller.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case foreignTrial(key: String, runID: String, expected: String)

    public var description: String {
        switch self {
        case .foreignTrial(let key, let runID, let expected):
            return "trial \(key) carries run id \(runID.prefix(12)) but this session is run \(expected.prefix(12)); build records with `TrialRecord(runID: session.runID, trial: ...)`."
        }
    }

    public var errorDescription: String? { description }
}
