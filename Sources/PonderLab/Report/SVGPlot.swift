import Foundation

/// A data series on a plot: one line with an optional confidence band.
public struct PlotSeries: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var low: Double?
        public var high: Double?
        /// The point's tooltip; nil shows the series label with x and y.
        public var note: String?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil, note: String? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
            self.note = note
        }
    }

    public var label: String
    public var points: [Point]
    /// A CSS color.
    public var color: String
    /// Dashed lines mark upper bounds (oracle pass@N), not achievable results.
    public var dashed: Bool
    /// Series of one family highlight together when a legend entry is clicked in `report.html`
    /// (a strategy family's line and its oracle bound).
    public var family: String

    public init(label: String, points: [Point], color: String, dashed: Bool = false, family: String? = nil) {
        self.label = label
        self.points = points
        self.color = color
        self.dashed = dashed
        self.family = family ?? label
    }
}

/// A small line-plot renderer writing standalone SVG (no dependencies, no network).
///
/// Accuracy plots fix y to [0, 1]; x is logarithmic whenever every x is positive (compute axes
/// are read on a log scale) unless `logX` is off. Each series is one `<g class="series">`
/// holding its band, line and points, so CSS can highlight one series on hover (`PlotStyle`);
/// bands are faint by default because several overlapping ones would hide the lines.
public struct LinePlot: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [PlotSeries]
    public var yRange: ClosedRange<Double> = 0...1
    public var width: Double = 760
    public var height: Double = 440
    /// Room on the right for the legend; nil sizes it to the longest label.
    public var legendWidth: Double? = nil
    /// A logarithmic x axis when every x is positive; off gives a linear axis always.
    public var logX: Bool = true

    /// The Tableau 10 palette: distinct, colour-blind-tolerant, readable on white.
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
    }

    /// A complete SVG document.
    public func svg() -> String {
        let legendRoom = legendWidth ?? min(380, 48 + 6.8 * Double(series.map(\.label.count).max() ?? 0))
        let total = width + legendRoom
        var out = PlotStyle.openSVG(width: total, height: height)
        out += body(originX: 0, originY: 0)
        if legendRoom > 0 { out += legend(x: width + 8, y: 48) }
        return out + "</svg>\n"
    }

    /// The plot's elements placed at an origin, so several plots can share one SVG (panels).
    /// They form one `<g class="panel">`, the scope in which hovering a series dims the others.
    public func body(originX: Double, originY: Double) -> String {
        let left = originX + 64, right = originX + width - 16
        let top = originY + 36, bottom = originY + height - 52
        var out = "<g class=\"panel\">\n"
        out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n(originY + 22))\" text-anchor=\"middle\" "
            + "font-size=\"15\" font-weight=\"bold\">\(SVGText.escape(title))</text>\n"
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0.isFinite }
        guard let minX = xs.min(), let maxX = xs.max() else {
            out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n((top + bottom) / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n"
            return out + "</g>\n"
        }
        let scale = AxisScale(minimum: minX, maximum: maxX, pixels: left...right, logWhenPositive: logX)
        func px(_ x: Double) -> Double { scale.pixel(x) }
        func py(_ y: Double) -> Double {
            let clamped = min(max(y, yRange.lowerBound), yRange.upperBound)
            return bottom - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (bottom - top)
        }
        // grid and axes
        for tick in stride(from: yRange.lowerBound, through: yRange.upperBound + 1e-9, by: (yRange.upperBound - yRange.lowerBound) / 5) {
            out += "<line x1=\"\(n(left))\" x2=\"\(n(right))\" y1=\"\(n(py(tick)))\" y2=\"\(n(py(tick)))\" stroke=\"#e5e5e5\"/>\n"
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(py(tick) + 4))\" text-anchor=\"end\">\(String(format: "%.1f", tick))</text>\n"
        }
        let ticks = scale.ticks()
        for (tick, label) in zip(ticks, AxisScale.labels(ticks)) {
            out += "<line x1=\"\(n(px(tick)))\" x2=\"\(n(px(tick)))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\" stroke=\"#f0f0f0\"/>\n"
            out += "<text class=\"x-tick\" x=\"\(n(px(tick)))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(SVGText.escape(label))</text>\n"
        }
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#444\"/>\n"
        let xTitle = xLabel + (scale.isLog ? " (log scale)" : "")
        out += "<text class=\"x-title\" x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + 38))\" text-anchor=\"middle\">\(SVGText.escape(xTitle))</text>\n"
        out += "<text transform=\"translate(\(n(originX + 18)) \(n((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGText.escape(yLabel))</text>\n"
        for item in series {
            out += "<g class=\"series\" data-series=\"\(SVGText.escape(item.label))\" data-family=\"\(SVGText.escape(item.family))\">\n"
            out += band(item, px: px, py: py)
            let sorted = item.points.filter { $0.x.isFinite }.sorted { $0.x < $1.x }
            let path = sorted.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            let dash = item.dashed ? " stroke-dasharray=\"6 4\"" : ""
            // a wide invisible copy of the line, so the pointer need not hit a 2-pixel stroke
            out += "<polyline class=\"hit\" points=\"\(path)\" fill=\"none\" stroke=\"transparent\" stroke-width=\"12\"/>\n"
            out += "<polyline class=\"line\" points=\"\(path)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"2\"\(dash)><title>\(SVGText.escape(item.label))</title></polyline>\n"
            for point in sorted where !item.dashed {
                let note = point.note ?? "\(item.label): \(AxisScale.label(point.x, significantDigits: 3)) → \(String(format: "%.3f", point.y))"
                out += "<circle cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"3.5\" fill=\"\(item.color)\">"
                    + "<title>\(SVGText.escape(note))</title></circle>\n"
            }
            out += "</g>\n"
        }
        return out + "</g>\n"
    }

    /// A series' confidence band: a faint polygon, or a faint bar when it has one banded point.
    private func band(_ item: PlotSeries, px: (Double) -> Double, py: (Double) -> Double) -> String {
        let banded = item.points.filter { $0.low != nil && $0.high != nil && $0.x.isFinite }.sorted { $0.x < $1.x }
        if banded.count == 1, let only = banded.first {
            return "<line class=\"band\" x1=\"\(n(px(only.x)))\" x2=\"\(n(px(only.x)))\" y1=\"\(n(py(only.low ?? only.y)))\" "
                + "y2=\"\(n(py(only.high ?? only.y)))\" stroke=\"\(item.color)\" stroke-width=\"6\" stroke-opacity=\"\(PlotStyle.barOpacity)\"/>\n"
        }
        guard banded.count > 1 else { return "" }
        let upper = banded.map { "\(n(px($0.x))),\(n(py($0.high ?? $0.y)))" }
        let lower = banded.reversed().map { "\(n(px($0.x))),\(n(py($0.low ?? $0.y)))" }
        return "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(item.color)\" "
            + "fill-opacity=\"\(PlotStyle.bandOpacity)\" stroke=\"none\"/>\n"
    }

    /// The legend: one swatch per series, dashed for upper bounds.
    public func legend(x: Double, y: Double) -> String {
        var out = ""
        for (index, item) in series.enumerated() {
            out += PlotStyle.legendEntry(item, x: x, y: y + Double(index) * 20)
        }
        return out
    }

    private func n(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// XML text escaping for SVG and HTML.
public enum SVGText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
