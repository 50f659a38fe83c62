import Foundation

extension RunAnalysis {
    /// What `ponder run` and `ponder report` print before the run folder: the accuracy table,
    /// then the sample bank, the compute-optimal choice by difficulty and any monotonicity
    /// warnings (sections with nothing to show are left out), and with `paired` the paired
    /// comparisons at matched caps, so a notebook can say whether a difference is more than noise.
    ///
    /// The tables are `report.md`'s (`summaryTable`, `bankTable`, …) in plain text, less the
    /// columns marked for the reports only.
    public func terminalSummary(paired: Bool = false) -> String {
        var blocks = [summaryTable.plainText()]
        if !bankTable.isEmpty {
            blocks.append("sample bank, \(scaling.bankProblems.count) problems (pass@k is an oracle upper bound):\n"
                + bankTable.plainText())
        }
        if !difficultyFrontierTable.isEmpty {
            blocks.append("compute-optimal by held-out difficulty (cross-fitted, positive controls excluded): "
                + "per-bin choice vs best single strategy\n"
                + difficultyFrontierTable.plainText())
        }
        blocks += scaling.monotonicity.map { "warning: \($0)" }
        if !chargedStrategies.isEmpty {
            blocks.append("positive controls (verifier-charged, upper bounds): " + chargedStrategies.joined(separator: ", "))
        }
        if paired {
            blocks.append(comparisons.isEmpty ? "no two strategies share a budget cap"
                : "paired at matched caps: Δ = first − second, paired bootstrap 95% CI, "
                    + "pairs only first / only second got right, exact McNemar p\n" + comparisonTable.plainText())
        }
        return blocks.joined(separator: "\n")
    }
}
