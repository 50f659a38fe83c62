import Foundation

/// One table of a run's results, rendered three ways: plain text for the terminal
/// (`ponder run`, `ponder report`), Markdown for `report.md`, and a sortable HTML table for
/// `report.html`.
///
/// Each column is defined once, title and cell together (`ReportColumn`), so the three
/// renderings cannot drift apart: they show the same titles and the same cell texts. The
/// terminal leaves out the columns marked `terminal: false` (secondary or wide ones) to keep
/// its lines readable.
public struct ReportTable: Sendable, Hashable {
    /// Where a column's cells sit.
    public enum Alignment: Sendable, Hashable {
        case left, right
    }

    /// A column's heading and how it is laid out.
    public struct Column: Sendable, Hashable {
        /// The heading.
        public var title: String
        /// Text left, numbers right.
        public var alignment: Alignment
        /// Whether the terminal rendering shows the column.
        public var terminal: Bool

        /// A column heading.
        public init(_ title: String, alignment: Alignment = .left, terminal: Bool = true) {
            self.title = title
            self.alignment = alignment
            self.terminal = terminal
        }
    }

    /// One cell: the text every rendering shows and, for numbers, the value the HTML table
    /// sorts by (the text of `[12%, 40%]` or `2.2 GFLOP` does not sort).
    public struct Cell: Sendable, Hashable {
        /// What is shown.
        public var text: String
        /// What the HTML table sorts by; `nil` sorts as text.
        public var sortKey: Double?

        /// A cell with optional sort value.
        public init(_ text: String, sortKey: Double? = nil) {
            self.text = text
            self.sortKey = sortKey
        }

        /// A text cell.
        public static func text(_ text: String) -> Cell { Cell(text) }
        /// A number: the value to sort by and the text to show.
        public static func number(_ value: Double, _ text: String) -> Cell { Cell(text, sortKey: value) }
    }

    /// The columns, in order.
    public let columns: [Column]
    /// The rows; every row has one cell per column.
    public let rows: [[Cell]]

    /// A table of `rows`, each column's cell taken from its definition.
    public init<Row>(_ rows: [Row], columns: [ReportColumn<Row>]) {
        self.columns = columns.map(\.column)
        self.rows = rows.map { row in columns.map { $0.cell(row) } }
    }

    /// Whether the table has no rows.
    public var isEmpty: Bool { rows.isEmpty }

    /// Markdown (GitHub pipe table), numbers right-aligned; `|` and newlines in cells escaped.
    public func markdown() -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "| " + columns.map { escape($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows {
            out += "| " + row.map { escape($0.text) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// A `<table class="sortable">` for `report.html`: number cells carry `data-sort`, which
    /// the page's script sorts by.
    public func html() -> String {
        var out = "<table class=\"sortable\"><thead><tr>"
        for column in columns { out += "<th>\(SVGText.escape(column.title))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for cell in row {
                if let value = cell.sortKey {
                    let sort = value.isFinite ? String(value) : "0"
                    out += "<td class=\"num\" data-sort=\"\(sort)\">\(SVGText.escape(cell.text))</td>"
                } else {
                    out += "<td>\(SVGText.escape(cell.text))</td>"
                }
            }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// Plain text for the terminal: the `terminal` columns padded to their widest cell, two
    /// spaces apart, without trailing blanks; every row starts with its first cell.
    public func plainText() -> String {
        let shown = columns.indices.filter { columns[$0].terminal }
        let widths = shown.map { c in rows.reduce(columns[c].title.count) { max($0, $1[c].text.count) } }
        func line(_ texts: [String]) -> String {
            var parts: [String] = []
            for (k, c) in shown.enumerated() {
                let text = texts[c], fill = String(repeating: " ", count: max(0, widths[k] - text.count))
                parts.append(columns[c].alignment == .right ? fill + text : text + fill)
            }
            return String(parts.joined(separator: "  ").reversed().drop { $0 == " " }.reversed())
        }
        return ([line(columns.map(\.title))] + rows.map { line($0.map(\.text)) }).joined(separator: "\n")
    }
}

/// A column defined once for every rendering: its heading, layout and how a row fills it.
public struct ReportColumn<Row> {
    /// Heading and layout.
    public let column: ReportTable.Column
    /// The cell of one row.
    public let cell: (Row) -> ReportTable.Cell

    /// A text column (left-aligned, sorted as text).
    public static func text(_ title: String, terminal: Bool = true, _ text: @escaping (Row) -> String) -> ReportColumn {
        ReportColumn(column: .init(title, terminal: terminal), cell: { .text(text($0)) })
    }

    /// A number column: sorted by `value`, shown as `text`, right-aligned unless told (a budget
    /// such as `tokens=96` reads better on the left but still sorts by its value).
    public static func number(_ title: String, alignment: ReportTable.Alignment = .right, terminal: Bool = true,
                              _ value: @escaping (Row) -> Double, _ text: @escaping (Row) -> String) -> ReportColumn {
        ReportColumn(column: .init(title, alignment: alignment, terminal: terminal), cell: { .number(value($0), text($0)) })
    }
}
