import XCTest
@testable import PonderModel

/// One test per check of the reference reader, each on a hand-built file that violates it.
final class SafeTensorsValidationTests: XCTestCase {
    /// A safetensors file from a header string and data bytes; `length` overrides N.
    func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let headerBytes = Array(header.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (length ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + headerBytes + data
    }

    func parse(_ bytes: [UInt8]) throws -> SafeTensorsHeader {
        try bytes.withUnsafeBytes { try SafeTensorsHeader(parsing: $0, file: "test.safetensors") }
    }

    func f32Bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    func testValidFileParsesWithMetadataScalarsAndEmptyTensors() throws {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"# +
            #""s":{"dtype":"BF16","shape":[],"data_offsets":[16,18]},"e":{"dtype":"F16","shape":[0,4],"data_offsets":[18,18]}}"#
        let parsed = try parse(file(header, data: f32Bytes([1, 2, 3, 4]) + [0x80, 0x3F]))
        XCTAssertEqual(parsed.metadata, ["format": "pt"])
        XCTAssertEqual(parsed.tensors.map(\.name), ["w", "s", "e"])
        XCTAssertEqual(parsed.tensorsByName["s"]?.elementCount, 1)
        XCTAssertEqual(parsed.tensorsByName["e"]?.elementCount, 0)
        XCTAssertEqual(parsed.tensorsByName["w"]?.shape, [2, 2])
    }

    func testLeadingAndTrailingWhitespacePaddingIsAccepted() throws {
        let header = "  \n" + #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"# + "     "
        XCTAssertEqual(try parse(file(header, data: f32Bytes([7]))).tensors.count, 1)
    }

    func testFileShorterThanEightBytes() {
        assertThrows(SafeTensorsError.self, try parse([1, 0, 0])) { $0 == .headerTooSmall(file: "test.safetensors", fileSize: 3) }
    }

    func testHeaderLengthAboveLimit() {
        assertThrows(SafeTensorsError.self, try parse(file("{}", length: 100_000_001))) {
            $0 == .headerTooLarge(file: "test.safetensors", headerLength: 100_000_001)
        }
    }

    func testHeaderLengthPastEndOfFile() {
        assertThrows(SafeTensorsError.self, try parse(file("{}", length: 50))) {
            if case .invalidHeaderLength = $0 { return true } else { return false }
        }
    }

    func testHeaderThatIsNotUTF8() {
        var bytes = file("{\"a\":1}")
        bytes[10] = 0xFF
        assertThrows(SafeTensorsError.self, try parse(bytes)) { $0 == .invalidHeaderEncoding(file: "test.safetensors") }
    }

    func testHeaderThatIsNotJSONOrHasTheWrongShape() {
        let bad = [
            #"{"w": {"dtype": "F32""#,                                                  // truncated JSON
            #"[1, 2]"#,                                                                 // not an object
            #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#,                               // no dtype
            #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,                // negative dim
            #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,               // fractional dim
            #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#,               // three offsets
            #"{"__metadata__":{"n":1},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,  // non-string metadata
        ]
        for header in bad {
            assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1])))) {
                if case .invalidHeaderJSON = $0 { return true } else { return false }
            }
        }
    }

    func testDuplicateTensorNameIsRejected() {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let error = assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2]))))
        XCTAssertTrue(error?.description.contains("duplicate key \"w\"") ?? false, "\(String(describing: error))")
    }

    /// "é" written precomposed and decomposed are two JSON keys, but one Swift `String`: the
    /// header refuses them rather than let a by-name lookup silently pick one.
    func testCanonicallyEquivalentTensorNamesAreRejected() {
        let header = "{\"\u{E9}\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"e\u{301}\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"
        let error = assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2]))))
        XCTAssertTrue(error?.description.contains("different encodings") ?? false, "\(String(describing: error))")
    }

    func testOverlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let error = assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2, 3])))) {
            $0 == .invalidOffset(file: "test.safetensors", tensor: "b", begin: 4, end: 12, expectedBegin: 8)
        }
        XCTAssertTrue(error?.description.contains("overlaps") ?? false)
    }

    func testHoleBetweenTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        let error = assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2, 3])))) {
            $0 == .invalidOffset(file: "test.safetensors", tensor: "b", begin: 8, end: 12, expectedBegin: 4)
        }
        XCTAssertTrue(error?.description.contains("hole") ?? false)
    }

    func testEndBeforeBegin() {
        let header = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"c":{"dtype":"F32","shape":[1],"data_offsets":[4,2]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1])))) {
            if case let .invalidOffset(_, tensor, _, _, _) = $0 { return tensor == "c" } else { return false }
        }
    }

    func testShapeWhoseSizeOverflows() {
        let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,2],"data_offsets":[0,4]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1])))) {
            if case let .validationOverflow(_, tensor, _) = $0 { return tensor == "w" } else { return false }
        }
        // The element count fits but × 32 bits does not.
        let bits = #"{"w":{"dtype":"F32","shape":[1152921504606846976],"data_offsets":[0,4]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(bits, data: f32Bytes([1])))) {
            if case .validationOverflow = $0 { return true } else { return false }
        }
    }

    func testByteSizeThatDisagreesWithShape() {
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2])))) {
            $0 == .tensorInvalidInfo(file: "test.safetensors", tensor: "w", byteCount: 8, expected: 12)
        }
    }

    func testSubByteTypeThatIsNotWholeBytes() {
        let header = #"{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: [0, 0]))) {
            $0 == .misalignedSlice(file: "test.safetensors", tensor: "w")
        }
    }

    func testTrailingBytesAndTruncatedData() {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1, 2]) + [0]))) {
            $0 == .metadataIncompleteBuffer(file: "test.safetensors", dataEnd: 8, bufferSize: 9)
        }
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1])))) {
            $0 == .metadataIncompleteBuffer(file: "test.safetensors", dataEnd: 8, bufferSize: 4)
        }
    }

    func testUnknownDType() {
        let header = #"{"w":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}"#
        assertThrows(SafeTensorsError.self, try parse(file(header, data: f32Bytes([1])))) {
            $0 == .unknownDType(file: "test.safetensors", tensor: "w", dtype: "F12")
        }
    }

    /// Known non-float dtypes validate (their bytes tile the file) but cannot be read as weights.
    func testKnownDTypeThatCannotBeLoaded() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/ints.safetensors"
        let header = #"{"ids":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}"#
        try Data(file(header, data: [1, 0, 0, 0, 2, 0, 0, 0])).write(to: URL(fileURLWithPath: path))
        let opened = try SafeTensorsFile(path: path)
        let error = assertThrows(SafeTensorsError.self, try opened.floats("ids")) {
            $0 == .unsupportedDType(file: path, tensor: "ids", dtype: .i32)
        }
        XCTAssertTrue(error?.description.contains(path) ?? false)
        XCTAssertTrue(error?.description.contains("'ids'") ?? false)
    }

    /// A header whose length is not a multiple of 8 leaves the F32 data unaligned in the
    /// mapping; reading must still give the exact values.
    func testUnalignedDataIsReadExactly() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/unaligned.safetensors"
        let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#  // 55 bytes
        XCTAssertNotEqual((8 + header.utf8.count) % 4, 0)
        try Data(file(header, data: f32Bytes([1.5, -2.25, 1e-3]))).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SafeTensorsFile(path: path).floats("w"), [1.5, -2.25, 1e-3])
    }

    func testFilesOnDiskReportTheirPath() throws {
        let dir = try makeTemporaryDirectory(self)
        let empty = dir + "/empty.safetensors"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let error = assertThrows(SafeTensorsError.self, try SafeTensorsFile(path: empty)) {
            $0 == .headerTooSmall(file: empty, fileSize: 0)
        }
        XCTAssertTrue(error?.description.hasPrefix(empty) ?? false)
        assertThrows(SafeTensorsError.self, try SafeTensorsFile(path: dir + "/missing.safetensors")) {
            if case .cannotOpen = $0 { return true } else { return false }
        }
    }
}
