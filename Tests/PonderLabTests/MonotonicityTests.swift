import PonderSearch
import XCTest
@testable import PonderLab

final class MonotonicityTests: XCTestCase {
    func point(_ family: String, _ budget: Double, _ correct: Int, of trials: Int = 100,
               kind: Budget.Unit = .samples) -> CurveObservation {
        CurveObservation(family: family, budget: BudgetPoint(kind: kind, value: budget), correct: correct, trials: trials)
    }

    func testAFallingCurveIsFlagged() throws {
        // 80 % → 60 % → 55 % over 100 trials each: Wilson half-widths ≈ 7.7 and 9.5 points
        let findings = try MonotonicityCheck.findings([point("bon", 4, 80), point("bon", 16, 60), point("bon", 64, 55)])
        XCTAssertEqual(findings.map(\.toBudget.value), [16, 64])
        XCTAssertEqual(findings.map(\.fromBudget.value), [4, 4], "each measured against the earlier point it falls furthest from")
        let first = try XCTUnwrap(findings.first)
        XCTAssertEqual(first.family, "bon")
        XCTAssertEqual(first.fromAccuracy, 0.8)
        XCTAssertEqual(first.toAccuracy, 0.6)
        XCTAssertEqual(first.drop, 0.2, accuracy: 1e-12)
        let wilson = try Proportion.wilson(successes: 60, trials: 100)
        XCTAssertEqual(first.threshold, (wilson.high - wilson.low) / 2, accuracy: 1e-12, "the wider of the two")
        XCTAssertTrue(first.description.contains("bon: accuracy falls from 80.0% at samples=4 to 60.0% at samples=16"), first.description)
    }

    func testNoiseWithinTheIntervalIsNotFlagged() throws {
        // dips of 5 points on 100 trials, and a rising curve
        let curves = [point("beam", 4, 60), point("beam", 16, 55), point("beam", 64, 58),
                      point("mcts", 4, 20), point("mcts", 16, 40), point("mcts", 64, 70)]
        XCTAssertEqual(try MonotonicityCheck.findings(curves), [])
        // the same 5-point dip is real on 10,000 trials
        XCTAssertEqual(try MonotonicityCheck.findings([point("beam", 4, 6000, of: 10_000), point("beam", 16, 5500, of: 10_000)]).count, 1)
    }

    func testFamiliesAndBudgetKindsAreSeparateCurves() throws {
        // out of order on input; a fall only across families or kinds is no fall
        let curves = [point("b", 16, 90), point("a", 16, 90), point("a", 4, 10), point("b", 4, 10),
                      point("a", 1e12, 20, kind: .flops), point("c", 4, 95), point("c", 8, 20)]
        let findings = try MonotonicityCheck.findings(curves)
        XCTAssertEqual(findings.map(\.family), ["c"])
        XCTAssertThrowsError(try MonotonicityCheck.findings([point("a", 4, 10), point("a", 4, 20)]))
    }

    func testRunCurvesFromTrials() throws {
        var trials: [TrialRecord] = []
        for p in 0..<60 {
            trials.append(makeTrial(problem: p, strategy: "bon", budget: 4, correct: p % 10 < 8))
            trials.append(makeTrial(problem: p, strategy: "bon", budget: 16, correct: p % 10 < 4))
        }
        let analysis = try RunAnalysis(trials: trials)
        let findings = try MonotonicityCheck.findings(analysis.curves)
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings.first?.fromAccuracy, 0.8)
        XCTAssertEqual(findings.first?.toAccuracy, 0.4)
    }
}
