import Foundation

extension RunAnalysis {
    /// `report.md`: summary table, frontier, paired comparisons, difficulty breakdown, plots.
    ///
    /// Tables use plain Markdown so the file reads well on GitHub and in a terminal, and so
    /// notebooks can embed it.
    public func markdownReport() -> String {
        var out = "# \(run?.name ?? "Run") — results\n\n"
        if let run {
            out += "- run id: `\(run.runID)`\n- model version: `\(run.modelVersion.prefix(16))`, code version: `\(run.codeVersion)`\n"
            out += "- started: \(Timestamp.format(run.createdAt))\n"
        }
        let problems = Set(trials.map(\.problemIndex)).count
        out += "- trials: \(trials.count) over \(problems) problems, \(strategies.count) strategies\n\n"
        out += "Accuracy intervals are 95 %: Wilson over trials, and a percentile bootstrap over problems "
            + "(the one to trust when several seeds share a problem). Costs are means per trial.\n\n"

        out += "## Summary\n\n"
        out += summaryTable.markdown()

        out += "\n## Compute-optimal frontier\n\n"
        out += "The best verifier-hidden strategy at each compute level (the monotone upper envelope of all points by mean FLOPs; positive controls left out).\n\n"
        out += frontierTable.markdown()

        out += "\n## Paired comparisons at matched budget caps\n\n"
        if comparisons.isEmpty {
            out += "No two strategies share a budget cap.\n"
        } else {
            out += "Δ = first − second accuracy over matched (problem, seed) pairs, with a paired bootstrap "
                + "interval over problems; p is the exact two-sided McNemar test. Compare the mean FLOPs too: "
                + "a cap is not what a strategy spends.\n\n"
            out += comparisonTable.markdown()
        }

        out += "\n## By difficulty\n\n"
        if byDifficulty.isEmpty {
            out += "The task recorded no difficulty for these problems.\n"
        }
        for breakdown in byDifficulty {
            let problems = Set(breakdown.curves.isEmpty ? [] : trials.filter {
                DifficultyBinning.bin(of: $0.difficulty, in: bins) == breakdown.bin
            }.map(\.problemIndex)).count
            out += "### Difficulty \(breakdown.bin.label) (\(problems) problems)\n\n"
            out += difficultyTable(breakdown).markdown()
            out += "\n"
        }

        out += scalingMarkdown()

        out += "\n## Plots\n\n"
        for axis in CostAxis.allCases {
            out += "- [accuracy vs \(axis.rawValue)](\(axis.fileName))\n"
        }
        out += "- [accuracy vs FLOPs by difficulty](\(ReportFiles.difficultyPlot))\n"
        out += "\n![accuracy vs FLOPs](\(CostAxis.flops.fileName))\n\n"
        out += "Data: [curves.csv](curves.csv), [trials.csv](trials.csv); interactive: [report.html](report.html).\n"
        return out
    }
}
