import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML // XMLParser lives here on Linux
#endif
@testable import PonderLab

final class ReportTests: XCTestCase {
    func testCSVQuotingFollowsRFC4180() {
        XCTAssertEqual(CSV.field("plain"), "plain")
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(CSV.field("crlf\r\nend"), "\"crlf\r\nend\"")
        let table = CSV.table(header: ["a", "b"], rows: [["1", "x,\"y\"\nz"], ["", "2"]])
        XCTAssertEqual(table, "a,b\r\n1,\"x,\"\"y\"\"\nz\"\r\n,2\r\n")
        XCTAssertEqual(CSV.parse(table), [["a", "b"], ["1", "x,\"y\"\nz"], ["", "2"]])
        XCTAssertEqual(CSV.number(0.5), "0.5")
        XCTAssertEqual(CSV.number(2e12), "2000000000000")
    }

    func testCurvesCSVHasOneRowPerStrategyAndBudget() throws {
        let analysis = try RunAnalysis(trials: SyntheticRun.trials(problems: 12), run: SyntheticRun.run)
        let rows = CSV.parse(analysis.curvesCSV())
        let header = try XCTUnwrap(rows.first)
        for column in ["strategy", "budget", "n", "accuracy", "ci_low", "ci_high", "mean_flops",
                       "mean_generated_tokens", "mean_seconds", "bootstrap_low", "bootstrap_high", "reward_combined"] {
            XCTAssertTrue(header.contains(column), column)
        }
        XCTAssertEqual(rows.count - 1, 6)
        let column = { (name: String) in header.firstIndex(of: name) ?? -1 }
        let greedy = try XCTUnwrap(rows.first { $0[0] == "greedy" })
        XCTAssertEqual(greedy[column("n")], "24")
        let trials = analysis.trials.filter { $0.strategy == "greedy" }
        let accuracy = Double(trials.filter(\.correct).count) / 24
        XCTAssertEqual(Double(greedy[column("accuracy")]) ?? -1, accuracy, accuracy: 1e-6)
        XCTAssertLessThanOrEqual(Double(greedy[column("ci_low")]) ?? 2, accuracy)
        XCTAssertGreaterThanOrEqual(Double(greedy[column("ci_high")]) ?? -1, accuracy)
        // oracle pass@N only where candidates were recorded
        let bon = try XCTUnwrap(rows.first { $0[0] == "best-of-n" && $0[column("budget")] == "16" })
        XCTAssertFalse(bon[column("oracle_pass_at_n")].isEmpty)
        XCTAssertTrue(greedy[column("oracle_pass_at_n")].isEmpty)
    }

