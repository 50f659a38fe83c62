import XCTest
@testable import PonderLab

/// One table model, three renderings: the terminal, `report.md` and `report.html` show the same
/// columns (the terminal less the report-only ones) with the same cell texts.
final class ReportTableTests: XCTestCase {
    private struct Row { var name: String; var score: Double }

    private func table() -> ReportTable {
        ReportTable([Row(name: "a|b", score: 0.5), Row(name: "long name", score: 12)], columns: [
            .text("name", \.name),
            .number("score", \.score) { String(format: "%.1f", $0.score) },
            .text("note", terminal: false) { _ in "report only" },
        ])
    }

    func testMarkdownEscapesPipesAndRightAlignsNumbers() {
        XCTAssertEqual(table().markdown(), """
            | name | score | note |
            | --- | ---: | --- |
            | a\\|b | 0.5 | report only |
            | long name | 12.0 | report only |

            """)
    }

    func testHTMLCellsSortByTheirNumber() {
        let html = table().html()
        XCTAssertTrue(html.hasPrefix("<table class=\"sortable\"><thead><tr><th>name</th><th>score</th><th>note</th></tr>"))
        XCTAssertTrue(html.contains("<td>a|b</td><td class=\"num\" data-sort=\"0.5\">0.5</td><td>report only</td>"))
    }

    func testPlainTextPadsColumnsAndLeavesOutReportOnlyOnes() {
        XCTAssertEqual(table().plainText(), """
            name       score
            a|b          0.5
            long name   12.0
            """)
    }

    /// Every table of a run renders with the same headings in all three forms.
    func testTheRunTablesShareTheirHeadingsAcrossRenderings() throws {
        let analysis = try SyntheticRun.sweptAnalysis()
        for table in [analysis.summaryTable, analysis.frontierTable, analysis.comparisonTable, analysis.bankTable,
                      analysis.difficultyFrontierTable] {
            let titles = table.columns.map(\.title)
            XCTAssertTrue(table.markdown().hasPrefix("| " + titles.joined(separator: " | ") + " |"))
            XCTAssertTrue(table.html().contains(titles.map { "<th>\(SVGText.escape($0))</th>" }.joined()))
            let terminal = table.columns.filter(\.terminal).map(\.title)
            let header = table.plainText().split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            XCTAssertEqual(header.split(separator: " ").joined(separator: " "),
                           terminal.joined(separator: " ").split(separator: " ").joined(separator: " "))
        }
        let report = analysis.markdownReport(), html = analysis.htmlReport()
        XCTAssertTrue(report.contains(analysis.summaryTable.markdown()))
        XCTAssertTrue(html.contains(analysis.summaryTable.html()))
        let summary = analysis.terminalSummary(paired: true)
        XCTAssertTrue(summary.hasPrefix(analysis.summaryTable.plainText()))
        XCTAssertTrue(summary.contains("paired at matched caps"))
    }
}
