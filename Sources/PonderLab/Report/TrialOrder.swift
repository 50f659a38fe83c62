import Foundation

/// The order reports list trials in: the config's trial order (problem, then strategy as
/// written, then budget, then seed), whatever order they were stored in.
///
/// The store returns trials in insertion order, which depends on how the run went: an
/// interrupted run resumes where it stopped (same order), but shards run separately and
/// are merged one after another. Sorting here makes `trials.csv`, the strategy order of
/// `curves.csv` and the reports a function of the results alone, so a sharded and merged
/// run writes the same files as one unsharded run.
public enum TrialOrder {
    /// `trials` sorted by (problem index, strategy position in the run's config, budget,
    /// seed); strategies the config does not list keep their first-appearance order after
    /// those it does.
    public static func canonical(_ trials: [TrialRecord], run: RunInfo?) -> [TrialRecord] {
        var rank: [String: Int] = [:]
        for (index, label) in strategyLabels(configJSON: run?.configJSON).enumerated() where rank[label] == nil {
            rank[label] = index
        }
        for trial in trials where rank[trial.strategy] == nil { rank[trial.strategy] = rank.count }
        return trials.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.problemIndex != y.problemIndex { return x.problemIndex < y.problemIndex }
            let rx = rank[x.strategy] ?? Int.max, ry = rank[y.strategy] ?? Int.max
            if rx != ry { return rx < ry }
            if x.budget != y.budget { return RunAnalysis.budgetOrder(x.budget, y.budget) }
            if x.seed != y.seed { return x.seed < y.seed }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The strategy labels of a normalized config, in the order written.
    static func strategyLabels(configJSON: String?) -> [String] {
        guard let configJSON,
              let object = try? JSONSerialization.jsonObject(with: Data(configJSON.utf8)) as? [String: Any],
              let strategies = object["strategies"] as? [[String: Any]] else { return [] }
        return strategies.compactMap { $0["label"] as? String }
    }
}
