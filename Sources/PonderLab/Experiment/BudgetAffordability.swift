import Foundation
import PonderModel
import PonderSearch

/// The check that every budget cap can buy one completion.
///
/// A cap that cannot pay for one completion at the length cap from the longest prompt makes
/// a strategy's accuracy a measure of truncation, not of search: a sample cut by the budget
/// is never scored. The check needs the model (FLOPs per token) and the prompts, so it runs
/// once the trial environment is built: by `ponder run --check` and before any trial.
extension TrialEnvironment {
    /// What one completion at the length cap costs from the longest prompt, in `kind` units.
    public func oneCompletionCost(_ kind: Budget.Unit) throws -> Double {
        switch kind {
        case .samples: return 1
        case .tokens: return Double(stopConditions.maxNewTokens)
        case .flops:
            let policy = try makePolicy()
            let longest = try prompts.map { try policy.encode(prompt: $0.text).count }.max() ?? 0
            let flop = FlopModel(config: model.config)
            // One prefill, then one token per forward at a growing context.
            return flop.forwardFLOPs(newTokens: longest, pastLength: 0)
                + flop.decodeFLOPs(tokens: stopConditions.maxNewTokens, pastLength: longest)
        }
    }

    /// Throws an `ExperimentConfigError` naming every budget value (file, line, key) below the cost of one
    /// completion, with the smallest value that would do.
    public func checkBudgetsAffordOneCompletion(_ config: ExperimentConfig) throws {
        var issues: [ConfigIssue] = []
        var costs: [Budget.Unit: Double] = [:]
        func cost(_ kind: Budget.Unit) throws -> Double {
            if let known = costs[kind] { return known }
            let value = try oneCompletionCost(kind)
            costs[kind] = value
            return value
        }
        var reported = Set<String>()
        for spec in config.runnableStrategies {
            let own = spec.budgets != nil
            let sweeps = spec.budgets ?? config.budgets
            for (j, sweep) in sweeps.enumerated() {
                for (k, value) in sweep.values.enumerated() where value < (try cost(sweep.kind)) {
                    let path = own ? "\(spec.configPath ?? "bank").budgets[\(j)].values[\(k)]" : "budgets[\(j)].values[\(k)]"
                    guard reported.insert(path).inserted else { continue }
                    let needed = try cost(sweep.kind)
                    let point = BudgetPoint(kind: sweep.kind, value: value)
                    issues.append(ConfigIssue(
                        location: config.source?.location(of: path) ?? SourceLocation(file: config.sourceFiles.first ?? "<config>"),
                        keyPath: path,
                        problem: "the cap \(point) cannot buy one completion: \(generationSummary) costs "
                            + "\(BudgetPoint(kind: sweep.kind, value: needed.rounded(.up))) with this model.",
                        fix: "raise it to at least \(ConfigValue.canonicalNumber(needed.rounded(.up))), or lower `generation.max_new_tokens`."))
                }
            }
        }
        if !issues.isEmpty { throw ExperimentConfigError(issues) }
    }

    private var generationSummary: String {
        "one completion of generation.max_new_tokens = \(stopConditions.maxNewTokens) tokens from the longest prompt"
    }
}
