import XCTest
@testable import PonderModel
@testable import PonderTrain

/// The trainer's forward pass is the inference engine's: same logits (within 1e-5) on the
/// same weights, whether sequences are packed into one batch or not.
final class ForwardParityTests: XCTestCase {
    func testPackedTrainingLogitsEqualTransformerModelLogits() throws {
        for name in ["qwen2-gqa-bias", "llama-rope-llama3", "qwen2-tied-bf16"] {
            let parameters = try ModelParameters.load(directory: TrainFixtures.modelPath(name))
            let model = try parameters.makeModel()
            let vocab = parameters.config.vocabSize
            var rng = SeededRNG(seed: 3)
            let sequences = [11, 1, 23, 6].map { n in (0..<n).map { _ in rng.nextInt(below: vocab) } }
            let batch = try TokenBatch(sequences.map { TrainingSequence(prompt: [], completion: $0) },
                                       vocabularySize: vocab, maxLength: 256)
            let trainer = DifferentiableTransformer(parameters: parameters)
            let logits = Array(trainer.forward(batch))
            XCTAssertEqual(logits.count, batch.rows * vocab)
            for (index, tokens) in sequences.enumerated() {
                let reference = try model.forward(tokens: tokens, cache: model.makeCache(), outputs: .all,
                                                  returnHiddenStates: true)
                let start = batch.rowOffsets[index] * vocab
                let ours = logits[start..<(start + tokens.count * vocab)]
                var worst: Float = 0
                for (a, b) in zip(ours, reference.logits) { worst = max(worst, abs(a - b)) }
                XCTAssertLessThan(worst, 1e-5, "\(name) sequence \(index)")
                let hidden = Array(trainer.finalHiddenStates)
                let h = parameters.config.hiddenSize
                let ourHidden = hidden[(batch.rowOffsets[index] * h)..<((batch.rowOffsets[index] + tokens.count) * h)]
                var worstHidden: Float = 0
                for (a, b) in zip(ourHidden, reference.hiddenStates ?? []) { worstHidden = max(worstHidden, abs(a - b)) }
                XCTAssertLessThan(worstHidden, 1e-5, "\(name) hidden states of sequence \(index)")
            }
        }
    }

    func testBatchRejectsBadSequences() throws {
        XCTAssertThrowsError(try TokenBatch([TrainingSequence(tokens: [1, 2], lossMask: [true])],
                                            vocabularySize: 5, maxLength: 8)) { error in
            XCTAssertEqual(error as? TrainError, .invalidSequence(index: 0, reason: "the loss mask has 1 entries for 2 tokens"))
        }
        XCTAssertThrowsError(try TokenBatch([TrainingSequence(prompt: [1], completion: [7])], vocabularySize: 5, maxLength: 8))
        XCTAssertThrowsError(try TokenBatch([TrainingSequence(prompt: [1, 2, 3], completion: [1])], vocabularySize: 5, maxLength: 3))
        XCTAssertThrowsError(try TokenBatch([TrainingSequence(tokens: [], lossMask: [])], vocabularySize: 5, maxLength: 3))
        let batch = try TokenBatch([TrainingSequence(prompt: [1, 2], completion: [3, 4]),
                                    TrainingSequence(tokens: [4, 0, 1], lossMask: [true, false, true])],
                                   vocabularySize: 5, maxLength: 8)
        // Row r predicts token r + 1 of its sequence when that token is masked in.
        XCTAssertEqual(batch.targets, [-1, 3, 4, -1, -1, 1, -1])
        XCTAssertEqual(batch.targetCount, 3)
        XCTAssertEqual(batch.rowOffsets, [0, 4])
    }
}
