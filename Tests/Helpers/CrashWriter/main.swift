// A test-only writer for PonderLabTests' crash test: it commits synthetic trials one per
// transaction, printing "committed <i>" after each commit, until it is killed (or finishes).
// Usage: ponder-lab-crash-writer <database> <run-id> <trial-count> [<pause-ms>]
// The optional pause between commits keeps the writer from finishing before the test, on a
// loaded machine, gets round to killing it.
// Like a real rerun, it first skips the keys already stored.
import Foundation
import PonderLab

/// Unbuffered, so the test sees each line as soon as its commit has returned.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
let arguments = CommandLine.arguments
guard (4...5).contains(arguments.count), let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: ponder-lab-crash-writer <database> <run-id> <trial-count> [<pause-ms>]\n".utf8))
    exit(2)
}
let runID = arguments[2]
let pauseMicroseconds = UInt32(arguments.count == 5 ? (Int(arguments[4]) ?? 0) * 1000 : 0)

/// Synthetic trial `index`. Each carries a ~16 KiB completion so a transaction spans several WAL
/// pages and a SIGKILL has a real chance of landing inside one. The crash test recomputes the
/// same fields from the index to check every stored row is whole.
func syntheticTrial(index: Int) -> TrialRecord {
    let filler = String(repeating: "step \(index); ", count: 1300)
    return TrialRecord(
        runID: runID, trialKey: "p\(index)|crash|samples=1|s0", problemIndex: index,
        problemID: "problem-\(index)", difficulty: Double(index % 5), strategy: "crash",
        strategyName: "crash", paramsJSON: "{}", budgetKind: .samples, budgetValue: 1, seed: 0,
        answer: "\(index * 7)", correct: index % 3 == 0,
        rewards: RewardComponents(accuracy: index % 3 == 0 ? 1 : 0, format: 1, language: 1,
                                  combined: index % 3 == 0 ? 2 : 1),
        ledger: LedgerColumns(prefillTokens: index, decodeTokens: 2 * index, flops: Double(index) * 1e6),
        generatedTokens: 2 * index, completion: filler)
}
do {
    let store = try ResultsStore(url: URL(fileURLWithPath: arguments[1]))
    try store.register(run: RunInfo(runID: runID, name: "crash", configJSON: "{}",
                                    modelVersion: "test", codeVersion: "test"))
    let done = try store.finishedTrialKeys(run: runID)
    for index in 0..<count {
        let record = syntheticTrial(index: index)
        if done.contains(record.trialKey) { continue }
        try store.insert(record)
        say("committed \(index)")
        if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
    }
    say("finished")
} catch {
    FileHandle.standardError.write(Data("ponder-lab-crash-writer: \(error)\n".utf8))
    exit(1)
}
