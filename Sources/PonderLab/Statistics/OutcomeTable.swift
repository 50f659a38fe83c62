/// Trials reduced to one outcome per (strategy, budget cap, problem): the mean over the
/// problem's seeds, so that a problem run with more seeds does not weigh more.
struct OutcomeTable {
    struct Key: Hashable {
        var strategy: String
        var budget: BudgetPoint
        var problem: Int
    }

    struct Outcome {
        /// Share of the problem's trials that were correct.
        var correct: Double
        /// Mean FLOPs spent.
        var flops: Double
    }

    /// Strategy labels in order of first appearance (the config's order for a full run).
    let strategies: [String]
    /// Budget caps in report order.
    let budgets: [BudgetPoint]
    /// Problem indices, ascending.
    let problems: [Int]
    private let outcomes: [Key: Outcome]
    private let present: Set<RunAnalysis.GroupKey>

    init(_ trials: [TrialRecord]) {
        var order: [String] = [], seen: Set<String> = []
        var sums: [Key: (correct: Int, flops: Double, count: Int)] = [:]
        for trial in trials {
            if seen.insert(trial.strategy).inserted { order.append(trial.strategy) }
            let key = Key(strategy: trial.strategy, budget: trial.budget, problem: trial.problemIndex)
            let entry = sums[key] ?? (0, 0, 0)
            sums[key] = (entry.correct + (trial.correct ? 1 : 0), entry.flops + trial.ledger.flops, entry.count + 1)
        }
        strategies = order
        outcomes = sums.mapValues { Outcome(correct: Double($0.correct) / Double($0.count), flops: $0.flops / Double($0.count)) }
        budgets = Set(sums.keys.map(\.budget)).sorted(by: RunAnalysis.budgetOrder)
        problems = Set(sums.keys.map(\.problem)).sorted()
        present = Set(sums.keys.map { RunAnalysis.GroupKey(strategy: $0.strategy, budget: $0.budget) })
    }

    /// Whether `strategy` has any trial at `budget`.
    func has(_ strategy: String, _ budget: BudgetPoint) -> Bool {
        present.contains(RunAnalysis.GroupKey(strategy: strategy, budget: budget))
    }

    func outcome(_ strategy: String, _ budget: BudgetPoint, _ problem: Int) -> Outcome? {
        outcomes[Key(strategy: strategy, budget: budget, problem: problem)]
    }

    /// Mean accuracy and FLOPs over `problems` (missing ones skipped), summed in the given order.
    func mean(_ strategy: String, _ budget: BudgetPoint, _ problems: [Int]) -> (accuracy: Double, flops: Double) {
        var correct = 0.0, flops = 0.0, count = 0
        for problem in problems {
            guard let o = outcome(strategy, budget, problem) else { continue }
            correct += o.correct
            flops += o.flops
            count += 1
        }
        guard count > 0 else { return (0, 0) }
        return (correct / Double(count), flops / Double(count))
    }

    /// The most accurate of `strategies` on `problems`; ties go to the cheaper one, then to
    /// the one listed first, so the choice never depends on dictionary order.
    func best(_ strategies: [String], _ budget: BudgetPoint, _ problems: [Int]) -> String {
        var winner: (name: String, accuracy: Double, flops: Double)?
        for strategy in strategies {
            let (accuracy, flops) = mean(strategy, budget, problems)
            guard let w = winner else { winner = (strategy, accuracy, flops); continue }
            if accuracy > w.accuracy || (accuracy == w.accuracy && flops < w.flops) { winner = (strategy, accuracy, flops) }
        }
        return winner?.name ?? ""
    }
}
