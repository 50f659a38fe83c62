import Foundation

/// RFC 4180 CSV: CRLF line ends; a field is quoted when it holds a comma, a double quote, CR
/// or LF, and quotes inside are doubled.
public enum CSV {
    /// One field, quoted only when needed.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A whole table: the header, then one line per row, each line ending in CRLF.
    public static func table(header: [String], rows: [[String]]) -> String {
        var out = header.map(field).joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Parses RFC 4180 text back into rows (used by tests and by tools reading our files).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { inQuotes = false; pending = following }
                    } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" || c == "\r" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// A number for a CSV cell: integers without a decimal point, others with up to 6
    /// significant digits (enough for accuracies and means; exact values live in SQLite).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "" : (value > 0 ? "inf" : "-inf") }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// An optional number; empty when absent.
    public static func number(_ value: Double?) -> String {
        value.map { number($0) } ?? ""
    }
}

extension RunAnalysis {
    /// The columns of `curves.csv`.
    public static let curveColumns = [
        "strategy", "strategy_name", "budget_kind", "budget", "n", "problems", "correct", "accuracy",
        "ci_low", "ci_high", "bootstrap_low", "bootstrap_high", "mean_flops", "mean_generated_tokens",
        "mean_seconds", "mean_prefill_tokens", "mean_decode_tokens", "mean_reused_tokens",
        "mean_value_calls", "mean_verifier_calls", "reward_accuracy", "reward_format",
        "reward_language", "reward_combined", "oracle_pass_at_n", "pass_at_1",
    ]

    /// `curves.csv`: one row per strategy × budget.
    public func curvesCSV() -> String {
        let rows = curves.map { point -> [String] in
            [point.strategy, point.strategyName, point.budget.kind.rawValue, CSV.number(point.budget.value),
             String(point.n), String(point.problems), String(point.correct),
             CSV.number(point.accuracy.estimate), CSV.number(point.accuracy.low), CSV.number(point.accuracy.high),
             CSV.number(point.bootstrap.low), CSV.number(point.bootstrap.high), CSV.number(point.meanFlops),
             CSV.number(point.meanGeneratedTokens), CSV.number(point.meanSeconds),
             CSV.number(point.meanPrefillTokens), CSV.number(point.meanDecodeTokens),
             CSV.number(point.meanReusedTokens), CSV.number(point.meanValueCalls),
             CSV.number(point.meanVerifierCalls), CSV.number(point.meanRewards.accuracy),
             CSV.number(point.meanRewards.format), CSV.number(point.meanRewards.language),
             CSV.number(point.meanRewards.combined), CSV.number(point.oraclePassAtN), CSV.number(point.passAt1)]
        }
        return CSV.table(header: RunAnalysis.curveColumns, rows: rows)
    }

    /// The columns of `trials.csv`.
    public static let trialColumns = [
        "problem_id", "problem_index", "difficulty", "strategy", "strategy_name", "budget_kind", "budget",
        "seed", "answer", "correct", "reward_accuracy", "reward_format", "reward_language",
        "reward_combined", "prefill_tokens", "decode_tokens", "reused_tokens", "forward_batches",
        "value_calls", "verifier_calls", "flops", "wall_seconds", "generated_tokens",
        "candidate_count", "candidates_correct", "trial_key", "finished_at",
    ]

    /// `trials.csv`: one row per trial (completions and trees stay in the database and HTML).
    public func trialsCSV() -> String {
        let rows = trials.map { t -> [String] in
            [t.problemID, String(t.problemIndex), CSV.number(t.difficulty), t.strategy, t.strategyName,
             t.budgetKind.rawValue, CSV.number(t.budgetValue), String(t.seed), t.answer ?? "",
             t.correct ? "1" : "0", CSV.number(t.rewards.accuracy), CSV.number(t.rewards.format),
             CSV.number(t.rewards.language), CSV.number(t.rewards.combined), String(t.ledger.prefillTokens),
             String(t.ledger.decodeTokens), String(t.ledger.reusedTokens), String(t.ledger.forwardBatches),
             String(t.ledger.valueCalls), String(t.ledger.verifierCalls), CSV.number(t.ledger.flops),
             CSV.number(t.ledger.wallSeconds), String(t.generatedTokens),
             t.candidateCount.map(String.init) ?? "", t.candidatesCorrect.map(String.init) ?? "",
             t.trialKey, Timestamp.format(t.finishedAt)]
        }
        return CSV.table(header: RunAnalysis.trialColumns, rows: rows)
    }
}
