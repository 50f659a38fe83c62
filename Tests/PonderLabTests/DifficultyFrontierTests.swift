import XCTest
@testable import PonderLab

final class DifficultyFrontierTests: XCTestCase {
    /// 200 problems, difficulty = index / 200 (five quantile bins of 40). X solves the easy
    /// 60 % and one hard problem in ten (64 % overall); Y solves the hard 40 % and three easy
    /// ones in four (85 %): Y is the best single strategy, X the best on the three easy bins.
    func specialists(budget: Double = 4, flops: Double = 4e9) -> (trials: [TrialRecord], difficulty: [Int: Double]) {
        var trials: [TrialRecord] = [], difficulty: [Int: Double] = [:]
        for p in 0..<200 {
            let d = Double(p) / 200
            difficulty[p] = d
            let easy = d < 0.6
            trials.append(makeTrial(problem: p, strategy: "X", budget: budget, correct: easy || p % 10 == 0, flops: flops))
            trials.append(makeTrial(problem: p, strategy: "Y", budget: budget, correct: !easy || p % 4 != 0, flops: flops))
        }
        return (trials, difficulty)
    }

    func testPerBinChoicePicksTheSpecialistsAndBeatsTheBestSingle() throws {
        let (trials, difficulty) = specialists()
        for seed: UInt64 in [0, 1, 2] {
            let report = try DifficultyFrontier.analyze(trials, difficulty: difficulty,
                                                        options: DifficultyFrontierOptions(splitSeed: seed))
            XCTAssertEqual(report.bins.count, 5)
            let point = try XCTUnwrap(report.points.first)
            XCTAssertEqual(point.problems, 200, "every problem scored once")
            XCTAssertEqual(point.choices.map(\.chosen), [["X", "X"], ["X", "X"], ["X", "X"], ["Y", "Y"], ["Y", "Y"]])
            XCTAssertEqual(point.singleChoice, ["Y", "Y"])
            XCTAssertEqual(point.perBinAccuracy.estimate, 1)
            XCTAssertEqual(point.singleAccuracy.estimate, 0.85)
            XCTAssertGreaterThan(point.advantage.low, 0.08, "a clear win, paired over problems")
            // no single strategy ever gets to 100 %
            XCTAssertEqual(point.saving, .notReached(bestSingleAccuracy: 0.85))
        }
    }

    /// With one strategy the per-bin choice is that strategy: same accuracy, same spend, 1×.
    func testOneStrategySavesNothing() throws {
        var trials: [TrialRecord] = [], difficulty: [Int: Double] = [:]
        for p in 0..<50 {
            difficulty[p] = Double(p % 10) / 10
            for (budget, flops) in [(4.0, 4e9), (16.0, 1.6e10)] {
                // two seeds averaged per problem
                trials.append(makeTrial(problem: p, strategy: "bon", budget: budget, seed: 0, correct: p % 3 != 0, flops: flops))
                trials.append(makeTrial(problem: p, strategy: "bon", budget: budget, seed: 1,
                                        correct: budget > 4 && p % 2 == 0, flops: flops * 1.5))
            }
        }
        trials.append(makeTrial(problem: 99, strategy: "bon", correct: true))  // no held-out difficulty
        let report = try DifficultyFrontier.analyze(trials, difficulty: difficulty)
        XCTAssertEqual(report.unratedProblems, 1)
        XCTAssertEqual(report.points.count, 2)
        for point in report.points {
            XCTAssertEqual(point.problems, 50)
            XCTAssertEqual(point.perBinAccuracy, point.singleAccuracy)
            XCTAssertEqual(point.perBinMeanFlops, point.singleMeanFlops)
            XCTAssertEqual(point.saving.factor, 1)
            XCTAssertTrue(point.choices.allSatisfy { $0.chosen == ["bon", "bon"] })
        }
        XCTAssertEqual(report.points[0].perBinMeanFlops, 5e9, "seeds averaged: (4 + 6) / 2 GFLOPs")
        XCTAssertEqual(report.singleCurve.map(\.budget.value), [4, 16])
    }

    func testSavingInterpolatesInLogFlops() {
        let curve = [
            FrontierPoint(strategy: "a", budget: BudgetPoint(kind: .samples, value: 1), meanFlops: 1e9, accuracy: 0.5),
            FrontierPoint(strategy: "b", budget: BudgetPoint(kind: .samples, value: 4), meanFlops: 1e11, accuracy: 0.9),
        ]
        // halfway in accuracy is halfway in log FLOPs: 1e10, against a per-bin spend of 1e9
        let middle = DifficultyFrontier.saving(accuracy: 0.7, spend: 1e9, along: curve)
        XCTAssertEqual(middle.factor ?? 0, 10, accuracy: 1e-9)
        XCTAssertEqual(DifficultyFrontier.saving(accuracy: 0.9, spend: 2e10, along: curve).factor ?? 0, 5, accuracy: 1e-9)
        XCTAssertEqual(DifficultyFrontier.saving(accuracy: 0.95, spend: 1e9, along: curve), .notReached(bestSingleAccuracy: 0.9))
        XCTAssertEqual(DifficultyFrontier.saving(accuracy: 0.4, spend: 5e8, along: curve), .belowCurve(cheapestFlops: 1e9, factor: 2))
        XCTAssertNil(DifficultyFrontier.saving(accuracy: 0.4, spend: 5e8, along: curve).factor)
    }

    /// A cheap specialist pair against an expensive generalist: the per-bin choice at the
    /// cheap budget matches what the generalist needs far more compute for.
    func testComputeSavedAgainstAnExpensiveGeneralist() throws {
        var (trials, difficulty) = specialists(budget: 4, flops: 4e9)
        for p in 0..<200 {
            trials.append(makeTrial(problem: p, strategy: "G", budget: 64, correct: true, flops: 6.4e10))
        }
        let report = try DifficultyFrontier.analyze(trials, difficulty: difficulty)
        let cheap = try XCTUnwrap(report.points.first { $0.budget.value == 4 })
        XCTAssertEqual(cheap.perBinAccuracy.estimate, 1)
        // G reaches 100 % only at its own 64 GFLOPs: 16× the per-bin choice's 4 GFLOPs
        XCTAssertEqual(cheap.saving.factor ?? 0, 16, accuracy: 1e-9)
    }

    func testSplitIsBalancedPerBinAndSeeded() {
        let bins = Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, $0 % 4) })
        let fold = DifficultyFrontier.split(Array(0..<100), bins: bins, seed: 3)
        for bin in 0..<4 {
            XCTAssertEqual((0..<100).filter { bins[$0] == bin && fold[$0] == 0 }.count, 13, "25 per bin: 13 and 12")
        }
        XCTAssertEqual(DifficultyFrontier.split(Array(0..<100).reversed(), bins: bins, seed: 3), fold, "order-free")
        XCTAssertNotEqual(DifficultyFrontier.split(Array(0..<100), bins: bins, seed: 4), fold)
    }

    func testUnmeasuredSpendIsRefused() {
        let trials = [makeTrial(problem: 0, strategy: "X", correct: true, flops: 0)]
        XCTAssertThrowsError(try DifficultyFrontier.analyze(trials, difficulty: [0: 0.5])) { error in
            XCTAssertTrue("\(error)".contains("log FLOPs"), "\(error)")
        }
    }
}
