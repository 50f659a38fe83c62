import Foundation
import XCTest
import PonderTasks
@testable import PonderTrain

/// Training configs name task options as experiment configs do; the old names still load,
/// with a warning saying what to rename.
final class TrainingTaskOptionsTests: XCTestCase {
    private func parse(_ task: String) throws -> SFTConfig {
        try SFTConfig.parse("task:\n" + task.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n",
                            file: "train.yaml")
    }

    func testExperimentConfigNamesConfigureTheTask() throws {
        let config = try parse("name: countdown\nnumbers: 3\nheld_out_share: 0.2\ntrain_problems: 5")
        XCTAssertTrue(config.warnings.isEmpty)
        let countdown = try CountdownConfig(options: config.task.taskOptions())
        XCTAssertEqual(countdown.numberCounts, 3...3)
        XCTAssertEqual(countdown.heldOutTargetShare, 0.2)
        XCTAssertEqual(config.task.style, "compact")
        XCTAssertEqual(try SFTRun.makeTask(config.task).name, "countdown")
    }

    func testOldNamesLoadWithAWarningAndBothSpellingsAreRefused() throws {
        let old = try parse("number_counts: [3, 4]\nheld_out_target_share: 0.1")
        XCTAssertEqual(old.task.options["numbers"], .list([.int(3), .int(4)]))
        XCTAssertEqual(old.task.options["held_out_share"], .double(0.1))
        XCTAssertEqual(old.warnings.count, 2)
        XCTAssertTrue(old.warnings.contains { $0.contains("task.number_counts is the old name of task.numbers") }, "\(old.warnings)")
        XCTAssertEqual(old.task, try parse("numbers: [3, 4]\nheld_out_share: 0.1").task, "the same settings")
        XCTAssertEqual(old.fingerprint, try parse("numbers: [3, 4]\nheld_out_share: 0.1").fingerprint)
        XCTAssertThrowsError(try parse("numbers: 3\nnumber_counts: 3")) { error in
            XCTAssertTrue("\(error)".contains("keep only `numbers`"), "\(error)")
        }
    }

    func testBadTaskOptionsNameTheirKeyUnderTask() throws {
        XCTAssertThrowsError(try parse("numbers: 9")) { error in
            XCTAssertTrue("\(error)".contains("task.numbers:"), "\(error)")
        }
        XCTAssertThrowsError(try parse("nmbers: 3")) { error in
            XCTAssertTrue("\(error)".contains("task.nmbers:"), "\(error)")
        }
        XCTAssertThrowsError(try parse("name: sudoku")) { error in
            XCTAssertTrue("\(error)".contains("countdown, gsm8k, math, multiplication"), "\(error)")
        }
        let product = try parse("name: multiplication\ndigits: 2")
        XCTAssertEqual(try SFTRun.makeTask(product.task).problems(split: .test, count: 3, seed: 0).count, 3)
    }
}
