import Foundation
import PonderSearch

/// One measured accuracy of a strategy family at one budget cap.
public struct CurveObservation: Sendable, Hashable, Codable {
    /// The family whose curve this is (usually the strategy label; its budgets form the curve).
    public var family: String
    public var budget: BudgetPoint
    public var correct: Int
    public var trials: Int

    public init(family: String, budget: BudgetPoint, correct: Int, trials: Int) {
        self.family = family
        self.budget = budget
        self.correct = correct
        self.trials = trials
    }
}

/// A family whose accuracy fell, beyond noise, when its budget grew.
public struct MonotonicityFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    public var family: String
    public var fromBudget: BudgetPoint
    public var toBudget: BudgetPoint
    public var fromAccuracy: Double
    public var toAccuracy: Double
    /// fromAccuracy − toAccuracy.
    public var drop: Double
    /// The larger of the two points' Wilson half-widths, which `drop` exceeds.
    public var threshold: Double

    public var description: String {
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        return "\(family): accuracy falls from \(percent(fromAccuracy)) at \(fromBudget) to \(percent(toAccuracy)) at \(toBudget) "
            + "(drop \(percent(drop)) > noise \(percent(threshold))): more budget should never hurt; check the strategy's stopping rule"
    }
}

/// Flags compute–accuracy curves that fall as the budget grows (the failure ReSCALE reports:
/// a strategy that gets worse with more compute usually has a bug or a selection rule that
/// degrades with more candidates, and a frontier built over it misleads).
public enum MonotonicityCheck {
    /// Every pair of budgets i < j of a family (same budget kind, ordered by value) where
    /// accuracy falls by more than noise: drop = acc_i − acc_j exceeds
    /// max(halfWidth_i, halfWidth_j), the half-width being half the Wilson interval's width at
    /// `level`. For each later budget only the largest such drop is reported (earliest on
    /// ties), so one dip is one finding per budget past it, not one per earlier point.
    ///
    /// Findings come in family order of first appearance, then budget order.
    public static func findings(_ observations: [CurveObservation], level: Double = 0.95) throws -> [MonotonicityFinding] {
        struct Family: Hashable { var name: String; var kind: Budget.Unit }
        var order: [Family] = []
        var byFamily: [Family: [CurveObservation]] = [:]
        for observation in observations {
            let family = Family(name: observation.family, kind: observation.budget.kind)
            if byFamily[family] == nil { order.append(family) }
            byFamily[family, default: []].append(observation)
        }
        var findings: [MonotonicityFinding] = []
        for family in order {
            let curve = (byFamily[family] ?? []).sorted { $0.budget.value < $1.budget.value }
            for (a, b) in zip(curve, curve.dropFirst()) where a.budget.value == b.budget.value {
                throw StatisticsError.invalidArgument("monotonicity: \(family.name) has two points at \(a.budget); merge them first")
            }
            let intervals = try curve.map { try Proportion.wilson(successes: $0.correct, trials: $0.trials, level: level) }
            for j in curve.indices {
                var worst: MonotonicityFinding?
                for i in 0..<j {
                    let drop = intervals[i].estimate - intervals[j].estimate
                    let threshold = max(halfWidth(intervals[i]), halfWidth(intervals[j]))
                    guard drop > threshold, drop > (worst?.drop ?? -.infinity) else { continue }
                    worst = MonotonicityFinding(family: family.name, fromBudget: curve[i].budget, toBudget: curve[j].budget,
                                                fromAccuracy: intervals[i].estimate, toAccuracy: intervals[j].estimate,
                                                drop: drop, threshold: threshold)
                }
                if let worst { findings.append(worst) }
            }
        }
        return findings
    }

    /// The same check over a run's curve points, one family per strategy label.
    public static func findings(_ curves: [CurvePoint], level: Double = 0.95) throws -> [MonotonicityFinding] {
        try findings(curves.map { CurveObservation(family: $0.strategy, budget: $0.budget, correct: $0.correct, trials: $0.n) },
                     level: level)
    }

    static func halfWidth(_ interval: Interval) -> Double {
        (interval.high - interval.low) / 2
    }
}
