import Foundation

/// What every plot SVG shares: the document's opening, its stylesheet and legend entries.
///
/// The stylesheet travels inside each SVG, so a standalone `.svg` file highlights a series on
/// hover with CSS alone (no script); `report.html` adds only the click-to-select script
/// (`HTMLAssets.plotScript`), which sets the `selected` and `has-selection` classes styled here.
enum PlotStyle {
    /// Default band opacity: faint enough that five overlapping bands leave every line visible.
    static let bandOpacity = "0.07"
    /// Default opacity of a single-point interval bar (a thin stroke needs a little more).
    static let barOpacity = "0.15"

    /// Every rule is under `.ponder-plot`: inline in `report.html` a plot's stylesheet applies to
    /// the whole page. `:has()` scopes the dimming to the panel under the pointer, so hovering in
    /// one difficulty panel does not fade the others. Presentation attributes carry the default
    /// look for renderers without CSS; these rules override them where CSS runs.
    static let css = """
    .ponder-plot .series { transition: opacity .12s; }
    .ponder-plot .series .band { pointer-events: none; }
    .ponder-plot .panel:has(.series:hover) .series:not(:hover),
    .ponder-plot.has-selection .series:not(.selected) { opacity: .22; }
    .ponder-plot .series:hover polygon.band, .ponder-plot .series.selected polygon.band { fill-opacity: .26; }
    .ponder-plot .series:hover line.band, .ponder-plot .series.selected line.band { stroke-opacity: .45; }
    .ponder-plot .series:hover .line, .ponder-plot .series.selected .line { stroke-width: 3; }
    .ponder-plot .legend-entry { cursor: pointer; }
    .ponder-plot .legend-entry.selected text { font-weight: bold; }
    """

    /// The opening `<svg>` tag, white background and stylesheet of a plot document.
    static func openSVG(width: Double, height: Double) -> String {
        let w = number(width), h = number(height)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ponder-plot\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" "
            + "height=\"\(h)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<style>\n\(css)\n</style>\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    }

    /// One legend row: a swatch (dashed for upper bounds) and the label, grouped so that a
    /// click in `report.html` can select the series' family.
    static func legendEntry(_ item: PlotSeries, x: Double, y: Double) -> String {
        let dash = item.dashed ? " stroke-dasharray=\"6 4\"" : ""
        return "<g class=\"legend-entry\" data-series=\"\(SVGText.escape(item.label))\" data-family=\"\(SVGText.escape(item.family))\">"
            + "<line x1=\"\(number(x))\" x2=\"\(number(x + 24))\" y1=\"\(number(y))\" y2=\"\(number(y))\" stroke=\"\(item.color)\" stroke-width=\"2\"\(dash)/>"
            + "<text x=\"\(number(x + 30))\" y=\"\(number(y + 4))\">\(SVGText.escape(item.label))</text></g>\n"
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
