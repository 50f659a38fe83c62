import Foundation
import XCTest
@testable import PonderLab

final class NotebookTests: XCTestCase {
    let notebook = """
        # Ablation

        Accuracy at N = 4:

        ```ponder
        ponder report runs/ablation --format md
        ```

        Some prose.

        ```python
        # not a ponder block, even with a ```ponder line inside
        ```ponder
        ```

        ```ponder output=markdown
        # a comment
        table "with spaces" \\
          --flag
        ```
        """

    /// A fake `ponder`: echoes its argv, with a counter so reruns can change one output.
    final class FakePonder {
        var calls: [[String]] = []
        var version = 1
        func run(_ argv: [String]) throws -> String {
            calls.append(argv)
            if argv.first == "fail" { throw ExperimentConfigError(ConfigIssue(location: SourceLocation(file: "x.yaml"), keyPath: "seeds", problem: "bad.", fix: "fix it.")) }
            if argv.first == "table" { return "| a | b |\n| --- | --- |\n| \(version) | \(argv.dropFirst().joined(separator: ",")) |\n" }
            return "ran: \(argv.joined(separator: " "))\nwith ``` inside\n"
        }
    }

    func testOutputsAreWrittenBelowEachBlockAndRerunsAreIdempotent() throws {
        let fake = FakePonder()
        let runner = NotebookRunner(executor: fake.run)
        let first = try runner.run(markdown: notebook)
        XCTAssertTrue(first.changed)
        XCTAssertFalse(first.failed)
        XCTAssertEqual(fake.calls, [["report", "runs/ablation", "--format", "md"], ["table", "with spaces", "--flag"]])
        XCTAssertTrue(first.markdown.contains("""
            ```ponder
            ponder report runs/ablation --format md
            ```

            <!-- ponder:output:begin -->
            ````text
            ran: report runs/ablation --format md
            with ``` inside
            ````
            <!-- ponder:output:end -->

            Some prose.
            """), first.markdown)
        XCTAssertTrue(first.markdown.contains("""
            <!-- ponder:output:begin -->
            | a | b |
            | --- | --- |
            | 1 | with spaces,--flag |
            <!-- ponder:output:end -->
            """), "markdown output is inserted raw")
        XCTAssertTrue(first.markdown.contains("```python\n# not a ponder block, even with a ```ponder line inside\n```ponder\n```\n"))

        let second = try runner.run(markdown: first.markdown)
        XCTAssertFalse(second.changed, "rerunning with the same outputs changes no bytes")
        XCTAssertEqual(second.markdown, first.markdown)

        fake.version = 2
        let third = try runner.run(markdown: second.markdown)
        XCTAssertTrue(third.changed)
        let changedLines = zip(second.markdown.components(separatedBy: "\n"), third.markdown.components(separatedBy: "\n"))
            .filter { $0 != $1 }
        XCTAssertEqual(changedLines.count, 1, "only the number that moved differs")
        XCTAssertEqual(changedLines.first?.1, "| 2 | with spaces,--flag |")
    }

    func testAFailedBlockRecordsTheErrorAndLaterBlocksAreSkipped() throws {
        let text = "```ponder\nfail now\n```\n\n```ponder\nreport x\n```\n"
        let fake = FakePonder()
        let result = try NotebookRunner(executor: fake.run).run(markdown: text)
        XCTAssertTrue(result.failed)
        XCTAssertEqual(fake.calls.count, 1)
        XCTAssertTrue(result.markdown.contains("error: invalid experiment config: x.yaml: seeds: bad. Fix: fix it."), result.markdown)
        XCTAssertEqual(result.blocks.map(\.status), [.failed("invalid experiment config: x.yaml: seeds: bad. Fix: fix it."), .skipped])
        XCTAssertTrue(result.markdown.contains("skipped: the block at line 1 failed"))
    }

    func testFileIsRewrittenOnlyWhenItChanges() throws {
        let folder = try makeTemporaryDirectory(self)
        let url = folder.appendingPathComponent("nb.md")
        try notebook.write(to: url, atomically: true, encoding: .utf8)
        let runner = NotebookRunner(executor: FakePonder().run)
        XCTAssertTrue(try runner.run(file: url).changed)
        let written = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(written.contains(NotebookRunner.endMarker))
        XCTAssertFalse(try runner.run(file: url).changed)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), written)
    }

    func testMalformedNotebooksAreRejectedBeforeRunning() {
        let fake = FakePonder()
        let runner = NotebookRunner(executor: fake.run)
        XCTAssertThrowsError(try runner.run(markdown: "```ponder\nreport\n")) {
            XCTAssertEqual($0 as? NotebookError, .unterminatedFence(file: "notebook.md", line: 1))
        }
        XCTAssertThrowsError(try runner.run(markdown: "```ponder\nreport\n```\n\(NotebookRunner.beginMarker)\nold\n"))
        XCTAssertTrue(fake.calls.isEmpty)
    }

    func testCommandSplitting() throws {
        XCTAssertEqual(try CommandLineSplitter.split(#"run "a b" 'c "d"' e\ f "x\"y""#), ["run", "a b", "c \"d\"", "e f", "x\"y"])
        XCTAssertEqual(try CommandLineSplitter.split("  report   ''  "), ["report", ""])
        XCTAssertThrowsError(try CommandLineSplitter.split("run 'open"))
    }
}
