import Foundation
import GRDB

/// The SQLite results database of a run folder (`results.sqlite`), in WAL mode.
///
/// Every trial is committed in its own transaction as soon as it finishes, so a crash or a
/// `kill -9` loses at most the trial in flight; `finishedTrialKeys(run:)` lets a rerun skip
/// what is already there. Inserting the same (run, trial key) twice keeps one row. Shard
/// databases from `ponder run --shard i/n` are combined with `merge(from:)`.
public final class ResultsStore: Sendable {
    /// The file name used inside a run folder.
    public static let fileName = "results.sqlite"

    /// The database file.
    public let url: URL
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    public init(url: URL) throws {
        self.url = url
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // FULL: each commit is on disk before insert(_:) returns (a trial costs seconds;
            // one fsync per trial is noise).
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: url.path, configuration: configuration)
            try StoreSchema.migrator.migrate(queue)
        } catch {
            throw StoreError.cannotOpen(path: url.path, reason: "\(error)")
        }
    }

    /// Opens `results.sqlite` inside a run folder.
    public convenience init(runFolder: URL) throws {
        try self.init(url: runFolder.appendingPathComponent(ResultsStore.fileName))
    }

    /// Records the run, or checks that an existing record with the same id agrees.
    public func register(run: RunInfo) throws {
        try queue.write { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE run_id = ?",
                                               arguments: [run.runID]) {
                let stored = try StoreSchema.runInfo(from: existing)
                guard stored.configJSON == run.configJSON else {
                    throw StoreError.runMismatch(path: url.path, expected: run.runID, found: stored.runID)
                }
                return
            }
            try db.execute(sql: """
                INSERT INTO runs (run_id, name, config_json, model_version, code_version, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [run.runID, run.name, run.configJSON, run.modelVersion,
                                 run.codeVersion, Timestamp.format(run.createdAt)])
        }
    }

    /// Every run recorded in this database, oldest first.
    public func runs() throws -> [RunInfo] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY created_at, run_id")
                .map(StoreSchema.runInfo(from:))
        }
    }

    /// The most recently registered run (what `ponder report <folder>` shows by default).
    public func latestRun() throws -> RunInfo? {
        try runs().last
    }

    /// Commits one finished trial in its own transaction.
    ///
    /// - Returns: true if the row was added, false if the (run, key) was already there (the
    ///   stored row is kept unchanged).
    @discardableResult
    public func insert(_ record: TrialRecord) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: StoreSchema.insertTrialSQL, arguments: StoreSchema.arguments(for: record))
            guard db.changesCount == 1 else { return false }
            try StoreSchema.insertBankSamples(of: record, in: db)
            return true
        }
    }

    /// The keys of the trials of `run` already stored: the runner skips these.
    public func finishedTrialKeys(run: String) throws -> Set<String> {
        try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT trial_key FROM trials WHERE run_id = ?", arguments: [run]))
        }
    }

    /// All trials of `run`, in insertion order, bank trials with their samples.
    public func trials(run: String) throws -> [TrialRecord] {
        try queue.read { db in try Self.trials(run: run, in: db) }
    }

    private static func trials(run: String, in db: Database) throws -> [TrialRecord] {
        let samples = try StoreSchema.bankSamples(run: run, in: db)
        return try Row.fetchAll(db, sql: "SELECT * FROM trials WHERE run_id = ? ORDER BY id", arguments: [run])
            .map { row in
                var record = try StoreSchema.record(from: row)
                record.bankSamples = samples[record.trialKey]
                return record
            }
    }

    /// How many trials of `run` are stored.
    public func trialCount(run: String) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trials WHERE run_id = ?", arguments: [run]) ?? 0
        }
    }

    /// Copies the trials of shard databases into this one (`ponder merge`).
    ///
    /// Every source must hold exactly one run, and it must be the same run as this database's
    /// (or, when this database is new, as the other sources'). Each source is copied in one
    /// transaction; keys already present are skipped, so merging twice is harmless.
    public func merge(from sources: [URL]) throws -> MergeSummary {
        var summary = MergeSummary()
        var expected = try runs()
        guard expected.count <= 1 else {
            throw StoreError.multipleRuns(path: url.path, runIDs: expected.map(\.runID))
        }
        for source in sources {
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw StoreError.cannotOpen(path: source.path, reason: "no such file")
            }
            var configuration = Configuration()
            configuration.readonly = true
            let sourceQueue: DatabaseQueue
            do {
                sourceQueue = try DatabaseQueue(path: source.path, configuration: configuration)
            } catch {
                throw StoreError.cannotOpen(path: source.path, reason: "\(error)")
            }
            let sourceRuns: [RunInfo] = try sourceQueue.read { db in
                guard try db.tableExists("runs"), try db.tableExists("trials") else {
                    throw StoreError.notAResultsDatabase(path: source.path)
                }
                return try Row.fetchAll(db, sql: "SELECT * FROM runs").map(StoreSchema.runInfo(from:))
            }
            guard sourceRuns.count == 1, let run = sourceRuns.first else {
                throw StoreError.multipleRuns(path: source.path, runIDs: sourceRuns.map(\.runID))
            }
            if let target = expected.first, target.runID != run.runID {
                throw StoreError.runMismatch(path: source.path, expected: target.runID, found: run.runID)
            }
            if expected.isEmpty {
                try register(run: run)
                expected = [run]
            }
            let counts = try sourceQueue.read { sourceDB in
                try queue.write { db -> (Int, Int) in
                    var inserted = 0, skipped = 0
                    // A shard written before the v2 schema has no bank samples to copy.
                    let hasBank = try sourceDB.tableExists("bank_samples")
                    let records = hasBank ? try Self.trials(run: run.runID, in: sourceDB)
                        : try Row.fetchAll(sourceDB, sql: "SELECT * FROM trials WHERE run_id = ? ORDER BY id",
                                           arguments: [run.runID]).map(StoreSchema.record(from:))
                    for record in records {
                        try db.execute(sql: StoreSchema.insertTrialSQL, arguments: StoreSchema.arguments(for: record))
                        if db.changesCount == 1 {
                            inserted += 1
                            try StoreSchema.insertBankSamples(of: record, in: db)
                        } else {
                            skipped += 1
                        }
                    }
                    return (inserted, skipped)
                }
            }
            summary.inserted += counts.0
            summary.duplicates += counts.1
            summary.sources += 1
        }
        return summary
    }
}

/// What `ResultsStore.merge(from:)` did.
public struct MergeSummary: Sendable, Hashable {
    /// Source databases read.
    public var sources = 0
    /// Trials added.
    public var inserted = 0
    /// Trials skipped because their key was already present.
    public var duplicates = 0
}

/// Results-database failures, each saying what to do.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case cannotOpen(path: String, reason: String)
    case notAResultsDatabase(path: String)
    case multipleRuns(path: String, runIDs: [String])
    case runMismatch(path: String, expected: String, found: String)
    case corruptRow(column: String, value: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the results database \(path): \(reason). Check the path and its folder's permissions."
        case .notAResultsDatabase(let path):
            return "\(path) is not a Ponder results database (no `runs`/`trials` tables). Pass the results.sqlite of a `ponder run`."
        case .multipleRuns(let path, let ids):
            let list = ids.isEmpty ? "none" : ids.map { String($0.prefix(12)) }.joined(separator: ", ")
            return "\(path) holds \(ids.count) runs (\(list)); merging needs exactly one run per database. Merge shards of one run at a time."
        case .runMismatch(let path, let expected, let found):
            return "\(path) belongs to run \(found.prefix(12)), not \(expected.prefix(12)): shards of different configs, models or code versions cannot be merged. Rerun the shard with the same config, model and ponder build."
        case .corruptRow(let column, let value):
            return "a stored trial has an invalid \(column) `\(value)`; the database was written by something other than Ponder."
        }
    }

    public var errorDescription: String? { description }
}
