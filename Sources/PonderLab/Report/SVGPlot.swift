import Foundation

/// A data series on a plot: one line with an optional confidence band.
public struct PlotSeries: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var low: Double?
        public var high: Double?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    public var label: String
    public var points: [Point]
    /// A CSS color.
    public var color: String
    /// Dashed lines mark upper bounds (oracle pass@N), not achievable results.
    public var dashed: Bool

    public init(label: String, points: [Point], color: String, dashed: Bool = false) {
        self.label = label
        self.points = points
        self.color = color
        self.dashed = dashed
    }
}

/// A small line-plot renderer writing standalone SVG (no dependencies, no network).
///
/// Accuracy plots fix y to [0, 1]; x is logarithmic when the data spans more than a factor of
/// 20 (compute axes) and linear otherwise.
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
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(total)) \(n(height))\" "
            + "width=\"\(n(total))\" height=\"\(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += body(originX: 0, originY: 0)
        if legendRoom > 0 { out += legend(x: width + 8, y: 48) }
        return out + "</svg>\n"
    }

    /// The plot's elements placed at an origin, so several plots can share one SVG (panels).
    public func body(originX: Double, originY: Double) -> String {
        let left = originX + 64, right = originX + width - 16
        let top = originY + 36, bottom = originY + height - 52
        var out = "<text x=\"\(n((left + right) / 2))\" y=\"\(n(originY + 22))\" text-anchor=\"middle\" "
            + "font-size=\"15\" font-weight=\"bold\">\(SVGText.escape(title))</text>\n"
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0.isFinite }
        guard let minX = xs.min(), let maxX = xs.max() else {
            out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n((top + bottom) / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n"
            return out
        }
        let scale = AxisScale(minimum: minX, maximum: maxX, pixels: left...right)
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
        for tick in scale.ticks() {
            out += "<line x1=\"\(n(px(tick)))\" x2=\"\(n(px(tick)))\" y1=\"\(n(top))\" y2=\"\(n(bottom))\" stroke=\"#f0f0f0\"/>\n"
            out += "<text x=\"\(n(px(tick)))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\">\(SVGText.escape(AxisScale.label(tick)))</text>\n"
        }
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#444\"/>\n"
        let xTitle = xLabel + (scale.isLog ? " (log scale)" : "")
        out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + 38))\" text-anchor=\"middle\">\(SVGText.escape(xTitle))</text>\n"
        out += "<text transform=\"translate(\(n(originX + 18)) \(n((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGText.escape(yLabel))</text>\n"
        // bands first, so every line is drawn above every band
        for item in series {
            let banded = item.points.filter { $0.low != nil && $0.high != nil }.sorted { $0.x < $1.x }
            guard banded.count >= 1 else { continue }
            let upper = banded.map { "\(n(px($0.x))),\(n(py($0.high ?? $0.y)))" }
            let lower = banded.reversed().map { "\(n(px($0.x))),\(n(py($0.low ?? $0.y)))" }
            if banded.count == 1, let only = banded.first {
                out += "<line x1=\"\(n(px(only.x)))\" x2=\"\(n(px(only.x)))\" y1=\"\(n(py(only.low ?? only.y)))\" y2=\"\(n(py(only.high ?? only.y)))\" stroke=\"\(item.color)\" stroke-width=\"6\" stroke-opacity=\"0.25\"/>\n"
            } else {
                out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(item.color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
            }
        }
        for item in series {
            let sorted = item.points.sorted { $0.x < $1.x }
            let path = sorted.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
            let dash = item.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"2\"\(dash)><title>\(SVGText.escape(item.label))</title></polyline>\n"
            for point in sorted where !item.dashed {
                out += "<circle cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"3.5\" fill=\"\(item.color)\">"
                    + "<title>\(SVGText.escape(item.label)): \(AxisScale.label(point.x)) → \(String(format: "%.3f", point.y))</title></circle>\n"
            }
        }
        return out
    }

    /// The legend: one swatch per series, dashed for upper bounds.
    public func legend(x: Double, y: Double) -> String {
        var out = ""
        for (index, item) in series.enumerated() {
            let rowY = y + Double(index) * 20
            let dash = item.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<line x1=\"\(n(x))\" x2=\"\(n(x + 24))\" y1=\"\(n(rowY))\" y2=\"\(n(rowY))\" stroke=\"\(item.color)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(n(x + 30))\" y=\"\(n(rowY + 4))\">\(SVGText.escape(item.label))</text>\n"
        }
        return out
    }

    private func n(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Maps data to pixels on a linear or logarithmic axis and picks readable ticks.
struct AxisScale {
    let isLog: Bool
    let low: Double
    let high: Double
    let pixels: ClosedRange<Double>

    init(minimum: Double, maximum: Double, pixels: ClosedRange<Double>) {
        self.pixels = pixels
        isLog = minimum > 0 && maximum / minimum > 20
        if isLog {
            // a quarter of a factor of margin on each side, not a whole decade
            low = minimum / 1.25; high = maximum * 1.25
        } else if minimum == maximum {
            low = minimum == 0 ? 0 : minimum * 0.5; high = maximum == 0 ? 1 : maximum * 1.5
        } else {
            let pad = (maximum - minimum) * 0.05
            low = minimum >= 0 ? max(0, minimum - pad) : minimum - pad
            high = maximum + pad
        }
    }

    func pixel(_ value: Double) -> Double {
        let fraction = isLog
            ? (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low))
            : (value - low) / (high - low)
        return pixels.lowerBound + fraction * (pixels.upperBound - pixels.lowerBound)
    }

    /// Decades on a log axis, with 2× and 5× added when fewer than three decades show; 5–8
    /// round steps on a linear one.
    func ticks() -> [Double] {
        if isLog {
            var decades: [Double] = []
            var decade = pow(10, floor(log10(low)))
            while decade <= high {
                decades.append(decade)
                decade *= 10
            }
            let inside = decades.filter { $0 >= low && $0 <= high }
            if inside.count >= 3 { return inside }
            return decades.flatMap { [$0, 2 * $0, 5 * $0] }.filter { $0 >= low && $0 <= high }
        }
        let raw = (high - low) / 6
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var tick = ceil(low / step) * step
        while tick <= high + step * 1e-9 { ticks.append(tick); tick += step }
        return ticks
    }

    /// Short SI labels: 2.5k, 40M, 1.2T, 0.25.
    static func label(_ value: Double) -> String {
        let units: [(Double, String)] = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (size, suffix) in units where abs(value) >= size {
            return trim(value / size) + suffix
        }
        return trim(value)
    }

    private static func trim(_ value: Double) -> String {
        if value.rounded() == value { return String(Int64(value)) }
        let text = String(format: "%.2f", value)
        return text.hasSuffix("0") ? String(text.dropLast()) : text
    }
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
