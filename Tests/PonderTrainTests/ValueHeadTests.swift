import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTrain
import PonderSearch

final class ValueHeadTests: XCTestCase {
    func testAUROCCountsOrderedPairsAndTiesHalf() {
        XCTAssertEqual(CalibrationMetrics.auroc(predictions: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]), 0.75)
        XCTAssertEqual(CalibrationMetrics.auroc(predictions: [0.5, 0.5], labels: [false, true]), 0.5)
        XCTAssertEqual(CalibrationMetrics.auroc(predictions: [0.9, 0.1], labels: [false, true]), 0)
        XCTAssertNil(CalibrationMetrics.auroc(predictions: [0.2, 0.3], labels: [true, true]))
    }

    func testReliabilityTableAndECE() {
        let predictions = [0.05, 0.15, 0.95, 0.9, 0.92]
        let labels = [false, false, true, false, true]
        let table = CalibrationMetrics.reliability(predictions: predictions, labels: labels, bins: 10)
        XCTAssertEqual(table.count, 10)
        XCTAssertEqual(table[0].count, 1)
        XCTAssertEqual(table[9].count, 3)
        XCTAssertEqual(table[9].observedRate, 2.0 / 3.0, accuracy: 1e-12)
        // |0.05−0|·1 + |0.15−0|·1 + |0.9233−0.6667|·3, over 5.
        let expected = (0.05 + 0.15 + 3 * abs((0.95 + 0.9 + 0.92) / 3 - 2.0 / 3.0)) / 5
        XCTAssertEqual(CalibrationMetrics.expectedCalibrationError(predictions: predictions, labels: labels), expected, accuracy: 1e-12)
    }

    /// Labels drawn from a known logistic model: the fit recovers a head that ranks held-out
    /// data nearly as well as the truth and is calibrated.
    func testFitRecoversALogisticModelAndRoundTripsWithTRLNames() throws {
        var gaussian = GaussianSampler(rng: SeededRNG(seed: 4))
        var uniform = SeededRNG(seed: 5)
        let truth = [1.5, -2.0, 0.0, 0.7]
        func draw(_ n: Int) -> ([[Float]], [Double]) {
            var x: [[Float]] = [], y: [Double] = []
            for _ in 0..<n {
                let row = (0..<4).map { _ in Float(gaussian.next() * 2 + 3) }  // offset and scale: standardization matters
                let z = zip(truth, row).reduce(-0.5) { $0 + $1.0 * (Double($1.1) - 3) / 2 }
                x.append(row)
                y.append(uniform.nextDouble() < 1 / (1 + exp(-z)) ? 1 : 0)
            }
            return (x, y)
        }
        let (x, y) = draw(1500), (xv, yv) = draw(300), (xt, yt) = draw(800)
        let fit = LinearValueHeadFit.fit(features: x, targets: y, validationFeatures: xv, validationTargets: yv)
        let predictions = xt.map { fit.head.probability($0[...]) }
        let auroc = try XCTUnwrap(CalibrationMetrics.auroc(predictions: predictions, labels: yt.map { $0 == 1 }))
        XCTAssertGreaterThan(auroc, 0.8)
        XCTAssertLessThan(CalibrationMetrics.expectedCalibrationError(predictions: predictions, labels: yt.map { $0 == 1 }), 0.05)
        // Raw-feature weights: truth / σ = truth / 2.
        XCTAssertEqual(fit.head.weight[0], 0.75, accuracy: 0.15)
        XCTAssertEqual(fit.head.weight[1], -1.0, accuracy: 0.15)

        let path = try makeTemporaryDirectory(self) + "/value_head.safetensors"
        try fit.head.write(to: path)
        let file = try SafeTensorsFile(path: path)
        XCTAssertEqual(file.info(LinearValueHead.weightName)?.shape, [1, 4])
        XCTAssertEqual(file.info(LinearValueHead.biasName)?.shape, [1])
        let loaded = try LinearValueHead.load(path: path)
        XCTAssertEqual(loaded, fit.head)
    }

    func testLambdaReturnsBlendLaterValuesTowardsTheOutcome() {
        let rollout = ValueRollout(problem: 0, success: true, length: 9, boundaries: [0, 3, 6],
                                   features: [[0], [0], [0]])
        // A head that says 0.5 everywhere: G2 = 1, G1 = 0.5·0.5 + 0.5·1, G0 = 0.5·0.5 + 0.5·G1.
        let head = LinearValueHead(weight: [0], bias: 0)
        XCTAssertEqual(ValueHeadTraining.targets([rollout], head: head, lambda: 0.5), [0.625, 0.75, 1])
        XCTAssertEqual(ValueHeadTraining.targets([rollout], head: nil, lambda: 0.5), [1, 1, 1])
        let split = ValueHeadTraining.split([rollout], problemCount: 20, seed: 1)
        XCTAssertEqual(split.train.count + split.validation.count + split.test.count, 1)
    }

    /// `evaluate` scores an existing head on rollouts it was not fit on: prefix AUROC reads the
    /// state at the right boundary, and a head that ranks by a feature's sign is perfect.
    func testEvaluatingAnExistingHeadReadsPrefixStatesAndCountsEveryState() {
        // Feature 0 says "on track" (+1) or "lost" (−1); successful rollouts turn positive after
        // their first step, failed ones stay negative. At the prompt (boundary 0) every rollout
        // looks the same, so AUROC at 25 % (before the first step ends) is 0.5 and at 50 % it is 1.
        func rollout(_ problem: Int, success: Bool) -> ValueRollout {
            ValueRollout(problem: problem, success: success, length: 12, boundaries: [0, 4, 8],
                         features: [[0], [success ? 1 : -1], [success ? 2 : -2]])
        }
        let rollouts = (0..<8).map { rollout($0, success: $0 % 2 == 0) }
        let report = ValueHeadTraining.evaluate(head: LinearValueHead(weight: [4], bias: 0), on: rollouts)
        XCTAssertEqual(report.rollouts, 8)
        XCTAssertEqual(report.successRate, 0.5)
        XCTAssertEqual(report.testStates, 24, "every step-boundary state of every rollout")
        XCTAssertEqual(report.trainingStates, 0)
        XCTAssertEqual(report.aurocAt25, 0.5, "at 25 % only the prompt state is available")
        XCTAssertEqual(report.aurocAt50, 1)
        XCTAssertEqual(report.aurocAt75, 1)
        XCTAssertEqual(report.reliability.reduce(0) { $0 + $1.count }, 24)
        // A head that ranks backwards is caught.
        let backwards = ValueHeadTraining.evaluate(head: LinearValueHead(weight: [-4], bias: 0), on: rollouts)
        XCTAssertEqual(backwards.aurocAt50, 0)
    }
}