    func testTrialsCSVRoundTripsAwkwardAnswers() throws {
        let analysis = try RunAnalysis(trials: SyntheticRun.trials(problems: 3), run: SyntheticRun.run)
        let rows = CSV.parse(analysis.trialsCSV())
        XCTAssertEqual(rows.count - 1, analysis.trials.count)
        let answerColumn = try XCTUnwrap(rows[0].firstIndex(of: "answer"))
        XCTAssertEqual(Set(rows.dropFirst().map { $0[answerColumn] }), Set(analysis.trials.map { $0.answer ?? "" }))
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.count == rows[0].count })
    }

    func testSVGPlotHasOneLinePerStrategyWithLegendAndDashedOracle() throws {
        let analysis = try RunAnalysis(trials: SyntheticRun.trials(problems: 12), run: SyntheticRun.run)
        let svg = analysis.accuracyPlot(axis: .flops).svg()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(count("<g class=\"series\"", in: svg), 4, "3 strategies + 1 oracle line, one group each")
        XCTAssertEqual(count("<polyline class=\"line\"", in: svg), 4)
        XCTAssertEqual(count("stroke-dasharray", in: svg), 2, "oracle line and its legend swatch")
        XCTAssertTrue(svg.contains("(log scale)"))
        XCTAssertTrue(svg.contains(">best-of-n · oracle pass@N (upper bound)</text>"))
        XCTAssertEqual(count("<polygon class=\"band\"", in: svg), 2, "a CI band per multi-point strategy")
        XCTAssertEqual(count("fill-opacity=\"0.07\"", in: svg), 2, "bands are faint until highlighted")
        XCTAssertTrue(svg.contains("stroke-width=\"6\" stroke-opacity=\"0.15\""), "greedy's single point gets an interval bar")
        XCTAssertTrue(svg.contains("<g class=\"series\" data-series=\"greedy\" data-family=\"greedy\">"))
        // standalone files highlight on hover with their own stylesheet, no script
        XCTAssertTrue(svg.contains("<style>") && svg.contains(".series:hover"))
        XCTAssertFalse(svg.contains("<script"))
        let panels = analysis.difficultyPanelsSVG()
        XCTAssertEqual(count("difficulty d=", in: panels), 4)
        XCTAssertEqual(count("<g class=\"panel\">", in: panels), 4)
        XCTAssertEqual(count("<g class=\"series\"", in: panels), 16)
        XCTAssertFalse(panels.contains("<script"))
    }

    func testStandaloneSVGIsWellFormedXML() throws {
        let analysis = try SyntheticRun.sweptAnalysis()
        for svg in CostAxis.allCases.map({ analysis.accuracyPlot(axis: $0).svg() }) + [analysis.difficultyPanelsSVG()] {
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), parser.parserError.map { "\($0)" } ?? "")
        }
    }

    func testPlotsDrawOneCurvePerFamilyWithExactLabelsInTooltips() throws {
        let analysis = try SyntheticRun.sweptAnalysis()
        XCTAssertEqual(analysis.strategies, ["greedy", "best-of-n (n=1)", "best-of-n (n=4)", "best-of-n (n=16)", "mcts-step"])
        XCTAssertEqual(analysis.families, ["greedy", "best-of-n", "mcts-step"])
        let series = analysis.accuracySeries(analysis.curves, axis: .flops)
        XCTAssertEqual(series.map(\.label), ["greedy", "best-of-n", "mcts-step", "best-of-n · oracle pass@N (upper bound)"])
        let family = try XCTUnwrap(series.first { $0.label == "best-of-n" })
        XCTAssertEqual(family.points.count, 3)
        XCTAssertEqual(Set(series.filter { $0.family == "best-of-n" }.map(\.color)).count, 1, "a family keeps one colour")
        let svg = analysis.accuracyPlot(axis: .flops).svg()
        XCTAssertEqual(count("<g class=\"series\"", in: svg), 4)
        XCTAssertTrue(svg.contains("<title>best-of-n (n=4) · samples=4: "), "a point's tooltip names its label and budget")
        // issue 11: 0.010–0.022 s wall times made a linear axis labelled 0.01, 0.01, 0.01, 0.02
        let seconds = analysis.accuracyPlot(axis: .seconds).svg()
        XCTAssertTrue(seconds.contains("mean wall seconds per trial (log scale)"))
        let ticks = seconds.components(separatedBy: "<text class=\"x-tick\"").dropFirst().compactMap {
            $0.split(separator: ">").dropFirst().first?.split(separator: "<").first.map(String.init)
        }
        XCTAssertGreaterThanOrEqual(ticks.count, 3, "\(ticks)")
        XCTAssertEqual(Set(ticks).count, ticks.count, "\(ticks)")
        // the tables stay per strategy label
        let html = analysis.htmlReport()
        XCTAssertTrue(html.contains("<td>best-of-n (n=16)</td>"))
        XCTAssertTrue(analysis.markdownReport().contains("| best-of-n (n=4) |"))
    }

    func testReportHTMLSelectsAFamilyFromTheLegend() throws {
        let html = try SyntheticRun.sweptAnalysis().htmlReport()
        XCTAssertTrue(html.contains(HTMLAssets.plotScript))
        XCTAssertTrue(html.contains("<g class=\"legend-entry\" data-series=\"best-of-n\" data-family=\"best-of-n\">"))
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    func testMarkdownReportSections() throws {
        let analysis = try RunAnalysis(trials: SyntheticRun.trials(problems: 12), run: SyntheticRun.run)
        let markdown = analysis.markdownReport()
        for heading in ["## Summary", "## Compute-optimal frontier", "## Paired comparisons", "## By difficulty",
                        "### Difficulty d=4", "](accuracy-vs-flops.svg)"] {
            XCTAssertTrue(markdown.contains(heading), heading)
        }
        // 3 strategies share samples=4 and samples=16 pairwise only for best-of-n vs mcts-step, and
        // greedy vs best-of-n at samples=1
        XCTAssertEqual(analysis.comparisons.count, 3)
    }

    func testHTMLIsSelfContainedAndEscapesStoredText() throws {
        let analysis = try RunAnalysis(trials: SyntheticRun.trials(problems: 6), run: SyntheticRun.run)
        let html = analysis.htmlReport()
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertFalse(html.contains("<script src"))
        XCTAssertFalse(html.contains("<link"))
        // the completion holds "</script><b>": inside the JSON payload "<" must be escaped
        let payloadStart = try XCTUnwrap(html.range(of: "<script type=\"application/json\" id=\"ponder-data\">"))
        let payloadEnd = try XCTUnwrap(html.range(of: "</script>", range: payloadStart.upperBound..<html.endIndex))
        let payload = String(html[payloadStart.upperBound..<payloadEnd.lowerBound])
        XCTAssertTrue(payload.contains("\\u003c/script>\\u003cb>not bold"))
        let decoded = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any]
        XCTAssertEqual((decoded?["trials"] as? [Any])?.count, analysis.trials.count)
        XCTAssertEqual((decoded?["trees"] as? [Any])?.count, 12, "6 problems × 2 budgets of mcts-step at seed 0")
    }

    func testTreeDecodingIsTolerant() throws {
        let tree = try XCTUnwrap(TreeViewNode.parse(SyntheticRun.treeJSON(problem: 3, budget: 4)))
        XCTAssertEqual(tree.id, "root-3")
        XCTAssertEqual(tree.nodeCount, 6)
        XCTAssertEqual(tree.depth, 2)
        XCTAssertEqual(tree.children[0].id, "2")
        XCTAssertEqual(tree.children[0].prior, 0.6)
        let odd = try XCTUnwrap(TreeViewNode.parse("{\"visits\":\"many\",\"text\":5,\"children\":[{\"value\":0.5}]}"))
        XCTAssertNil(odd.visits)
        XCTAssertNil(odd.text)
        XCTAssertEqual(odd.children.first?.value, 0.5)
        XCTAssertNil(TreeViewNode.parse("[1, 2]"))
    }

    func testReportFilesFromARunFolder() throws {
        let folder = try makeTemporaryDirectory(self)
        let store = try ResultsStore(runFolder: folder)
        try store.register(run: SyntheticRun.run)
        for trial in SyntheticRun.trials(problems: 8) { try store.insert(trial) }
        let written = try ReportFiles.write(runFolder: folder)
        XCTAssertEqual(Set(written.map(\.lastPathComponent)), [
            "curves.csv", "trials.csv", "accuracy-vs-flops.svg", "accuracy-vs-tokens.svg",
            "accuracy-vs-seconds.svg", "accuracy-by-difficulty.svg", "report.md", "report.html"])
        let first = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        try ReportFiles.write(runFolder: folder)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8), first,
                       "regenerating an unchanged run changes no bytes")
        XCTAssertThrowsError(try ReportFiles.write(runFolder: folder.appendingPathComponent("missing")))

        // A preview for looking at the page in a browser by hand (not needed by the test).
        if let preview = ProcessInfo.processInfo.environment["PONDERLAB_REPORT_PREVIEW"] {
            let analysis = try RunAnalysis(trials: SyntheticRun.trials(), run: SyntheticRun.run)
            try ReportFiles.write(analysis, to: URL(fileURLWithPath: preview))
        }
    }
}
