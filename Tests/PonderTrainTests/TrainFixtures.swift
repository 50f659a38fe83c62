import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTrain

/// Locations of committed fixtures, found relative to this file (no SwiftPM resources).
enum TrainFixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let modelsDirectory = testsDirectory.appendingPathComponent("Fixtures/models")
    static let trainDirectory = testsDirectory.appendingPathComponent("Fixtures/train")

    static func modelPath(_ name: String) -> String {
        modelsDirectory.appendingPathComponent(name).path
    }

    /// `Tests/Fixtures/train/train_reference.json` (see make_train_fixture.py).
    struct Reference: Decodable {
        struct Sequence: Decodable {
            let tokens: [Int]
            let lossMask: [Bool]
            enum CodingKeys: String, CodingKey { case tokens, lossMask = "loss_mask" }
        }
        struct Step: Decodable {
            let loss: Double
            let gradNorm: Double
            enum CodingKeys: String, CodingKey { case loss, gradNorm = "grad_norm" }
        }
        struct AdamWRun: Decodable {
            let maxNorm: Double
            let steps: [Step]
            let changeNorms: [String: Double]
            enum CodingKeys: String, CodingKey { case maxNorm = "max_norm", steps, changeNorms = "change_norms" }
        }
        struct Model: Decodable {
            let sequences: [Sequence]
            let loss: Double
            let gradNorms: [String: Double]
            let gradSamples: [String: [String: Double]]
            let adamw: AdamWRun
            enum CodingKeys: String, CodingKey {
                case sequences, loss, adamw
                case gradNorms = "grad_norms"
                case gradSamples = "grad_samples"
            }
        }
        struct Settings: Decodable {
            let betas: [Double]
            let eps: Double
            let weightDecay: Double
            enum CodingKeys: String, CodingKey { case betas, eps, weightDecay = "weight_decay" }
        }
        let learningRates: [Double]
        let adamw: Settings
        let models: [String: Model]
        enum CodingKeys: String, CodingKey { case learningRates = "learning_rates", adamw, models }
    }

    static func reference() throws -> Reference {
        let url = trainDirectory.appendingPathComponent("train_reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }
}

/// Relative difference |a − b| / max(|b|, floor).
func relativeDifference(_ a: Double, _ b: Double, floor: Double = 1e-12) -> Double {
    abs(a - b) / max(abs(b), floor)
}

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "ponder-train-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Mean cross-entropy loss of `batch` and its gradients (accumulated into the trainer's).
func lossAndGradients(_ trainer: DifferentiableTransformer, _ batch: TokenBatch) throws -> Double {
    let logits = trainer.forward(batch)
    let vocab = trainer.parameters.config.vocabSize
    var dLogits = [Float](repeating: 0, count: batch.rows * vocab)
    let loss = try dLogits.withUnsafeMutableBufferPointer { buffer in
        try TokenCrossEntropy.meanLossAndGradient(logits: logits, batch: batch, vocabularySize: vocab,
                                                  gradients: buffer.baseAddress!)
    }
    dLogits.withUnsafeBufferPointer { trainer.backward(logitGradients: $0.baseAddress!) }
    return loss
}
