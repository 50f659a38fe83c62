import XCTest
@testable import PonderModel
@testable import PonderTrain

final class OptimizerTests: XCTestCase {
    func testScheduleWarmsUpLinearlyThenDecaysToTheFloorAtTheLastStep() throws {
        let schedule = try LearningRateSchedule(peak: 1e-3, floor: 1e-4, warmupSteps: 10, totalSteps: 110)
        XCTAssertEqual(schedule.rate(at: 0), 1e-4, accuracy: 1e-15)
        XCTAssertEqual(schedule.rate(at: 4), 5e-4, accuracy: 1e-15)
        XCTAssertEqual(schedule.rate(at: 9), 1e-3, accuracy: 1e-15)
        XCTAssertEqual(schedule.rate(at: 10), 1e-3, accuracy: 1e-15)
        // Halfway through the cosine: the mean of peak and floor.
        XCTAssertEqual(schedule.rate(at: 10 + 99 / 2), 5.5e-4, accuracy: 1e-5)
        XCTAssertEqual(schedule.rate(at: 109), 1e-4, accuracy: 1e-15)
        var previous = Double.infinity
        for step in 10..<110 {
            XCTAssertLessThanOrEqual(schedule.rate(at: step), previous)
            previous = schedule.rate(at: step)
        }
        XCTAssertThrowsError(try LearningRateSchedule(peak: 1e-3, warmupSteps: 5, totalSteps: 5))
        XCTAssertThrowsError(try LearningRateSchedule(peak: 0, warmupSteps: 0, totalSteps: 5))
        XCTAssertThrowsError(try LearningRateSchedule(peak: 1e-3, floor: 2e-3, warmupSteps: 0, totalSteps: 5))
    }

    func testClippingScalesToTheMaximumNormAndLeavesSmallGradientsAlone() throws {
        let config = try ModelConfig(modelType: "qwen2", hiddenSize: 4, numHiddenLayers: 1, numAttentionHeads: 2,
                                     intermediateSize: 6, vocabSize: 7)
        let gradients = ModelParameters.initialized(config: config, architecture: Qwen2(), seed: 1, standardDeviation: 1)
        let before = gradients.squaredNorm().squareRoot()
        XCTAssertEqual(GradientClipping.clip(gradients, maxNorm: 2 * before), before, accuracy: 1e-9)
        XCTAssertEqual(gradients.squaredNorm().squareRoot(), before, accuracy: 1e-9)
        XCTAssertEqual(GradientClipping.clip(gradients, maxNorm: 0.5), before, accuracy: 1e-9)
        XCTAssertEqual(gradients.squaredNorm().squareRoot(), 0.5, accuracy: 1e-5)
    }

    func testWeightDecaySkipsNormsAndBiases() throws {
        let config = try ModelConfig(modelType: "qwen2", hiddenSize: 4, numHiddenLayers: 1, numAttentionHeads: 2,
                                     intermediateSize: 6, vocabSize: 7)
        let parameters = ModelParameters.initialized(config: config, architecture: Qwen2(), seed: 2)
        for tensor in parameters.tensors { tensor.buffer.fill(1) }
        let optimizer = try AdamW(settings: AdamWSettings(weightDecay: 0.5), like: parameters)
        // Zero gradients: only decay moves anything.
        optimizer.step(parameters: parameters, gradients: parameters.zerosLike(), learningRate: 0.1)
        for tensor in parameters.tensors {
            let expected: Float = tensor.role == .norm || tensor.role == .bias ? 1 : 0.95
            XCTAssertEqual(tensor.buffer.pointer[0], expected, accuracy: 1e-7, tensor.spec.name)
        }
        XCTAssertThrowsError(try AdamW(settings: AdamWSettings(beta1: 1), like: parameters))
    }

    func testInitializationIsDeterministicInTheSeed() throws {
        let config = try ModelConfig(modelType: "qwen2", hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2,
                                     intermediateSize: 6, vocabSize: 9, tieWordEmbeddings: true)
        let a = ModelParameters.initialized(config: config, architecture: Qwen2(), seed: 7)
        let b = ModelParameters.initialized(config: config, architecture: Qwen2(), seed: 7)
        let c = ModelParameters.initialized(config: config, architecture: Qwen2(), seed: 8)
        XCTAssertEqual(a.tensors.map { $0.buffer.array }, b.tensors.map { $0.buffer.array })
        XCTAssertNotEqual(a.tensors[0].buffer.array, c.tensors[0].buffer.array)
        // Tied: the head is the embedding object, listed once.
        XCTAssertTrue(a.weights.output.weight === a.weights.embedding)
        XCTAssertNil(a.tensor(named: "lm_head.weight"))
        let std = (ModelParameters.squaredNorm(a.weights.embedding) / Double(a.weights.embedding.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.006)
        XCTAssertEqual(a.weights.layers[0].inputNorm.array, [Float](repeating: 1, count: 8))
        XCTAssertEqual(a.weights.layers[0].query.bias?.array, [Float](repeating: 0, count: 8))
    }
}
