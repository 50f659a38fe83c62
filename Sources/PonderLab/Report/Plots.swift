import Foundation

/// The x-axis of an accuracy plot: which mean cost a curve point is placed at.
public enum CostAxis: String, Sendable, CaseIterable {
    case flops
    case generatedTokens = "tokens"
    case seconds

    /// The axis title.
    public var title: String {
        switch self {
        case .flops: return "mean FLOPs per trial"
        case .generatedTokens: return "mean generated tokens per trial"
        case .seconds: return "mean wall seconds per trial"
        }
    }

    /// The SVG file name in a run folder.
    public var fileName: String { "accuracy-vs-\(rawValue).svg" }

    /// The unit a tooltip writes after a cost.
    var unit: String {
        switch self {
        case .flops: return "FLOPs"
        case .generatedTokens: return "tokens"
        case .seconds: return "s"
        }
    }

    func value(_ point: CurvePoint) -> Double {
        switch self {
        case .flops: return point.meanFlops
        case .generatedTokens: return point.meanGeneratedTokens
        case .seconds: return point.meanSeconds
        }
    }
}

extension RunAnalysis {
    /// Strategy families in order of first appearance: one plotted curve (and colour) each.
    public var families: [String] {
        var order: [String] = []
        for point in curves where !order.contains(point.family) { order.append(point.family) }
        return order
    }

    /// One line per strategy family through its points by cost (Wilson 95 % band), plus a
    /// dashed oracle pass@N line for each family whose trials all recorded their candidates.
    ///
    /// A family's points may come from several strategy labels (a sweep over `n`); each point's
    /// tooltip names its exact label and budget. Colours follow the run's family order, so a
    /// family keeps its colour in every plot and difficulty panel.
    public func accuracySeries(_ curves: [CurvePoint], axis: CostAxis) -> [PlotSeries] {
        var series: [PlotSeries] = []
        var oracles: [PlotSeries] = []
        for (index, family) in families.enumerated() {
            let points = curves.filter { $0.family == family }
            guard !points.isEmpty else { continue }
            let color = LinePlot.palette[index % LinePlot.palette.count]
            // Positive controls say so in the legend: they used the checker during search.
            let charged = points.contains { chargedStrategies.contains($0.strategy) }
            series.append(PlotSeries(label: charged ? "\(family) · verifier-charged" : family, points: points.map { point in
                let x = axis.value(point)
                let note = "\(point.strategy) · \(point.budget): \(AxisScale.label(x, significantDigits: 3)) \(axis.unit) → "
                    + "\(Format.percent(point.accuracy.estimate)) \(Format.interval(point.accuracy)), n=\(point.n)"
                return PlotSeries.Point(x: x, y: point.accuracy.estimate, low: point.accuracy.low,
                                        high: point.accuracy.high, note: note)
            }, color: color, family: family))
            if points.allSatisfy({ $0.oraclePassAtN != nil }) {
                oracles.append(PlotSeries(label: "\(family) · oracle pass@N (upper bound)", points: points.map {
                    PlotSeries.Point(x: axis.value($0), y: $0.oraclePassAtN ?? 0)
                }, color: color, dashed: true, family: family))
            }
        }
        return series + oracles
    }

    /// Accuracy against one cost axis for the whole run.
    public func accuracyPlot(axis: CostAxis) -> LinePlot {
        let name = run?.name ?? "run"
        return LinePlot(title: "\(name): accuracy vs \(axis.title.replacingOccurrences(of: " per trial", with: ""))",
                        xLabel: axis.title, yLabel: "accuracy (95% Wilson band)",
                        series: accuracySeries(curves, axis: axis) + scaling.series(axis: axis))
    }

    /// Accuracy against FLOPs, one panel per difficulty bin, sharing one legend.
    public func difficultyPanelsSVG(columns: Int = 2) -> String {
        let panelWidth = 520.0, panelHeight = 340.0, legendHeight = 24.0 * Double(max(1, families.count / 3 + 1))
        let rows = max(1, (byDifficulty.count + columns - 1) / columns)
        let width = panelWidth * Double(columns), height = legendHeight + panelHeight * Double(rows) + 10
        var out = PlotStyle.openSVG(width: width, height: height)
        if byDifficulty.isEmpty {
            out += "<text x=\"\(Int(width / 2))\" y=\"60\" text-anchor=\"middle\" fill=\"#888\">no difficulty recorded for these trials</text>\n"
            return out + "</svg>\n"
        }
        // shared legend, three entries a row
        let legendSeries = accuracySeries(curves, axis: .flops).filter { !$0.dashed }
        for (index, item) in legendSeries.enumerated() {
            out += PlotStyle.legendEntry(item, x: 70 + Double(index % 3) * 300, y: 18 + Double(index / 3) * 20)
        }
        for (index, breakdown) in byDifficulty.enumerated() {
            var panel = LinePlot(title: "difficulty \(breakdown.bin.label)", xLabel: CostAxis.flops.title,
                                 yLabel: "accuracy", series: accuracySeries(breakdown.curves, axis: .flops))
            panel.width = panelWidth
            panel.height = panelHeight
            panel.legendWidth = 0
            out += panel.body(originX: panelWidth * Double(index % columns),
                              originY: legendHeight + panelHeight * Double(index / columns))
        }
        return out + "</svg>\n"
    }
}
