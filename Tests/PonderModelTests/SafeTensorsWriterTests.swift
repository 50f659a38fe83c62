import XCTest
@testable import PonderModel

final class SafeTensorsWriterTests: XCTestCase {
    /// Byte-for-byte what Python `safetensors.torch.save` (0.8.0) writes for
    /// {"b": bf16 [1, 2], "a": f32 [3], "c": f16 [1.5]} with metadata {"format": "pt"}: dtype
    /// order F32, BF16, F16, then names, header padded with spaces to a multiple of 8.
    func testOutputMatchesTheReferenceWriterByteForByte() throws {
        var writer = SafeTensorsWriter()
        try writer.add("b", shape: [2], values: [1, 2], dtype: .bf16)
        try writer.add("a", shape: [1], values: [3], dtype: .f32)
        try writer.add("c", shape: [1], values: [1.5], dtype: .f16)
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"# +
            #""b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"c":{"dtype":"F16","shape":[1],"data_offsets":[8,10]}}"# +
            "       "
        let expected: [UInt8] = [200, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + [0, 0, 64, 64, 128, 63, 0, 64, 0, 62]
        XCTAssertEqual(writer.serialized(), expected)
    }

    func testRoundTripOfEveryWritableDType() throws {
        let dir = try makeTemporaryDirectory(self)
        let values: [Float] = [0, -0.0, 1, -2.5, 3.14159265, 1e-3, 65504, 1e-7, -123.456, 0.1]
        var writer = SafeTensorsWriter()
        try writer.add("f32", shape: [2, 5], values: values, dtype: .f32)
        try writer.add("bf16", shape: [10], values: values, dtype: .bf16)
        try writer.add("f16", shape: [5, 2], values: values, dtype: .f16)
        try writer.add("scalar", shape: [], values: [42], dtype: .f32)
        try writer.add("empty", shape: [0, 3], values: [], dtype: .bf16)
        let path = dir + "/round.safetensors"
        try writer.write(to: path)

        let file = try SafeTensorsFile(path: path)
        XCTAssertEqual(file.header.dataStart % 8, 0, "the data section must be 8-byte aligned")
        XCTAssertEqual(try file.floats("f32"), values)
        XCTAssertEqual(try file.floats("bf16"), values.map { HalfPrecision.bfloat16ToFloat(HalfPrecision.floatToBFloat16($0)) })
        XCTAssertEqual(try file.floats("f16"), values.map { HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16($0)) })
        XCTAssertEqual(try file.floats("scalar"), [42])
        XCTAssertEqual(try file.floats("empty"), [])
        XCTAssertEqual(file.info("f16")?.shape, [5, 2])
        XCTAssertEqual(file.header.metadata, ["format": "pt"])
        // bf16 keeps 8 significant bits, f16 11: rounding errors stay within half an ulp.
        XCTAssertEqual(try file.floats("bf16")[4], 3.140625)
        XCTAssertEqual(try file.floats("f16")[4], 3.140625)
    }

    func testFloat16RoundingMatchesThePlatformConversion() {
        #if arch(x86_64) || arch(arm64)
        var rng = SeededRNG(seed: 7)
        var samples: [Float] = [0, -0.0, 1, 65504, 65520, 65519.99, 1e9, -1e9, 6.1035156e-05, 6.097555e-05,
                                5.9604645e-08, 2.9802322e-08, 2.9802326e-08, 1e-10, .infinity, -.infinity,
                                1.00048828125, 1.00146484375, 2049, 2051]
        for _ in 0..<20_000 {
            let bits = UInt32(truncatingIfNeeded: rng.next())
            let value = Float(bitPattern: bits)
            if !value.isNaN { samples.append(value) }
        }
        for value in samples {
            XCTAssertEqual(HalfPrecision.floatToFloat16(value), Float16(value).bitPattern, "\(value)")
        }
        XCTAssertTrue(HalfPrecision.float16ToFloat(HalfPrecision.floatToFloat16(.nan)).isNaN)
        #endif
    }

    func testWriterRejectsBadInput() {
        var writer = SafeTensorsWriter()
        assertThrows(SafeTensorsWriter.WriteError.self, try writer.add("w", shape: [2, 2], values: [1, 2, 3])) {
            $0 == .shapeMismatch(tensor: "w", shape: [2, 2], valueCount: 3)
        }
        assertThrows(SafeTensorsWriter.WriteError.self, try writer.add("w", shape: [1], values: [1], dtype: .i32)) {
            $0 == .unsupportedDType(tensor: "w", dtype: .i32)
        }
        XCTAssertNoThrow(try writer.add("w", shape: [1], values: [1]))
        assertThrows(SafeTensorsWriter.WriteError.self, try writer.add("w", shape: [1], values: [1])) {
            $0 == .duplicateTensor("w")
        }
        assertThrows(SafeTensorsWriter.WriteError.self, try writer.add("__metadata__", shape: [1], values: [1]))
    }

    func testNamesNeedingJSONEscapesRoundTrip() throws {
        let dir = try makeTemporaryDirectory(self)
        var writer = SafeTensorsWriter(metadata: nil)
        let name = "odd \"name\"\\with\ttabs\u{1}é"
        try writer.add(name, shape: [1], values: [5])
        try writer.write(to: dir + "/odd.safetensors")
        XCTAssertEqual(try SafeTensorsFile(path: dir + "/odd.safetensors").floats(name), [5])
    }

    /// Control characters are escaped as serde_json spells them (`\b`, `\f`, lowercase
    /// `\u0001`); the expected header is what safetensors 0.8.0's `save` wrote for this name.
    func testEscapesAreSpelledAsTheReferenceWriterSpellsThem() throws {
        var writer = SafeTensorsWriter(metadata: nil)
        try writer.add("a\u{8}b\u{C}c\u{1}<", shape: [1], values: [0])
        let header = #"{"a\bb\fc\u0001<":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"# + "     "
        XCTAssertEqual(Array(writer.serialized().dropFirst(8).prefix(header.utf8.count)), Array(header.utf8))
    }
}
