import Foundation

/// Number labels for axes and tooltips: SI suffixes (2.5k, 40M, 1.2T) with as many digits as
/// the numbers need, so that two different ticks never read the same.
extension AxisScale {
    private static let units: [(size: Double, suffix: String)] = [
        (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"),
    ]

    /// The SI unit for one value: the largest that leaves a mantissa of at least 1.
    private static func unit(_ value: Double) -> (size: Double, suffix: String) {
        units.first { abs(value) >= $0.size } ?? (1, "")
    }

    /// The fewest decimals that write `value` exactly (up to binary noise), at most 12.
    private static func decimals(_ value: Double) -> Int {
        for digits in 0...12 {
            let scale = pow(10, Double(digits))
            if abs((value * scale).rounded() / scale - value) <= 1e-9 * abs(value) { return digits }
        }
        return 12
    }

    /// One label per tick, in the same order.
    ///
    /// Each tick is written exactly (ticks are round numbers, so that takes few digits). Evenly
    /// spaced ticks (a linear scale, or a narrow log axis) read as a scale: one SI unit, that of
    /// the smallest non-zero tick, and one number of decimals (0.010, 0.015, 0.020; 975, 1000,
    /// 1025). Ticks spaced by factors (decades, 1-2-5) each take their own unit and only the
    /// digits they need (800M, 1G, 1.5G).
    static func labels(_ ticks: [Double]) -> [String] {
        let values = ticks.map(clean)
        let steps = zip(values.dropFirst(), values).map { $0 - $1 }
        let even = steps.allSatisfy { abs($0 - (steps.first ?? 0)) <= 1e-9 * abs(steps.first ?? 0) }
        let sharedUnit = values.filter { $0 != 0 }.min { abs($0) < abs($1) }.map(unit)
        let scaled = values.map { value -> (Double, String) in
            let (size, suffix) = even ? (sharedUnit ?? unit(value)) : unit(value)
            return (value / size, suffix)
        }
        let shared = scaled.map { decimals($0.0) }.max() ?? 0
        var extra = 0
        while true {
            let labels = scaled.map { mantissa, suffix -> String in
                if mantissa == 0 { return "0" }
                let digits = (even ? shared : decimals(mantissa)) + extra
                return String(format: "%.\(digits)f", mantissa) + suffix
            }
            // Exact labels of distinct ticks differ; the loop guards against ticks closer than
            // 1e-9 relative, which no caller makes, rather than trusting that.
            if Set(labels).count == labels.count || extra >= 12 { return labels }
            extra += 1
        }
    }

    /// A value with `significantDigits` significant digits and an SI suffix (tooltips):
    /// 0.0134, 12.3G, 512, 2.5T.
    static func label(_ value: Double, significantDigits: Int) -> String {
        guard value.isFinite else { return String(value) }
        guard value != 0 else { return "0" }
        let digits = max(1, significantDigits)
        // round first, so that 999.96 at three digits becomes 1k rather than 1000
        let rounded = Double(String(format: "%.\(digits)g", value)) ?? value
        let (size, suffix) = unit(rounded)
        let mantissa = rounded / size
        let decimals = max(0, digits - 1 - Int(floor(log10(abs(mantissa)))))
        var text = String(format: "%.\(decimals)f", mantissa)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text + suffix
    }

    /// Short SI labels with at most two decimals: 2.5k, 40M, 1.2T, 0.25 (table cells, where the
    /// column gives the scale; axes use `labels(_:)`, which never lets two ticks collide).
    static func label(_ value: Double) -> String {
        let (size, suffix) = unit(value)
        return trim(value / size) + suffix
    }

    private static func trim(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 9e18 { return String(Int64(value)) }
        let text = String(format: "%.2f", value)
        return text.hasSuffix("0") ? String(text.dropLast()) : text
    }
}
