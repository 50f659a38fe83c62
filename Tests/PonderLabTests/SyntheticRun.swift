import Foundation
import PonderModel
@testable import PonderLab

/// A deterministic synthetic run with the shape of a real one: 4 difficulty levels, greedy,
/// best-of-n at three sample budgets (with candidate counts for oracle pass@N), and a tree
/// strategy storing MCTS trees, over two seeds.
enum SyntheticRun {
    static let run = RunInfo(runID: "5e1f0c2a9d8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e", name: "synthetic-curves",
                             configJSON: "{}", modelVersion: "0123456789abcdef", codeVersion: "test",
                             createdAt: Date(timeIntervalSince1970: 1_700_000_000))

    static func trials(problems: Int = 40) -> [TrialRecord] {
        var rng = SeededRNG(seed: 11)
        var trials: [TrialRecord] = []
        let plan: [(String, Double)] = [("greedy", 1), ("best-of-n", 1), ("best-of-n", 4), ("best-of-n", 16),
                                        ("mcts-step", 4), ("mcts-step", 16)]
        for problem in 0..<problems {
            let difficulty = Double(problem % 4 + 1)
            for (strategy, budget) in plan {
                for seed in 0..<2 {
                    // success rises with budget and falls with difficulty; tree search helps hard ones
                    let base = 0.75 - 0.17 * difficulty
                    let gain = (strategy == "mcts-step" ? 0.09 + 0.02 * difficulty : 0.08) * log2(budget)
                    let p = min(0.97, max(0.02, base + gain))
                    var candidates: (Int, Int)?
                    var correct = rng.nextDouble() < p
                    if strategy == "best-of-n" {
                        let n = Int(budget)
                        let c = (0..<n).filter { _ in rng.nextDouble() < base + 0.05 }.count
                        candidates = (n, c)
                        if c == 0 { correct = false }
                    }
                    let tokens = Int(budget) * (40 + rng.nextInt(below: 30))
                    let tree = strategy == "mcts-step" && seed == 0 ? treeJSON(problem: problem, budget: Int(budget)) : nil
                    var trial = makeTrial(problem: problem, strategy: strategy, budget: budget, seed: seed,
                                            correct: correct, flops: Double(tokens) * 2.4e8 * (strategy == "mcts-step" ? 1.3 : 1),
                                            tokens: tokens, difficulty: difficulty, candidates: candidates,
                                            answer: correct ? "(3 + 5) * 7" : (problem % 5 == 0 ? nil : "3 * 5 + 7, \"x\""),
                                            completion: "<think>try 3 + 5 = 8, then 8 * 7 = 56</think>\n<answer>(3 + 5) * 7</answer> </script><b>not bold</b>",
                                            tree: tree, run: run.runID)
                    trial.ledger.wallSeconds = Double(tokens) * 0.02 * (strategy == "mcts-step" ? 1.6 : 1)
                    trials.append(trial)
                }
            }
        }
        return trials
    }

    /// The synthetic run as a sweep would label it: best-of-n's budgets become labels
    /// `best-of-n (n=1)`, `(n=4)`, `(n=16)` of one family `best-of-n`, the way the integrator
    /// fills `CurvePoint.family` from swept configs (here set by hand on the curves). Wall
    /// times are those of a fast model, 0.010–0.022 s, the narrow span whose axis labels read
    /// `0.01, 0.01, 0.01, 0.02` in issue 11.
    static func sweptAnalysis(problems: Int = 12) throws -> RunAnalysis {
        let trials = SyntheticRun.trials(problems: problems).map { trial -> TrialRecord in
            var swept = trial
            swept.ledger.wallSeconds = 0.010 + 1e-5 * Double(trial.generatedTokens)
            if trial.strategy == "best-of-n" { swept.strategy = "best-of-n (n=\(Int(trial.budgetValue)))" }
            return swept
        }
        var analysis = try RunAnalysis(trials: trials, run: run)
        func family(_ point: CurvePoint) -> CurvePoint {
            var point = point
            point.family = point.strategy.components(separatedBy: " (").first ?? point.strategy
            return point
        }
        analysis.curves = analysis.curves.map(family)
        analysis.byDifficulty = analysis.byDifficulty.map { DifficultyBreakdown(bin: $0.bin, curves: $0.curves.map(family)) }
        return analysis
    }

    /// A small MCTS-shaped tree; an unknown field and a string id check the tolerant decoding.
    static func treeJSON(problem: Int, budget: Int) -> String {
        func node(_ id: Int, _ text: String, _ visits: Int, _ value: Double, _ prior: Double, _ children: [String]) -> String {
            "{\"id\":\(id),\"text\":\"\(text)\",\"tokenStart\":\(id * 4),\"tokenEnd\":\(id * 4 + 4),\"prior\":\(prior),"
                + "\"visits\":\(visits),\"value\":\(value),\"virtualLoss\":0,\"children\":[\(children.joined(separator: ","))]}"
        }
        let leaves = (0..<3).map { node(10 + $0, "8 * 7 = 56\\n", budget - $0, 0.8 - 0.2 * Double($0), 0.5 / Double($0 + 1), []) }
        let mid = [node(2, "3 + 5 = 8\\n", budget, 0.71, 0.6, leaves), node(3, "7 - 3 = 4\\n", 1, 0.2, 0.3, [])]
        return "{\"id\":\"root-\(problem)\",\"visits\":\(budget + 1),\"value\":0.6,\"children\":[\(mid.joined(separator: ","))]}"
    }
}
