import Foundation
import PonderModel
import PonderSearch

/// What value-head training measured on held-out problems.
public struct ValueHeadReport: Sendable, Equatable, Codable {
    public var rollouts: Int
    public var successRate: Double
    public var trainingStates: Int
    public var epochs: Int
    public var tdLambda: Double?
    /// AUROC of the value at the last step boundary at or before 25 %, 50 % and 75 % of each
    /// held-out completion, against its outcome (nil where a class is missing).
    public var aurocAt25: Double?
    public var aurocAt50: Double?
    public var aurocAt75: Double?
    /// Over every held-out step-boundary state.
    public var aurocAllStates: Double?
    public var expectedCalibrationError: Double
    public var reliability: [CalibrationMetrics.ReliabilityBin]
    public var testStates: Int

    enum CodingKeys: String, CodingKey {
        case rollouts, epochs, reliability
        case successRate = "success_rate"
        case trainingStates = "training_states"
        case tdLambda = "td_lambda"
        case aurocAt25 = "auroc_25"
        case aurocAt50 = "auroc_50"
        case aurocAt75 = "auroc_75"
        case aurocAllStates = "auroc_all_states"
        case expectedCalibrationError = "ece"
        case testStates = "test_states"
    }
}

/// Fits a linear value head on rollouts: Monte-Carlo returns (the rollout's outcome) as
/// targets for every step-boundary state, or with `tdLambda` the λ-returns of the fitted
/// head's own predictions (a few rounds of fitted TD(λ)), early-stopped on validation
/// problems and scored on test problems. Problems, not rollouts, are split, so no test
/// problem is seen in training.
public enum ValueHeadTraining {
    /// Splits `rollouts` by problem into train (70 %), validation (15 %) and test (15 %)
    /// with a seeded shuffle of the problem indices.
    public static func split(_ rollouts: [ValueRollout], problemCount: Int, seed: UInt64)
        -> (train: [ValueRollout], validation: [ValueRollout], test: [ValueRollout]) {
        var order = Array(0..<problemCount)
        var rng = SeededRNG.derived(seed: seed, 0x7661_6C75)  // "valu"
        rng.shuffle(&order)
        var part = [Int](repeating: 0, count: problemCount)
        for (rank, problem) in order.enumerated() {
            part[problem] = rank < problemCount * 70 / 100 ? 0 : rank < problemCount * 85 / 100 ? 1 : 2
        }
        return (rollouts.filter { part[$0.problem] == 0 }, rollouts.filter { part[$0.problem] == 1 },
                rollouts.filter { part[$0.problem] == 2 })
    }

    /// Targets per state: the outcome, or λ-returns G_i = (1 − λ) V(s_{i+1}) + λ G_{i+1}
    /// with G at the last state equal to the outcome.
    static func targets(_ rollouts: [ValueRollout], head: LinearValueHead?, lambda: Double) -> [Double] {
        rollouts.flatMap { rollout -> [Double] in
            let outcome = rollout.success ? 1.0 : 0.0
            guard let head else { return rollout.features.map { _ in outcome } }
            var result = [Double](repeating: outcome, count: rollout.features.count)
            var next = outcome
            for i in stride(from: rollout.features.count - 2, through: 0, by: -1) {
                next = (1 - lambda) * head.probability(rollout.features[i + 1][...]) + lambda * next
                result[i] = next
            }
            return result
        }
    }

    /// Trains and evaluates a head.
    public static func train(rollouts: [ValueRollout], problemCount: Int, seed: UInt64, tdLambda: Double? = nil,
                             settings: LinearValueHeadFit.Settings = LinearValueHeadFit.Settings())
        -> (head: LinearValueHead, report: ValueHeadReport) {
        let (train, validation, test) = split(rollouts, problemCount: problemCount, seed: seed)
        let features = train.flatMap(\.features), validationFeatures = validation.flatMap(\.features)
        var fit = LinearValueHeadFit.fit(features: features, targets: targets(train, head: nil, lambda: 1),
                                      validationFeatures: validationFeatures,
                                      validationTargets: targets(validation, head: nil, lambda: 1), settings: settings)
        if let lambda = tdLambda {
            for _ in 0..<3 {
                fit = LinearValueHeadFit.fit(features: features, targets: targets(train, head: fit.head, lambda: lambda),
                                          validationFeatures: validationFeatures,
                                          validationTargets: targets(validation, head: fit.head, lambda: lambda),
                                          settings: settings)
            }
        }
        let head = fit.head
        var report = evaluate(head: head, on: test)
        report.rollouts = rollouts.count
        report.successRate = Double(rollouts.filter(\.success).count) / Double(max(1, rollouts.count))
        report.trainingStates = features.count
        report.epochs = fit.epochs
        report.tdLambda = tdLambda
        return (head, report)
    }

    /// Scores an existing head on rollouts it was not fit on: AUROC of the value at the last
    /// step boundary at or before 25, 50 and 75 % of each completion, AUROC and expected
    /// calibration error over every step-boundary state, and a reliability table. The report's
    /// training fields are zero (nothing is fit); `rollouts` and `successRate` describe `test`.
    public static func evaluate(head: LinearValueHead, on test: [ValueRollout]) -> ValueHeadReport {
        func aurocAt(_ fraction: Double) -> Double? {
            var predictions: [Double] = [], labels: [Bool] = []
            for rollout in test {
                let limit = Int((fraction * Double(rollout.length)).rounded(.down))
                guard let index = rollout.boundaries.lastIndex(where: { $0 <= limit }) else { continue }
                predictions.append(head.probability(rollout.features[index][...]))
                labels.append(rollout.success)
            }
            return CalibrationMetrics.auroc(predictions: predictions, labels: labels)
        }
        var predictions: [Double] = [], labels: [Bool] = []
        for rollout in test {
            for feature in rollout.features {
                predictions.append(head.probability(feature[...]))
                labels.append(rollout.success)
            }
        }
        return ValueHeadReport(
            rollouts: test.count, successRate: Double(test.filter(\.success).count) / Double(max(1, test.count)),
            trainingStates: 0, epochs: 0, tdLambda: nil,
            aurocAt25: aurocAt(0.25), aurocAt50: aurocAt(0.5), aurocAt75: aurocAt(0.75),
            aurocAllStates: CalibrationMetrics.auroc(predictions: predictions, labels: labels),
            expectedCalibrationError: CalibrationMetrics.expectedCalibrationError(predictions: predictions, labels: labels),
            reliability: CalibrationMetrics.reliability(predictions: predictions, labels: labels),
            testStates: predictions.count)
    }
}
