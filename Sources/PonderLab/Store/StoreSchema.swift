import Foundation
import PonderSearch
import GRDB

/// The results database's tables and the mapping between `TrialRecord` and a `trials` row.
enum StoreSchema {
    /// Migrations in order; a database opened by a newer Ponder is migrated forward in place.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    run_id        TEXT PRIMARY KEY NOT NULL,
                    name          TEXT NOT NULL,
                    config_json   TEXT NOT NULL,
                    model_version TEXT NOT NULL,
                    code_version  TEXT NOT NULL,
                    created_at    TEXT NOT NULL
                );
                CREATE TABLE trials (
                    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id             TEXT NOT NULL,
                    trial_key          TEXT NOT NULL,
                    problem_index      INTEGER NOT NULL,
                    problem_id         TEXT NOT NULL,
                    difficulty         REAL,
                    strategy           TEXT NOT NULL,
                    strategy_name      TEXT NOT NULL,
                    params_json        TEXT NOT NULL,
                    budget_kind        TEXT NOT NULL,
                    budget_value       REAL NOT NULL,
                    seed               INTEGER NOT NULL,
                    answer             TEXT,
                    correct            INTEGER NOT NULL,
                    reward_accuracy    REAL NOT NULL,
                    reward_format      REAL NOT NULL,
                    reward_language    REAL NOT NULL,
                    reward_combined    REAL NOT NULL,
                    prefill_tokens     INTEGER NOT NULL,
                    decode_tokens      INTEGER NOT NULL,
                    reused_tokens      INTEGER NOT NULL,
                    forward_batches    INTEGER NOT NULL,
                    value_calls        INTEGER NOT NULL,
                    verifier_calls     INTEGER NOT NULL,
                    flops              REAL NOT NULL,
                    wall_seconds       REAL NOT NULL,
                    ledger_json        TEXT NOT NULL,
                    generated_tokens   INTEGER NOT NULL,
                    completion         TEXT NOT NULL,
                    candidate_count    INTEGER,
                    candidates_correct INTEGER,
                    tree_json          TEXT,
                    finished_at        TEXT NOT NULL,
                    UNIQUE (run_id, trial_key)
                );
                CREATE INDEX trials_by_run ON trials (run_id, strategy, budget_kind, budget_value);
                """)
        }
        // v2: strategy families (sweeps) and the samples of bank trials.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE trials ADD COLUMN family TEXT;
                CREATE TABLE bank_samples (
                    run_id       TEXT NOT NULL,
                    trial_key    TEXT NOT NULL,
                    sample_index INTEGER NOT NULL,
                    answer       TEXT,
                    correct      INTEGER NOT NULL,
                    value        REAL,
                    flops        REAL NOT NULL,
                    tokens       INTEGER NOT NULL,
                    PRIMARY KEY (run_id, trial_key, sample_index)
                );
                """)
        }
        return migrator
    }

    /// The `trials` columns written on insert, in statement order.
    static let trialColumns = [
        "run_id", "trial_key", "problem_index", "problem_id", "difficulty", "strategy",
        "strategy_name", "params_json", "budget_kind", "budget_value", "seed", "answer", "correct",
        "reward_accuracy", "reward_format", "reward_language", "reward_combined",
        "prefill_tokens", "decode_tokens", "reused_tokens", "forward_batches", "value_calls",
        "verifier_calls", "flops", "wall_seconds", "ledger_json", "generated_tokens", "completion",
        "candidate_count", "candidates_correct", "tree_json", "finished_at", "family",
    ]

    /// `INSERT … ON CONFLICT (run_id, trial_key) DO NOTHING`: a key inserted twice stays one
    /// row (the first), while any other constraint failure still raises an error.
    static let insertTrialSQL: String = {
        let placeholders = Array(repeating: "?", count: trialColumns.count).joined(separator: ", ")
        return "INSERT INTO trials (\(trialColumns.joined(separator: ", "))) VALUES (\(placeholders)) "
            + "ON CONFLICT (run_id, trial_key) DO NOTHING"
    }()

    static func arguments(for record: TrialRecord) -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            record.runID, record.trialKey, record.problemIndex, record.problemID, record.difficulty,
            record.strategy, record.strategyName, record.paramsJSON, record.budgetKind.rawValue,
            record.budgetValue, record.seed, record.answer, record.correct,
            record.rewards.accuracy, record.rewards.format, record.rewards.language,
            record.rewards.combined, record.ledger.prefillTokens, record.ledger.decodeTokens,
            record.ledger.reusedTokens, record.ledger.forwardBatches, record.ledger.valueCalls,
            record.ledger.verifierCalls, record.ledger.flops, record.ledger.wallSeconds,
            record.ledgerJSON, record.generatedTokens, record.completion, record.candidateCount,
            record.candidatesCorrect, record.treeJSON, Timestamp.format(record.finishedAt), record.family,
        ]
        return StatementArguments(values)
    }

    static func record(from row: Row) throws -> TrialRecord {
        let kindText: String = try row.decode(forColumn: "budget_kind")
        guard let kind = Budget.Unit(rawValue: kindText) else {
            throw StoreError.corruptRow(column: "budget_kind", value: kindText)
        }
        let finished: String = try row.decode(forColumn: "finished_at")
        let family: String? = try row.decode(forColumn: "family")
        return TrialRecord(
            runID: try row.decode(forColumn: "run_id"),
            trialKey: try row.decode(forColumn: "trial_key"),
            problemIndex: try row.decode(forColumn: "problem_index"),
            problemID: try row.decode(forColumn: "problem_id"),
            difficulty: try row.decode(forColumn: "difficulty"),
            strategy: try row.decode(forColumn: "strategy"),
            strategyName: try row.decode(forColumn: "strategy_name"),
            paramsJSON: try row.decode(forColumn: "params_json"),
            budgetKind: kind,
            budgetValue: try row.decode(forColumn: "budget_value"),
            seed: try row.decode(forColumn: "seed"),
            answer: try row.decode(forColumn: "answer"),
            correct: try row.decode(forColumn: "correct"),
            rewards: RewardComponents(
                accuracy: try row.decode(forColumn: "reward_accuracy"),
                format: try row.decode(forColumn: "reward_format"),
                language: try row.decode(forColumn: "reward_language"),
                combined: try row.decode(forColumn: "reward_combined")),
            ledger: LedgerColumns(
                prefillTokens: try row.decode(forColumn: "prefill_tokens"),
                decodeTokens: try row.decode(forColumn: "decode_tokens"),
                reusedTokens: try row.decode(forColumn: "reused_tokens"),
                forwardBatches: try row.decode(forColumn: "forward_batches"),
                valueCalls: try row.decode(forColumn: "value_calls"),
                verifierCalls: try row.decode(forColumn: "verifier_calls"),
                flops: try row.decode(forColumn: "flops"),
                wallSeconds: try row.decode(forColumn: "wall_seconds")),
            ledgerJSON: try row.decode(forColumn: "ledger_json"),
            generatedTokens: try row.decode(forColumn: "generated_tokens"),
            completion: try row.decode(forColumn: "completion"),
            candidateCount: try row.decode(forColumn: "candidate_count"),
            candidatesCorrect: try row.decode(forColumn: "candidates_correct"),
            treeJSON: try row.decode(forColumn: "tree_json"),
            finishedAt: Timestamp.parse(finished) ?? Date(timeIntervalSince1970: 0),
            family: family)
    }

    static let insertBankSampleSQL = """
        INSERT INTO bank_samples (run_id, trial_key, sample_index, answer, correct, value, flops, tokens)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, trial_key, sample_index) DO NOTHING
        """

    /// Writes a bank trial's samples (inside the trial's own transaction).
    static func insertBankSamples(of record: TrialRecord, in db: Database) throws {
        for (index, sample) in (record.bankSamples ?? []).enumerated() {
            let values: [(any DatabaseValueConvertible)?] = [
                record.runID, record.trialKey, index, sample.answer, sample.correct, sample.value,
                sample.flops, sample.tokens,
            ]
            try db.execute(sql: insertBankSampleSQL, arguments: StatementArguments(values))
        }
    }

    /// The bank samples of `run`, by trial key, in draw order.
    static func bankSamples(run: String, in db: Database) throws -> [String: [BankSample]] {
        var samples: [String: [BankSample]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM bank_samples WHERE run_id = ? ORDER BY trial_key, sample_index",
                                       arguments: [run])
        while let row = try rows.next() {
            let key: String = try row.decode(forColumn: "trial_key")
            samples[key, default: []].append(BankSample(
                answer: try row.decode(forColumn: "answer"), correct: try row.decode(forColumn: "correct"),
                value: try row.decode(forColumn: "value"), flops: try row.decode(forColumn: "flops"),
                tokens: try row.decode(forColumn: "tokens")))
        }
        return samples
    }

    static func runInfo(from row: Row) throws -> RunInfo {
        let created: String = try row.decode(forColumn: "created_at")
        return RunInfo(runID: try row.decode(forColumn: "run_id"), name: try row.decode(forColumn: "name"),
                       configJSON: try row.decode(forColumn: "config_json"),
                       modelVersion: try row.decode(forColumn: "model_version"),
                       codeVersion: try row.decode(forColumn: "code_version"),
                       createdAt: Timestamp.parse(created) ?? Date(timeIntervalSince1970: 0))
    }
}

/// ISO 8601 UTC timestamps with milliseconds, as stored in the database and CSV files.
enum Timestamp {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
