import Foundation
import XCTest
@testable import PonderLab

final class ProgressTests: XCTestCase {
    final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        var now = 0.0
        func write(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var output: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    func testPlainLinesAreWrittenPeriodicallyWithAccuracyAndETA() {
        let capture = Capture()
        let progress = ProgressReporter(total: 10, alreadyDone: 2, style: .lines(interval: 5),
                                        clock: { capture.now }, sink: capture.write)
        for i in 0..<4 {
            capture.now += 2  // 2 s per trial
            progress.record(correct: i % 2 == 0)
        }
        let snapshot = progress.snapshot
        XCTAssertEqual(snapshot.done, 6)
        XCTAssertEqual(snapshot.accuracy, 0.5)
        XCTAssertEqual(snapshot.etaSeconds ?? -1, 8, accuracy: 1e-9, "4 left at 2 s each; skipped trials do not count toward the rate")
        progress.finish()
        let lines = capture.output.split(separator: "\n")
        // first record draws (never drawn before), the next at ≥ 5 s later, then the final line
        XCTAssertEqual(lines.count, 3, capture.output)
        XCTAssertEqual(String(lines[0]), "ponder: 3/10 trials (30%), accuracy 100.0% so far, 2s elapsed, ETA 14s")
        XCTAssertTrue(lines[2].hasSuffix("8s elapsed, done"))
        XCTAssertFalse(capture.output.contains("\r"), "no carriage returns outside a terminal")
    }

    func testBarRedrawsInPlace() {
        let capture = Capture()
        let progress = ProgressReporter(total: 4, style: .bar, clock: { capture.now }, sink: capture.write)
        for _ in 0..<4 { capture.now += 1; progress.record(correct: true) }
        progress.finish()
        XCTAssertTrue(capture.output.hasPrefix("\rponder [██████░░░░░░░░░░░░░░░░░░] 1/4  25%  acc 100.0%  ETA 3s\u{1B}[K"), capture.output)
        XCTAssertTrue(capture.output.hasSuffix("\n"))
        XCTAssertEqual(ProgressReporter.duration(3725), "1h02m")
        XCTAssertEqual(ProgressReporter.duration(192), "3m12s")
    }
}
