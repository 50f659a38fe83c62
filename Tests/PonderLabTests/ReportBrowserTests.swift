import Foundation
import XCTest
@testable import PonderLab

/// `report.html` as headless Chromium renders it: the page's structure after its scripts ran,
/// the legend's click-to-select, and a screenshot that is not blank.
///
/// Under CI (`CI` set, as `make test` on CI has it; `make test` also installs Chromium) a
/// missing browser fails the test; on a developer's machine without one it is skipped.
final class ReportBrowserTests: XCTestCase {
    /// The synthetic run's plot families: greedy, best-of-n (three swept labels), mcts-step.
    let families = ["greedy", "best-of-n", "mcts-step"]
    /// Series per accuracy plot: one per family and best-of-n's oracle bound.
    let seriesPerPlot = 4

    private func browser() throws -> HeadlessChromium {
        if let chromium = HeadlessChromium.find() { return chromium }
        let message = "no headless browser on PATH (looked for \(HeadlessChromium.names.joined(separator: ", "))): "
            + "`make test` installs Debian's `chromium`, or run `apt-get install chromium`."
        let ci = ProcessInfo.processInfo.environment["CI"] ?? ""
        // a thrown error fails the test: CI must not pass by skipping what it is meant to check
        if !ci.isEmpty && ci != "false" && ci != "0" { throw ChromiumMissing(message: message) }
        throw XCTSkip(message)
    }

    private struct ChromiumMissing: Error, CustomStringConvertible {
        var message: String
        var description: String { "under CI: \(message)" }
    }

    private func writeReport() throws -> URL {
        let folder = try makeTemporaryDirectory(self)
        try ReportFiles.write(try SyntheticRun.sweptAnalysis(problems: 16), to: folder)
        return folder.appendingPathComponent(ReportFiles.html)
    }

    func testRenderedReportHasReadablePlots() throws {
        let chromium = try browser()
        let dom = try chromium.dumpDOM(of: try writeReport())
        XCTAssertTrue(dom.contains("of 16 problems</span>"), "the page's script filled the problem table")

        let plots = try XCTUnwrap(section("plots", in: dom), "no plots section in the rendered DOM")
        let figures: [String] = Array(plots.components(separatedBy: "<figure>").dropFirst())
        XCTAssertGreaterThanOrEqual(figures.count, 4)
        XCTAssertGreaterThanOrEqual(count("<svg", in: plots), 3)
        for (index, figure) in figures.enumerated() {
            let panels = Array(figure.components(separatedBy: "<g class=\"panel\">").dropFirst())
            XCTAssertFalse(panels.isEmpty, "figure \(index) has no plot panel")
            // the three cost axes, then four difficulty panels
            XCTAssertEqual(panels.count, index < 3 ? 1 : 4, "figure \(index)")
            for panel in panels {
                XCTAssertEqual(count("<g class=\"series\"", in: panel), seriesPerPlot, "figure \(index)")
                let title = try XCTUnwrap(texts(of: "x-title", in: panel).first, "figure \(index) has no x-axis title")
                XCTAssertTrue(title.hasSuffix("(log scale)"), "figure \(index): \(title)")
                let ticks = texts(of: "x-tick", in: panel)
                XCTAssertGreaterThanOrEqual(ticks.count, 3, "figure \(index): \(ticks)")
                XCTAssertEqual(Set(ticks).count, ticks.count, "figure \(index) repeats a tick label: \(ticks)")
            }
        }
    }

    func testClickingALegendEntrySelectsItsFamilyInEveryPlot() throws {
        let chromium = try browser()
        let report = try writeReport()
        // the same page with a click on the first plot's best-of-n legend entry after load
        let page = try String(contentsOf: report, encoding: .utf8).replacingOccurrences(of: "</body>", with:
            "<script>document.querySelector('svg.ponder-plot .legend-entry[data-family=\"best-of-n\"]')"
            + ".dispatchEvent(new MouseEvent('click', { bubbles: true }));</script>\n</body>")
        let clicked = report.deletingLastPathComponent().appendingPathComponent("clicked.html")
        try page.write(to: clicked, atomically: true, encoding: .utf8)
        let dom = try chromium.dumpDOM(of: clicked)
        let plots = try XCTUnwrap(section("plots", in: dom))
        XCTAssertEqual(count("class=\"ponder-plot has-selection\"", in: plots), 4, "every plot knows a family is selected")
        // best-of-n's line and oracle bound in 3 plots and 4 difficulty panels
        XCTAssertEqual(count("<g class=\"series selected\" data-series=\"best-of-n", in: plots), 14)
        XCTAssertEqual(count("<g class=\"series selected\"", in: plots), 14, "only best-of-n is selected")
        XCTAssertEqual(count("<g class=\"legend-entry selected\" data-series=\"best-of-n", in: plots), 7)
    }

    func testScreenshotIsTheRequestedSizeAndNotBlank() throws {
        let chromium = try browser()
        let report = try writeReport()
        let folder = report.deletingLastPathComponent()
        let png = folder.appendingPathComponent("report.png"), blank = folder.appendingPathComponent("blank.png")
        let blankPage = folder.appendingPathComponent("blank.html")
        try "<!doctype html><html><body></body></html>".write(to: blankPage, atomically: true, encoding: .utf8)
        try chromium.screenshot(of: report, to: png, width: 1280, height: 2000)
        try chromium.screenshot(of: blankPage, to: blank, width: 1280, height: 2000)
        let data = try Data(contentsOf: png), empty = try Data(contentsOf: blank)
        let size = try XCTUnwrap(pngSize(data), "the screenshot is not a PNG")
        XCTAssertEqual(size.width, 1280)
        XCTAssertEqual(size.height, 2000)
        // Blankness without a PNG decoder: an empty page of the same size compresses to ~12 KB
        // here, the rendered report (text, plots, tables) to well over ten times that.
        XCTAssertGreaterThan(data.count, 8 * empty.count, "the screenshot looks blank (\(data.count) bytes vs \(empty.count) for an empty page)")
        if let keep = ProcessInfo.processInfo.environment["PONDERLAB_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }

    func testABrowserThatHangsIsKilledAtTheTimeout() throws {
        // a stand-in that never finishes, so the test needs no browser and no minute of waiting
        let folder = try makeTemporaryDirectory(self)
        let script = folder.appendingPathComponent("hanging-browser")
        try "#!/bin/sh\nexec /bin/sleep 60\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        var hanging = HeadlessChromium(executable: script)
        hanging.timeout = 0.5
        let start = Date()
        XCTAssertThrowsError(try hanging.dumpDOM(of: folder)) { error in
            guard case HeadlessChromium.Failure.timedOut = error else { return XCTFail("\(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// The HTML of `<section id="…">` up to its end (sections do not nest in the report).
    private func section(_ id: String, in dom: String) -> String? {
        guard let start = dom.range(of: "<section id=\"\(id)\"") else { return nil }
        let end = dom.range(of: "</section>", range: start.upperBound..<dom.endIndex)?.lowerBound ?? dom.endIndex
        return String(dom[start.lowerBound..<end])
    }

    /// The contents of every `<text class="…">` element.
    private func texts(of cssClass: String, in svg: String) -> [String] {
        svg.components(separatedBy: "<text class=\"\(cssClass)\"").dropFirst().compactMap { rest in
            guard let open = rest.firstIndex(of: ">"), let close = rest.range(of: "</text>") else { return nil }
            return String(rest[rest.index(after: open)..<close.lowerBound])
        }
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
