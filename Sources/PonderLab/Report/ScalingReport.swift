import Foundation

/// The scaling sections of `report.md` and `report.html`, and the lines `ponder run` prints:
/// the sample bank, compute-optimal by difficulty, and the monotonicity check.
extension RunAnalysis {
    /// The monotonicity findings, naming the run's config.
    var monotonicityLines: [String] {
        scaling.monotonicity.map { "config `\(run?.name ?? "run")`, strategy \($0)" }
    }

    /// One sentence naming the positive controls, or nil when the run has none.
    var chargedNote: String? {
        guard !chargedStrategies.isEmpty else { return nil }
        return "Positive controls (verifier-charged: they called the checker during search, every call and "
            + "rollout charged; upper bounds, not verifier-hidden results, and left out of every frontier): "
            + chargedStrategies.joined(separator: ", ") + "."
    }

    /// The Markdown sections (appended to `report.md`).
    func scalingMarkdown() -> String {
        var out = chargedNote.map { "\n\($0)\n" } ?? ""
        out += "\n## Monotonicity\n\n"
        if monotonicityLines.isEmpty {
            out += "No strategy's accuracy falls by more than its 95% interval as its budget grows.\n"
        } else {
            out += monotonicityLines.map { "- ⚠️ \($0)\n" }.joined()
        }
        out += "\n## Sample bank: pass@k, majority@k, weighted@k\n\n"
        if scaling.bankCurve.isEmpty {
            out += "This run has no `bank:`; add `bank: {samples: 64}` for pass@k, majority@k and weighted@k "
                + "at every k from one run, and for the held-out difficulty the next section needs.\n"
        } else {
            out += "\(scaling.bankProblems.count) problems. pass@k is the unbiased estimator (an oracle upper bound: "
                + "it needs the checker); majority@k and weighted@k are the expected accuracy of the vote over "
                + "random k-subsets drawn without replacement. Intervals: bootstrap over problems. A subset of k "
                + "costs the shared prefill plus k samples' own FLOPs.\n\n"
            out += bankTable.markdown()
        }
        out += "\n## Compute-optimal strategy by difficulty\n\n"
        if let report = scaling.difficultyFrontier {
            out += "Problems binned by their held-out difficulty, 1 − the bank's pass@1 (\(report.bins.map(\.label).joined(separator: ", "))"
                + ", easiest first); verifier-charged positive controls are not candidates. At each cap, half of "
                + "the problems choose the best strategy per bin and the "
                + "best single strategy, the other half scores both, and the halves swap (two-fold cross-fitting). "
                + "Compute saved: the spend at which the best single strategy's curve reaches the per-bin choice's "
                + "accuracy, over the per-bin choice's spend.\n\n"
            out += difficultyFrontierTable.markdown()
            if report.unratedProblems > 0 { out += "\n\(report.unratedProblems) problems had no bank and are left out.\n" }
        } else {
            out += "Needs a `bank:` (the held-out difficulty) and at least two strategies at one cap.\n"
        }
        return out
    }

    /// The same sections for `report.html`.
    func scalingHTML() -> String {
        var out = "<section id=\"scaling\">"
        if let note = chargedNote { out += "<p class=\"note\">\(SVGText.escape(note))</p>" }
        out += "<h2>Monotonicity</h2>"
        out += monotonicityLines.isEmpty
            ? "<p class=\"note\">No strategy's accuracy falls by more than its 95% interval as its budget grows.</p>"
            : "<ul class=\"warnings\">" + monotonicityLines.map { "<li>⚠️ \(SVGText.escape($0))</li>" }.joined() + "</ul>"
        out += "<h2>Sample bank: pass@k, majority@k, weighted@k</h2>"
        if scaling.bankCurve.isEmpty {
            out += "<p class=\"note\">This run has no <code>bank:</code>.</p>"
        } else {
            out += "<p class=\"note\">pass@k: unbiased estimator (oracle upper bound); majority@k and weighted@k: "
                + "expected vote accuracy over random k-subsets without replacement; bootstrap 95% intervals over problems.</p>"
            out += bankTable.html()
        }
        out += "<h2>Compute-optimal strategy by difficulty</h2>"
        if scaling.difficultyFrontier != nil {
            out += "<p class=\"note\">Bins from the held-out difficulty 1 − the bank's pass@1 (positive controls excluded); per-bin choice and best single strategy chosen on "
                + "one half of the problems, scored on the other (two-fold cross-fitting).</p>"
            out += difficultyFrontierTable.html()
        } else {
            out += "<p class=\"note\">Needs a <code>bank:</code> and at least two strategies at one cap.</p>"
        }
        return out + "</section>\n"
    }
}
