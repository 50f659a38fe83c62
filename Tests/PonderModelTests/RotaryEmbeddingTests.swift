import XCTest
@testable import PonderModel

final class RotaryEmbeddingTests: XCTestCase {
    /// DeepSeek-R1-Distill-Llama-8B's rope (theta 500000, head_dim 128, llama3 8/1/4/8192)
    /// against transformers 5.24 `_compute_llama3_parameters`: index 20 is a kept high
    /// frequency, 30 a smoothed middle one, 40+ divided by the factor.
    func testLlama3FrequenciesMatchTransformers() {
        let rope = RotaryEmbedding(dimension: 128, theta: 500_000,
                                   scaling: .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4,
                                                    originalMaxPositionEmbeddings: 8192))
        let reference: [(Int, Float)] = [(0, 1), (1, 0.814617217), (20, 0.0165604409), (30, 0.00137189368),
                                         (40, 3.42810235e-05), (45, 1.22976389e-05), (50, 4.41153452e-06),
                                         (63, 3.06892588e-07)]
        XCTAssertEqual(rope.inverseFrequencies.count, 64)
        for (index, value) in reference {
            XCTAssertEqual(rope.inverseFrequencies[index], value, accuracy: value * 2e-6, "index \(index)")
        }
    }

    func testDefaultAndLinearFrequencies() {
        let plain = RotaryEmbedding(dimension: 8, theta: 10_000, scaling: .none).inverseFrequencies
        XCTAssertEqual(plain[0], 1)
        XCTAssertEqual(plain[1], 0.1, accuracy: 1e-8)
        XCTAssertEqual(plain[2], 0.01, accuracy: 1e-9)
        XCTAssertEqual(plain[3], 0.001, accuracy: 1e-10)
        let linear = RotaryEmbedding(dimension: 8, theta: 10_000, scaling: .linear(factor: 4)).inverseFrequencies
        for (a, b) in zip(linear, plain) { XCTAssertEqual(a, b / 4) }
    }

    /// HF rotate-half: element i pairs with i + d/2 (not i + 1), per head.
    func testRotationPairsFirstHalfWithSecondHalf() {
        let rope = RotaryEmbedding(dimension: 4, theta: 100, scaling: .none)  // inv_freq [1, 0.1]
        var cos = [Float](repeating: 0, count: 2), sin = [Float](repeating: 0, count: 2)
        [3].withUnsafeBufferPointer { rope.fill(positions: $0, cos: &cos, sin: &sin) }
        XCTAssertEqual(cos[0], cosf(3), accuracy: 1e-7)
        XCTAssertEqual(sin[1], sinf(0.3), accuracy: 1e-7)
        // Two heads of [1, 2, 3, 4] and [5, 6, 7, 8].
        var x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        CPUBackend().applyRotary(&x, rows: 1, heads: 2, headDim: 4, cos: cos, sin: sin)
        let expected: [Float] = [1 * cos[0] - 3 * sin[0], 2 * cos[1] - 4 * sin[1], 3 * cos[0] + 1 * sin[0], 4 * cos[1] + 2 * sin[1],
                                 5 * cos[0] - 7 * sin[0], 6 * cos[1] - 8 * sin[1], 7 * cos[0] + 5 * sin[0], 8 * cos[1] + 6 * sin[1]]
        XCTAssertLessThan(maxAbsDifference(x, expected), 1e-6)
    }

    /// Position 0 is the identity rotation, and rotation preserves each pair's norm.
    func testRotationAtPositionZeroIsIdentityAndPreservesNorm() {
        let rope = RotaryEmbedding(dimension: 8, theta: 10_000, scaling: .none)
        var cos = [Float](repeating: 0, count: 8), sin = [Float](repeating: 0, count: 8)
        [0, 57].withUnsafeBufferPointer { rope.fill(positions: $0, cos: &cos, sin: &sin) }
        let original: [Float] = [0.5, -1, 2, 0.25, 3, -0.75, 1.5, 1, 0.5, -1, 2, 0.25, 3, -0.75, 1.5, 1]
        var x = original
        CPUBackend().applyRotary(&x, rows: 2, heads: 1, headDim: 8, cos: cos, sin: sin)
        XCTAssertEqual(Array(x[0..<8]), Array(original[0..<8]))
        for i in 0..<4 {
            let before = original[8 + i] * original[8 + i] + original[12 + i] * original[12 + i]
            let after = x[8 + i] * x[8 + i] + x[12 + i] * x[12 + i]
            XCTAssertEqual(before, after, accuracy: 1e-5)
        }
        XCTAssertNotEqual(Array(x[8..<16]), Array(original[8..<16]))
    }
}
