import Foundation
import XCTest
@testable import PonderLab

final class ModelFingerprintTests: XCTestCase {
    func testFingerprintFollowsFileContents() throws {
        let folder = try makeTemporaryDirectory(self)
        try "{\"hidden_size\": 64}".write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try Data(repeating: 1, count: 4096).write(to: folder.appendingPathComponent("model.safetensors"))
        let first = try ModelFingerprint.compute(directory: folder)
        XCTAssertEqual(first.count, 64)
        XCTAssertEqual(try ModelFingerprint.compute(directory: folder), first)
        var weights = Data(repeating: 1, count: 4096)
        weights[2000] = 2
        try weights.write(to: folder.appendingPathComponent("model.safetensors"))
        XCTAssertNotEqual(try ModelFingerprint.compute(directory: folder), first, "a changed weight byte changes the version")
        try "{\"hidden_size\": 64}".write(to: folder.appendingPathComponent(".DS_Store"), atomically: true, encoding: .utf8)
        let withHidden = try ModelFingerprint.compute(directory: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent(".DS_Store"))
        XCTAssertEqual(try ModelFingerprint.compute(directory: folder), withHidden, "hidden files are ignored")
    }
}
