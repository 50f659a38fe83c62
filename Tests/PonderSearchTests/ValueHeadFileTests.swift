import Foundation
import XCTest
import PonderModel
@testable import PonderSearch

/// `ValueHeads.load(directory:)`: the value head beside a checkpoint, in TRL's tensor names.
final class ValueHeadFileTests: XCTestCase {
    func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-vh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testLinearHeadIsReadWithTRLNames() throws {
        let dir = try temporaryDirectory()
        XCTAssertNil(try ValueHeads.load(directory: dir), "no file: no value head")
        var writer = SafeTensorsWriter()
        try writer.add(LinearValueHead.weightName, shape: [1, 3], values: [0.5, -1, 2], dtype: .bf16)
        try writer.add(LinearValueHead.biasName, shape: [1], values: [0.25])
        try writer.write(to: dir + "/" + ValueHeads.fileName)
        let head = try XCTUnwrap(try ValueHeads.load(directory: dir))
        XCTAssertEqual(head.inputSize, 3)
        let value = try head.values([[1, 2, 3]])[0]
        XCTAssertEqual(value, 1 / (1 + exp(-(0.5 - 2 + 6 + 0.25))), accuracy: 1e-6)
    }

    func testMLPHeadTakesItsActivationFromTheMetadata() throws {
        let dir = try temporaryDirectory()
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "activation": "tanh"])
        try writer.add(MLPValueHead.names.w1, shape: [2, 2], values: [1, 0, 0, -1])
        try writer.add(MLPValueHead.names.b1, shape: [2], values: [0, 0])
        try writer.add(MLPValueHead.names.w2, shape: [1, 2], values: [1, 1])
        try writer.add(MLPValueHead.names.b2, shape: [1], values: [0])
        try writer.write(to: dir + "/" + ValueHeads.fileName)
        let head = try XCTUnwrap(try ValueHeads.load(directory: dir) as? MLPValueHead)
        XCTAssertEqual(head.activation, .tanh)
        // tanh(1) + tanh(-(-2)) = tanh(1) + tanh(2)
        XCTAssertEqual(try head.values([[1, -2]])[0], 1 / (1 + exp(-(tanh(1) + tanh(2)))), accuracy: 1e-6)

        var bad = SafeTensorsWriter(metadata: ["activation": "swish"])
        try bad.add(MLPValueHead.names.w1, shape: [1, 1], values: [1])
        try bad.write(to: dir + "/" + ValueHeads.fileName)
        XCTAssertThrowsError(try ValueHeads.load(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("swish"), "\(error)")
        }
    }

    func testMissingTensorsAreNamed() throws {
        let dir = try temporaryDirectory()
        var writer = SafeTensorsWriter()
        try writer.add("v_head.other", shape: [1], values: [0])
        try writer.write(to: dir + "/" + ValueHeads.fileName)
        XCTAssertThrowsError(try ValueHeads.load(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("v_head.mlp.0.weight"), "\(error)")
        }
    }
}
