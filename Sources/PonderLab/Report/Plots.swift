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

    func value(_ point: CurvePoint) -> Double {
        switch self {
        case .flops: return point.meanFlops
        case .generatedTokens: return point.meanGeneratedTokens
        case .seconds: return point.meanSeconds
        }
    }
}

extension RunAnalysis {
    /// One line per strategy (Wilson 95 % band) plus a dashed oracle pass@N line for each
    /// strategy whose trials recorded their candidates.
    public func accuracySeries(_ curves: [CurvePoint], axis: CostAxis) -> [PlotSeries] {
        var series: [PlotSeries] = []
        var oracles: [PlotSeries] = []
        for (index, strategy) in strategies.enumerated() {
            let points = curves.filter { $0.strategy == strategy }
            guard !points.isEmpty else { continue }
            let color = LinePlot.palette[index % LinePlot.palette.count]
            series.append(PlotSeries(label: strategy, points: points.map {
                PlotSeries.Point(x: axis.value($0), y: $0.accuracy.estimate, low: $0.accuracy.low, high: $0.accuracy.high)
            }, color: color))
            if points.allSatisfy({ $0.oraclePassAtN != nil }) {
                oracles.append(PlotSeries(label: "\(strategy) · oracle pass@N (upper bound)", points: points.map {
                    PlotSeries.Point(x: axis.value($0), y: $0.oraclePassAtN ?? 0)
                }, color: color, dashed: true))
            }
        }
        return series + oracles
    }

    /// Accuracy against one cost axis for the whole run.
    public func accuracyPlot(axis: CostAxis) -> LinePlot {
        let name = run?.name ?? "run"
        return LinePlot(title: "\(name): accuracy vs \(axis.title.replacingOccurrences(of: " per trial", with: ""))",
                        xLabel: axis.title, yLabel: "accuracy (95% Wilson band)",
                        series: accuracySeries(curves, axis: axis))
    }

    /// Accuracy against FLOPs, one panel per difficulty bin, sharing one legend.
    public func difficultyPanelsSVG(columns: Int = 2) -> String {
        let panelWidth = 520.0, panelHeight = 340.0, legendHeight = 24.0 * Double(max(1, strategies.count / 3 + 1))
        let rows = max(1, (byDifficulty.count + columns - 1) / columns)
        let width = panelWidth * Double(columns), height = legendHeight + panelHeight * Double(rows) + 10
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" "
            + "height=\"\(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if byDifficulty.isEmpty {
            out += "<text x=\"\(Int(width / 2))\" y=\"60\" text-anchor=\"middle\" fill=\"#888\">no difficulty recorded for these trials</text>\n"
            return out + "</svg>\n"
        }
        // shared legend, three entries a row
        let legendSeries = accuracySeries(curves, axis: .flops).filter { !$0.dashed }
        for (index, item) in legendSeries.enumerated() {
            let x = 70 + Double(index % 3) * 300, y = 18 + Double(index / 3) * 20
            out += "<line x1=\"\(Int(x))\" x2=\"\(Int(x + 24))\" y1=\"\(Int(y))\" y2=\"\(Int(y))\" stroke=\"\(item.color)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(Int(x + 30))\" y=\"\(Int(y + 4))\">\(SVGText.escape(item.label))</text>\n"
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
