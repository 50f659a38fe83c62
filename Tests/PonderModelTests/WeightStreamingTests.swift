import XCTest
@testable import PonderModel

/// bf16 weight streaming reads half the bytes per decoded token and must not change a single
/// logit on a checkpoint stored in bf16.
final class WeightStreamingTests: XCTestCase {
    /// Every product through the streaming kernel (no sgemm), so the bf16 path is what runs.
    func load(_ fixture: String, _ streaming: WeightStreaming) throws -> TransformerModel {
        try TransformerModel.load(directory: Fixtures.modelPath(fixture),
                                  backend: CPUBackend(threads: 2, skinnyRowLimit: Int.max), weightStreaming: streaming)
    }

    func testBF16StreamingGivesBitIdenticalLogitsOnABF16Checkpoint() throws {
        let f32 = try load("qwen2-tied-bf16", .f32), bf16 = try load("qwen2-tied-bf16", .bf16)
        XCTAssertNotNil(bf16.weights.layers[0].gate.streamingWeight)
        XCTAssertNotNil(bf16.weights.output.streamingWeight)
        XCTAssertNil(f32.weights.layers[0].gate.streamingWeight)
        // 17 prompt rows take the tiled kernel (blocks of 4 and a remainder), then single-row
        // decode steps take the one-row stream.
        let prompt = Array(3...19)
        let cacheA = f32.makeCache(), cacheB = bf16.makeCache()
        let a = try f32.forward(tokens: prompt, cache: cacheA, outputs: .all)
        let b = try bf16.forward(tokens: prompt, cache: cacheB, outputs: .all)
        for row in 0..<prompt.count { XCTAssertEqual(a.logits(row: row), b.logits(row: row), "prompt row \(row)") }
        for token in [5, 77, 2, 41] {
            let stepA = try f32.forward(tokens: [token], cache: cacheA)
            let stepB = try bf16.forward(tokens: [token], cache: cacheB)
            XCTAssertEqual(stepA.lastLogits, stepB.lastLogits, "decode token \(token)")
        }
        // Two and three rows (the other stream widths), 12 and 16 (the broadcast kernel).
        for rows in [2, 3, 12, 16] {
            let x = try f32.forward(tokens: Array(20..<(20 + rows)), cache: f32.makeCache(), outputs: .all)
            let y = try bf16.forward(tokens: Array(20..<(20 + rows)), cache: bf16.makeCache(), outputs: .all)
            for row in 0..<rows { XCTAssertEqual(x.logits(row: row), y.logits(row: row), "\(rows) rows, row \(row)") }
        }
    }

    func testBF16StreamingRefusesWeightsBF16CannotHold() {
        XCTAssertThrowsError(try load("qwen2-gqa-bias", .bf16)) { error in
            guard case ModelError.weightNotBF16(let name)? = error as? ModelError else {
                return XCTFail("expected weightNotBF16, got \(error)")
            }
            XCTAssertTrue(name.contains("layer 0"), name)
            XCTAssertTrue("\(error)".contains("stored in bf16"))
        }
    }

    func testBF16BufferKeepsExactValuesAndRejectsOthers() throws {
        let exact = FloatBuffer([1, -2.5, 0, 3.140625, -0.0078125])
        let copy = try XCTUnwrap(BF16Buffer(exactly: exact))
        XCTAssertEqual((0..<5).map { copy[$0] }, exact.array)
        XCTAssertNil(BF16Buffer(exactly: FloatBuffer([1, 0.1])))
    }
}
