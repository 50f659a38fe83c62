import Foundation

/// Maps data to pixels on a linear or logarithmic axis and picks readable ticks.
///
/// Compute axes are read on a log scale (costs grow by factors, and so do budgets), so the axis
/// is logarithmic whenever every value is positive and `logWhenPositive` is set, however narrow
/// the span; a zero or negative value forces a linear axis.
struct AxisScale {
    let isLog: Bool
    let low: Double
    let high: Double
    let pixels: ClosedRange<Double>

    /// A plot needs at least this many labelled ticks to be read.
    static let minimumTicks = 3

    init(minimum: Double, maximum: Double, pixels: ClosedRange<Double>, logWhenPositive: Bool = true) {
        self.pixels = pixels
        isLog = logWhenPositive && minimum > 0 && maximum.isFinite
        if isLog {
            // Margin of 5 % of the log span on each side, but at least ×1.05 (a single value still
            // gets an axis) and at most ×1.25 (a wide axis should not waste a decade).
            let ratio = max(maximum / minimum, 1)
            let pad = min(1.25, max(1.05, pow(ratio, 0.05)))
            low = minimum / pad
            high = maximum * pad
        } else if minimum == maximum {
            low = minimum == 0 ? 0 : min(minimum * 0.5, minimum * 1.5)
            high = maximum == 0 ? 1 : max(maximum * 0.5, maximum * 1.5)
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

    /// Ticks inside `low...high`, at least `minimumTicks` of them, in increasing order.
    ///
    /// A log axis prefers decades (thinned to at most 7), then 1-2-5 per decade, then
    /// 1-1.5-2-3-5-7; when even that leaves fewer than three inside (a span under about ×2),
    /// round linear steps, which read fine on a log axis that narrow.
    func ticks() -> [Double] {
        guard low.isFinite, high.isFinite, high > low else { return [low] }
        if isLog {
            let decades = AxisScale.decades(from: low, to: high)
            let inside = decades.filter(contains)
            if inside.count >= AxisScale.minimumTicks {
                let every = (inside.count + 6) / 7
                return inside.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            }
            for mantissas in [[1.0, 2, 5], [1.0, 1.5, 2, 3, 5, 7]] {
                let candidates = decades.flatMap { decade in mantissas.map { AxisScale.clean($0 * decade) } }
                let ticks = candidates.filter(contains)
                if ticks.count >= AxisScale.minimumTicks { return ticks }
            }
        }
        return linearTicks()
    }

    private func contains(_ value: Double) -> Bool {
        value >= low * (1 - 1e-12) && value <= high * (1 + 1e-12)
    }

    /// Every power of ten from the one at or below `low` to the one at or below `high`.
    private static func decades(from low: Double, to high: Double) -> [Double] {
        let first = Int(floor(log10(low))), last = Int(floor(log10(high)))
        return (first...max(first, last)).map { pow(10, Double($0)) }
    }

    /// The largest round step (1, 2, 2.5 or 5 × 10^k) that puts at least four ticks on the axis:
    /// four rather than three, so that the ends of the axis do not decide whether a third fits.
    private func linearTicks() -> [Double] {
        let span = high - low
        var exponent = Int(ceil(log10(span)))
        // 80 steps cover a span of any finite double down to a 1e-16 relative width
        for _ in 0..<80 {
            let magnitude = pow(10, Double(exponent))
            for mantissa in [5.0, 2.5, 2, 1] {
                let step = mantissa * magnitude
                let first = ceil(low / step - 1e-9)
                let last = floor(high / step + 1e-9)
                if last - first + 1 >= 4 {
                    return stride(from: first, through: last, by: 1).map { AxisScale.clean($0 * step) }
                }
            }
            exponent -= 1
        }
        return [low, (low + high) / 2, high]
    }

    /// Rounds away binary noise (0.30000000000000004 → 0.3) so that labels and unit choice see
    /// the round number the tick stands for.
    static func clean(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        return Double(String(format: "%.12g", value)) ?? value
    }
}
