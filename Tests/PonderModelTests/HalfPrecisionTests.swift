import XCTest
@testable import PonderModel

final class HalfPrecisionTests: XCTestCase {
    func testBFloat16WidensExactly() {
        XCTAssertEqual(HalfPrecision.bfloat16ToFloat(0x3F80), 1.0)
        XCTAssertEqual(HalfPrecision.bfloat16ToFloat(0xC000), -2.0)
        XCTAssertEqual(HalfPrecision.bfloat16ToFloat(0x7F80), .infinity)
        XCTAssertTrue(HalfPrecision.bfloat16ToFloat(0x7FC0).isNaN)
    }

    func testFloat16CoversNormalsSubnormalsAndSpecials() {
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x3C00), 1.0)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0xC000), -2.0)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x7BFF), 65504.0)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x0001), 5.960464477539063e-08)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x8001), -5.960464477539063e-08)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x03FF), 6.097555160522461e-05)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x7C00), .infinity)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0xFC00), -.infinity)
        XCTAssertTrue(HalfPrecision.float16ToFloat(0x7E00).isNaN)
        XCTAssertEqual(HalfPrecision.float16ToFloat(0x8000).sign, .minus)
    }

    func testFloat16MatchesPlatformConversionForEveryPattern() {
        #if arch(x86_64) || arch(arm64)
        for bits in 0...UInt16.max {
            let reference = Float(Float16(bitPattern: bits))
            let ours = HalfPrecision.float16ToFloat(bits)
            if reference.isNaN { XCTAssertTrue(ours.isNaN); continue }
            XCTAssertEqual(ours.bitPattern, reference.bitPattern, "pattern \(bits)")
        }
        #endif
    }

    func testBFloat16RoundsToNearestEven() {
        XCTAssertEqual(HalfPrecision.floatToBFloat16(1.0), 0x3F80)
        // 1 + 2^-8 lies exactly halfway between two bf16 values: ties go to the even one.
        XCTAssertEqual(HalfPrecision.floatToBFloat16(1.00390625), 0x3F80)
        XCTAssertEqual(HalfPrecision.floatToBFloat16(1.01171875), 0x3F82)
    }
}
