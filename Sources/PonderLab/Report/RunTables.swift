import Foundation

/// The tables of a run, each defined once and rendered by `report.md`, `report.html` and the
/// terminal summary (see `ReportTable`).
extension RunAnalysis {
    /// One row per strategy and budget cap: accuracy with both intervals and what it cost.
    public var summaryTable: ReportTable {
        ReportTable(curves, columns: Self.curveColumns(full: true))
    }

    /// The compute-optimal frontier: the best strategy at each compute level.
    public var frontierTable: ReportTable {
        ReportTable(frontier, columns: [
            .number("mean FLOPs", \.meanFlops) { Format.si($0.meanFlops) },
            .text("strategy", \.strategy),
            .number("budget", alignment: .left, \.budget.value) { "\($0.budget)" },
            .number("accuracy", \.accuracy) { Format.percent($0.accuracy) },
        ])
    }

    /// Paired comparisons of every two strategies at each shared cap.
    public var comparisonTable: ReportTable {
        ReportTable(comparisons, columns: [
            .number("budget", alignment: .left, \.budget.value) { "\($0.budget)" },
            .text("first", \.first),
            .text("second", \.second),
            .number("pairs", terminal: false, { Double($0.pairs) }) { String($0.pairs) },
            .number("Δ accuracy", \.difference.estimate) { Format.signedPoints($0.difference.estimate) },
            .number("95% CI", \.difference.low) {
                "[\(Format.signedPoints($0.difference.low)), \(Format.signedPoints($0.difference.high))]"
            },
            .number("only first", { Double($0.mcnemar.onlyFirst) }) { String($0.mcnemar.onlyFirst) },
            .number("only second", { Double($0.mcnemar.onlySecond) }) { String($0.mcnemar.onlySecond) },
            .number("McNemar p", \.mcnemar.pValue) { Format.pValue($0.mcnemar.pValue) },
            .number("FLOPs first", terminal: false, \.firstMeanFlops) { Format.si($0.firstMeanFlops) },
            .number("FLOPs second", terminal: false, \.secondMeanFlops) { Format.si($0.secondMeanFlops) },
        ])
    }

    /// The summary's main columns for the problems of one difficulty bin.
    public func difficultyTable(_ breakdown: DifficultyBreakdown) -> ReportTable {
        ReportTable(breakdown.curves, columns: Self.curveColumns(full: false))
    }

    /// The sample bank's curve: pass@k, majority@k and weighted@k at every k, with their cost.
    public var bankTable: ReportTable {
        func rate(_ title: String, _ interval: KeyPath<BankCurvePoint, Interval>) -> ReportColumn<BankCurvePoint> {
            .number(title, { $0[keyPath: interval].estimate }) {
                "\(Format.percent($0[keyPath: interval].estimate)) \(Format.interval($0[keyPath: interval]))"
            }
        }
        return ReportTable(scaling.bankCurve, columns: [
            .number("k", { Double($0.k) }) { String($0.k) },
            rate("pass@k", \.passAtK), rate("majority@k", \.majorityAtK), rate("weighted@k", \.weightedAtK),
            .number("mean FLOPs", \.meanFlops) { Format.si($0.meanFlops) },
            .number("mean tokens", \.meanTokens) { String(format: "%.0f", $0.meanTokens) },
        ])
    }

    /// The compute-optimal strategy by held-out difficulty, one row per budget cap.
    public var difficultyFrontierTable: ReportTable {
        ReportTable(scaling.difficultyFrontier?.points ?? [], columns: [
            .number("budget", alignment: .left, \.budget.value) { "\($0.budget)" },
            .number("problems", terminal: false, { Double($0.problems) }) { String($0.problems) },
            .number("per-bin choice", \.perBinAccuracy.estimate) {
                "\(Format.percent($0.perBinAccuracy.estimate)) \(Format.interval($0.perBinAccuracy))"
            },
            .number("best single", \.singleAccuracy.estimate) {
                "\(Format.percent($0.singleAccuracy.estimate)) \(Format.interval($0.singleAccuracy)) (\(Self.choiceText($0.singleChoice)))"
            },
            .number("Δ (points)", \.advantage.estimate) {
                "\(Format.signedPoints($0.advantage.estimate)) [\(Format.signedPoints($0.advantage.low)), \(Format.signedPoints($0.advantage.high))]"
            },
            .text("compute saved at equal accuracy") { $0.saving.description },
            .text("chosen per bin (half A / half B)", terminal: false) { p in
                p.choices.map { "\($0.bin.label): \(Self.choiceText($0.chosen))" }.joined(separator: "; ")
            },
        ])
    }

    /// `x` when both halves chose the same strategy, else `x / y`.
    static func choiceText(_ chosen: [String]) -> String {
        Set(chosen).count == 1 ? chosen.first ?? "" : chosen.joined(separator: " / ")
    }

    /// The columns of a curve table; `full: false` keeps the ones the difficulty tables show.
    static func curveColumns(full: Bool) -> [ReportColumn<CurvePoint>] {
        var columns: [ReportColumn<CurvePoint>] = [
            .text("strategy", \.strategy),
            .number("budget", alignment: .left, \.budget.value) { "\($0.budget)" },
            .number("n", { Double($0.n) }) { String($0.n) },
            .number("accuracy", \.accuracy.estimate) { Format.percent($0.accuracy.estimate) },
            .number("Wilson 95%", \.accuracy.low) { Format.interval($0.accuracy) },
        ]
        if full { columns.append(.number("bootstrap 95%", terminal: false, \.bootstrap.low) { Format.interval($0.bootstrap) }) }
        columns.append(.number("mean FLOPs", \.meanFlops) { Format.si($0.meanFlops) })
        guard full else { return columns }
        return columns + [
            .number("mean tokens", \.meanGeneratedTokens) { String(format: "%.1f", $0.meanGeneratedTokens) },
            .number("mean time", terminal: false, \.meanSeconds) { Format.seconds($0.meanSeconds) },
            .number("reward", terminal: false, \.meanRewards.combined) { String(format: "%.3f", $0.meanRewards.combined) },
            .number("oracle pass@N", terminal: false, { $0.oraclePassAtN ?? -1 }) { $0.oraclePassAtN.map(Format.percent) ?? "–" },
        ]
    }
}
