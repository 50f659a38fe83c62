// Accuracy versus FLOPs for every built-in strategy at four budgets on the tabular toy.
//
//   swift run ponder-example-budget-curves [problems] [seeds] [perfect|noisy]
//
// Every strategy runs in fill mode (the registry default), so a FLOP cap is its target: best-of-N
// and rejection draw until the budget ends, beam and MCTS grow (and restart) until it does. The
// rows also scale their own sizes with the budget, so they read the same with fill: false. Rows
// compare strategies at matched compute. Prints a Markdown table: accuracy, mean FLOPs used, and mean generated tokens.
import Foundation
import Ponder

let arguments = CommandLine.arguments.dropFirst()
let problemCount = arguments.first.flatMap { Int($0) } ?? 40
let seeds = arguments.dropFirst().first.flatMap { Int($0) } ?? 2
let headName = arguments.dropFirst(2).first ?? "noisy"
let head: LinearValueHead = headName == "perfect" ? TabularPolicy.perfectValueHead : TabularPolicy.noisyValueHead()

let toy = try TabularToy.make(problems: problemCount, seed: 7)
let budgets: [Double] = [50e9, 200e9, 800e9, 3200e9]

/// A row: a label and the registry name and parameters to use at budget index `b`.
struct Row {
    var label: String
    var strategy: String
    var parameters: (Int) -> [String: ParameterValue]
}
let big = ParameterValue.int(50_000)
let rows: [Row] = [
    Row(label: "greedy", strategy: "greedy") { _ in [:] },
    Row(label: "sample", strategy: "sample") { _ in [:] },
    Row(label: "best-of-n majority", strategy: "best-of-n") { _ in ["n": big, "batch": .int(4)] },
    Row(label: "best-of-n weighted-vote", strategy: "best-of-n") { _ in
        ["n": big, "batch": .int(4), "selection": .string("weighted-vote")] },
    Row(label: "best-of-n max-value", strategy: "best-of-n") { _ in
        ["n": big, "batch": .int(4), "selection": .string("max-value")] },
    Row(label: "rejection (v ≥ 0.8)", strategy: "rejection") { _ in ["max_samples": big, "threshold": .double(0.8)] },
    Row(label: "beam (4^b beams × 4)", strategy: "beam") { b in ["beam_width": .int(1 << (2 * b)), "expansions": .int(4)] },
    Row(label: "dvts (4^b subtrees × 4)", strategy: "beam") { b in
        ["beam_width": .int(1 << (2 * b)), "expansions": .int(4), "diverse": .bool(true)] },
    Row(label: "mcts-step visits (4·4^b sims)", strategy: "mcts-step") { b in
        ["simulations": .int(4 << (2 * b)), "width": .int(4), "batch": .int(4)] },
    Row(label: "mcts-step gumbel (4·4^b sims)", strategy: "mcts-step") { b in
        ["simulations": .int(4 << (2 * b)), "width": .int(4), "root": .string("gumbel")] },
    Row(label: "mcts-token (2·4^b sims)", strategy: "mcts-token") { b in
        ["simulations": .int(2 << (2 * b)), "width": .int(3)] },
]

func gflop(_ x: Double) -> String { String(format: "%.0f", x / 1e9) }

print("Tabular toy: \(problemCount) problems × \(seeds) seeds, value head \(headName), "
      + "architecture \(toy.policy.flopModel)")
var header = "| strategy |"
var rule = "|---|"
for b in budgets {
    header += " ≤\(gflop(b)) GFLOP: acc / GFLOP used / tokens |"
    rule += "---|"
}
print(header)
print(rule)
let start = Date()
for row in rows {
    var line = "| \(row.label) |"
    for (b, budget) in budgets.enumerated() {
        let strategy = try StrategyRegistry.builtIn.make(row.strategy, parameters: row.parameters(b))
        var correct = 0, runs = 0
        var ledger = ComputeLedger()
        for k in toy.problems.indices {
            for seed in 0..<seeds {
                // One seed per trial: a stream shared by all problems would correlate them.
                var trialSeed = SeededRNG.derived(seed: UInt64(seed), UInt64(k))
                let context = try SearchContext(policy: toy.policy, valueFunction: head, budget: .flops(budget),
                                                seed: trialSeed.next(), task: toy.hooks(for: k))
                let result = try strategy.search(toy.problems[k], in: context)
                if result.answer == toy.correctAnswers[k] { correct += 1 }
                runs += 1
                ledger += result.ledger
            }
        }
        let accuracy = Double(correct) / Double(runs)
        line += String(format: " %.3f / %@ / %.0f |", accuracy, gflop(ledger.flops / Double(runs)),
                       Double(ledger.generatedTokens) / Double(runs))
    }
    print(line)
}
// Reference points from the exact tree: pass@1 (the mean P(success) at the root).
let pass1 = toy.problems.indices.map { toy.policy.successProbability(problem: $0, node: 0) }.reduce(0, +)
    / Double(problemCount)
print("\nExact pass@1 (mean root success probability): \(String(format: "%.3f", pass1))")
print(String(format: "Wall time: %.1f s", Date().timeIntervalSince(start)))
