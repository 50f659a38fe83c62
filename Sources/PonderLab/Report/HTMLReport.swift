import Foundation

/// Size limits for the embedded data of `report.html`, so a large run still opens quickly.
public struct HTMLReportOptions: Sendable, Hashable {
    /// Completions longer than this are cut (the full text stays in the database).
    public var maxCompletionCharacters: Int
    /// At most this many search trees are embedded (the first ones in trial order).
    public var maxTrees: Int

    public init(maxCompletionCharacters: Int = 4000, maxTrees: Int = 200) {
        self.maxCompletionCharacters = maxCompletionCharacters
        self.maxTrees = maxTrees
    }
}

extension RunAnalysis {
    /// `report.html`: one self-contained file (inline CSS, JS and SVG; no network) with the
    /// plots, sortable tables, a per-problem drill-down and a search-tree viewer.
    public func htmlReport(options: HTMLReportOptions = HTMLReportOptions()) -> String {
        let title = SVGText.escape("\(run?.name ?? "Run") — results")
        var out = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(title)</title>\n<style>\n\(HTMLAssets.css)\n</style>\n</head>\n<body>\n"
        out += "<header><h1>\(title)</h1><div class=\"meta\">"
        if let run {
            out += "run <code>\(SVGText.escape(String(run.runID.prefix(16))))</code> · model <code>\(SVGText.escape(String(run.modelVersion.prefix(12))))</code>"
                + " · code <code>\(SVGText.escape(run.codeVersion))</code> · started \(SVGText.escape(Timestamp.format(run.createdAt))) · "
        }
        let problemCount = Set(trials.map(\.problemIndex)).count
        out += "\(trials.count) trials · \(problemCount) problems · \(strategies.count) strategies</div></header>\n"
        out += "<nav><a href=\"#plots\">Plots</a><a href=\"#summary\">Summary</a><a href=\"#frontier\">Frontier</a><a href=\"#scaling\">Scaling</a>"
            + "<a href=\"#comparisons\">Comparisons</a><a href=\"#difficulty\">Difficulty</a>"
            + "<a href=\"#problems\">Problems</a><a href=\"#trees\">Trees</a></nav>\n<main>\n"

        out += "<section id=\"plots\"><h2>Accuracy against compute</h2>"
        out += "<p class=\"note\">Bands are Wilson 95% intervals; dashed lines are oracle pass@N upper bounds (any candidate correct), not results a selection rule achieved. "
            + "One curve per strategy family; hover a line, or click a legend entry, to highlight it (point tooltips name the exact strategy and budget).</p>"
        out += "<div class=\"plots\">"
        for axis in CostAxis.allCases {
            out += "<figure>\(accuracyPlot(axis: axis).svg())</figure>"
        }
        out += "<figure>\(difficultyPanelsSVG())</figure></div></section>\n"

        out += "<section id=\"summary\"><h2>Summary</h2>"
        out += summaryTable.html() + "</section>\n"

        out += "<section id=\"frontier\"><h2>Compute-optimal frontier</h2>"
        out += "<p class=\"note\">The best verifier-hidden strategy at each compute level: the monotone upper envelope of all points by mean FLOPs (positive controls left out).</p>"
        out += frontierTable.html() + "</section>\n"

        out += scalingHTML()

        out += "<section id=\"comparisons\"><h2>Paired comparisons at matched budget caps</h2>"
        out += "<p class=\"note\">Δ = first − second over matched (problem, seed) pairs; paired bootstrap 95% interval over problems; exact two-sided McNemar p.</p>"
        out += comparisonTable.html() + "</section>\n"

        out += "<section id=\"difficulty\"><h2>By difficulty</h2>"
        if byDifficulty.isEmpty { out += "<p class=\"note\">The task recorded no difficulty for these problems.</p>" }
        for breakdown in byDifficulty {
            out += "<h3>Difficulty \(SVGText.escape(breakdown.bin.label))</h3>"
            out += difficultyTable(breakdown).html()
        }
        out += "</section>\n"

        out += "<section id=\"problems\"><h2>Problems</h2>"
        out += "<p class=\"note\">Each cell is correct/total trials of that strategy over budgets and seeds. Click a problem to see its trials, answers and outputs.</p>"
        out += "<div class=\"controls\"><input type=\"search\" id=\"problem-filter\" placeholder=\"filter by problem id\">"
            + "<label><input type=\"checkbox\" id=\"disagree-only\"> only problems where trials disagree</label>"
            + "<span id=\"problem-count\" class=\"muted\"></span></div>"
        out += "<table id=\"problem-table\" class=\"sortable\"><thead><tr><th>problem</th><th>difficulty</th>"
        for strategy in strategies { out += "<th>\(SVGText.escape(strategy))</th>" }
        out += "</tr></thead><tbody></tbody></table></section>\n"

        out += "<section id=\"trees\"><h2>Search trees</h2>"
        out += "<div id=\"tree-view\"><p class=\"note\">No search tree stored for this run; strategies that build trees (MCTS, beam) store them with each trial. Use the “tree” button in a problem's trials.</p></div></section>\n"
        out += "</main>\n"
        out += "<script type=\"application/json\" id=\"ponder-data\">\(htmlPayload(options: options).canonicalJSON)</script>\n"
        out += "<script>\n\(HTMLAssets.script)\n</script>\n<script>\n\(HTMLAssets.plotScript)\n</script>\n</body>\n</html>\n"
        return out
    }

    /// The data the page's script reads. Serialized by `ConfigValue.canonicalJSON`, which
    /// escapes `<`, so no stored text can close the `<script>` element.
    func htmlPayload(options: HTMLReportOptions) -> ConfigValue {
        var problems: [Int: (id: String, difficulty: Double?)] = [:]
        for trial in trials where problems[trial.problemIndex] == nil {
            problems[trial.problemIndex] = (trial.problemID, trial.difficulty)
        }
        var trees: [ConfigValue] = []
        let trialValues: [ConfigValue] = trials.map { t in
            var treeIndex = ConfigValue.null
            if let json = t.treeJSON, trees.count < options.maxTrees, let tree = TreeViewNode.parse(json) {
                treeIndex = .int(trees.count)
                trees.append(tree.canonicalValue)
            }
            let truncated = t.completion.count > options.maxCompletionCharacters
            return .map([
                "p": .int(t.problemIndex), "pid": .string(t.problemID), "s": .string(t.strategy),
                "b": .string("\(t.budget)"), "seed": .int(t.seed), "answer": t.answer.map(ConfigValue.string) ?? .null,
                "correct": .bool(t.correct), "flops": .double(t.ledger.flops), "tokens": .int(t.generatedTokens),
                "secs": .double(t.ledger.wallSeconds),
                "cands": t.candidateCount.map { .list([.int($0), .int(t.candidatesCorrect ?? 0)]) } ?? .null,
                "completion": .string(truncated ? String(t.completion.prefix(options.maxCompletionCharacters)) : t.completion),
                "truncated": .bool(truncated), "tree": treeIndex,
            ])
        }
        return .map([
            "strategies": .list(strategies.map(ConfigValue.string)),
            "problems": .list(problems.keys.sorted().map { index in
                let problem = problems[index]
                return .map(["index": .int(index), "id": .string(problem?.id ?? String(index)),
                             "difficulty": problem?.difficulty.map(ConfigValue.double) ?? .null])
            }),
            "trials": .list(trialValues),
            "trees": .list(trees),
        ])
    }
}
