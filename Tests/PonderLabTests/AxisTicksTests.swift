import Foundation
import XCTest
@testable import PonderLab

/// Axis ticks and their labels at every scale: enough ticks to read, never two alike.
final class AxisTicksTests: XCTestCase {
    /// Data ranges from a real report's three cost axes and beyond: sub-millisecond and
    /// centisecond wall times, a few tokens, narrow and wide FLOP spans, a single value.
    static let ranges: [(Double, Double)] = [
        (1e-4, 1e-3), (0.01, 0.02), (0.0123, 0.0131), (0.01, 0.0105), (3, 4), (1, 1), (0.5, 0.5), (7, 7.2),
        (40, 1200), (512, 515), (999, 1001), (1e8, 1.3e8), (1e9, 1e13), (3e9, 4e12), (2.2e10, 2.9e10),
        (1e3, 5e4), (1.2e12, 1.25e12), (1e3, 1e18), (0.02, 0.02), (6.4e-7, 9.9e-7), (123_456, 123_789),
    ]

    func testTicksAreSortedDistinctInsideTheAxisAndAtLeastThree() {
        for (low, high) in AxisTicksTests.ranges {
            for logWhenPositive in [true, false] {
                let scale = AxisScale(minimum: low, maximum: high, pixels: 0...600, logWhenPositive: logWhenPositive)
                let context = "\(low)…\(high) \(scale.isLog ? "log" : "linear")"
                let ticks = scale.ticks()
                let labels = AxisScale.labels(ticks)
                XCTAssertGreaterThanOrEqual(ticks.count, 3, context)
                XCTAssertLessThanOrEqual(ticks.count, 12, "\(context): \(labels)")
                XCTAssertEqual(ticks, ticks.sorted(), context)
                XCTAssertEqual(Set(labels).count, labels.count, "\(context): \(labels)")
                for tick in ticks {
                    XCTAssertGreaterThanOrEqual(tick, scale.low * (1 - 1e-9), context)
                    XCTAssertLessThanOrEqual(tick, scale.high * (1 + 1e-9), context)
                }
                // the data itself lies on the axis
                XCTAssertLessThanOrEqual(scale.low, low, context)
                XCTAssertGreaterThanOrEqual(scale.high, high, context)
                // pixels increase with the ticks (no tick drawn off the axis)
                let pixels = ticks.map(scale.pixel)
                XCTAssertEqual(pixels, pixels.sorted(), context)
                XCTAssertTrue(pixels.allSatisfy { (-1e-6...600.000001).contains($0) }, context)
            }
        }
    }

    func testEveryPositiveAxisIsLogarithmic() {
        XCTAssertTrue(AxisScale(minimum: 0.01, maximum: 0.02, pixels: 0...1).isLog)
        XCTAssertTrue(AxisScale(minimum: 1, maximum: 4, pixels: 0...1).isLog)
        XCTAssertFalse(AxisScale(minimum: 0, maximum: 4, pixels: 0...1).isLog, "zero has no place on a log axis")
        XCTAssertFalse(AxisScale(minimum: 1, maximum: 4, pixels: 0...1, logWhenPositive: false).isLog)
    }

    func testLogAxisPrefersDecadesThen125() {
        let scale = AxisScale(minimum: 3e9, maximum: 4e12, pixels: 0...100)
        XCTAssertEqual(scale.ticks(), [1e10, 1e11, 1e12])
        XCTAssertEqual(scale.pixel(3e9 / 1.25), 0, accuracy: 1e-9)
        XCTAssertEqual(scale.pixel(4e12 * 1.25), 100, accuracy: 1e-9)
        let narrow = AxisScale(minimum: 1e3, maximum: 5e4, pixels: 0...100)
        XCTAssertEqual(narrow.ticks(), [1e3, 2e3, 5e3, 1e4, 2e4, 5e4])
        XCTAssertEqual(AxisScale.labels(narrow.ticks()), ["1k", "2k", "5k", "10k", "20k", "50k"])
        // many decades are thinned so the labels do not run into each other
        XCTAssertLessThanOrEqual(AxisScale(minimum: 1e3, maximum: 1e18, pixels: 0...100).ticks().count, 7)
    }

    func testLabelsOfTheReportedCollisionDiffer() {
        // issue 11: wall seconds 0.010…0.020 were labelled 0.01, 0.01, 0.01, 0.02
        let scale = AxisScale(minimum: 0.0104, maximum: 0.0196, pixels: 0...100)
        let labels = AxisScale.labels(scale.ticks())
        XCTAssertEqual(labels, ["0.010", "0.015", "0.020"])
        XCTAssertEqual(AxisScale.labels([0.01, 0.012, 0.014]), ["0.010", "0.012", "0.014"])
        XCTAssertEqual(AxisScale.labels([8e8, 1e9, 1.5e9]), ["800M", "1G", "1.5G"])
        XCTAssertEqual(AxisScale.labels([1e8, 1.1e8, 1.2e8]), ["100M", "110M", "120M"])
        XCTAssertEqual(AxisScale.labels([0, 2.5e3, 5e3]), ["0", "2.5k", "5.0k"])
        XCTAssertEqual(AxisScale.labels([1.2e12, 1.21e12]), ["1.20T", "1.21T"])
    }

    func testSignificantDigitLabels() {
        XCTAssertEqual(AxisScale.label(0.013_42, significantDigits: 3), "0.0134")
        XCTAssertEqual(AxisScale.label(1.234e10, significantDigits: 3), "12.3G")
        XCTAssertEqual(AxisScale.label(512, significantDigits: 3), "512")
        XCTAssertEqual(AxisScale.label(999.96, significantDigits: 3), "1k")
        XCTAssertEqual(AxisScale.label(2.5e12, significantDigits: 3), "2.5T")
        XCTAssertEqual(AxisScale.label(0, significantDigits: 3), "0")
        XCTAssertEqual(AxisScale.label(2.5e12), "2.5T", "the table format is unchanged")
    }
}
