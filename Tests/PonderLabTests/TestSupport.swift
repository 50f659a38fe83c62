import Foundation
import PonderSearch
import XCTest
@testable import PonderLab

/// A temporary folder removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("ponderlab-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A catalog standing in for PonderSearch's registry: three strategies, `c_puct` must be a
/// positive number for `mcts-step`, and best-of-n's `selection` has a default.
let testCatalog = StrategyCatalogTable(
    names: ["greedy", "best-of-n", "mcts-step"],
    defaults: ["best-of-n": ["selection": .string("majority")]],
    validate: { strategy, params in
        var issues: [ParameterIssue] = []
        if strategy == "mcts-step", let value = params["c_puct"], (value.doubleValue ?? -1) <= 0 {
            issues.append(ParameterIssue(key: "c_puct", problem: "expected a positive number, found `\(value)`.",
                                         fix: "write e.g. `c_puct: 1.25`."))
        }
        return issues
    })

/// A synthetic trial for statistics and report tests.
func makeTrial(problem: Int, strategy: String, budget: Double = 4, kind: Budget.Unit = .samples,
               seed: Int = 0, correct: Bool, flops: Double = 1e9, tokens: Int = 100,
               difficulty: Double? = nil, candidates: (Int, Int)? = nil, answer: String? = "42",
               completion: String = "<think>…</think><answer>42</answer>", tree: String? = nil,
               run: String = "run-test") -> TrialRecord {
    TrialRecord(
        runID: run, trialKey: "p\(problem)|\(strategy)|\(kind.rawValue)=\(Int(budget))|s\(seed)",
        problemIndex: problem, problemID: "prob-\(problem)", difficulty: difficulty,
        strategy: strategy, strategyName: strategy, paramsJSON: "{\"n\":\(Int(budget))}",
        budgetKind: kind, budgetValue: budget, seed: seed, answer: answer, correct: correct,
        rewards: RewardComponents(accuracy: correct ? 1 : 0, format: 1, language: 0.5,
                                  combined: correct ? 2 : 1),
        ledger: LedgerColumns(prefillTokens: 30, decodeTokens: tokens, reusedTokens: 10,
                              forwardBatches: 5, valueCalls: 2, verifierCalls: 0,
                              flops: flops, wallSeconds: 0.5),
        generatedTokens: tokens, completion: completion,
        candidateCount: candidates?.0, candidatesCorrect: candidates?.1, treeJSON: tree,
        finishedAt: Date(timeIntervalSince1970: 1_700_000_000))
}
