import XCTest
@testable import PonderModel
@testable import PonderTrain

/// Finite-difference checks of every parameter kind on tiny random models: for each tensor,
/// the analytic directional derivative g·u must equal the fourth-order central difference
/// of the loss along u, for u along the gradient and for a random direction.
///
/// Why directions rather than single entries: the loss is computed in fp32, so a difference
/// quotient carries rounding noise of about 1e-6 / h. Along a whole-tensor direction the
/// derivative is as large as the tensor's gradient norm, far above that noise, whereas
/// single entries are often smaller than it. The fourth-order stencil keeps truncation error
/// at O(h⁴) (the random-spread weights make the loss strongly curved), so h = 3e-3 balances
/// truncation against rounding noise.
final class GradientCheckTests: XCTestCase {
    /// A Qwen2 model (q/k/v biases, GQA 2:1, untied head) and a Llama model with every bias
    /// switched on (o_proj and MLP biases too), tied head, linear RoPE scaling and head_dim ≠
    /// hidden / heads: between them every parameter kind the trainer supports.
    static func configs() throws -> [(String, ModelConfig)] {
        [
            ("qwen2", try ModelConfig(modelType: "qwen2", hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2,
                                      numKeyValueHeads: 1, intermediateSize: 12, vocabSize: 13, rmsNormEps: 1e-6,
                                      tieWordEmbeddings: false, maxPositionEmbeddings: 32)),
            ("llama", try ModelConfig(modelType: "llama", hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 4,
                                      numKeyValueHeads: 2, headDim: 6, intermediateSize: 10, vocabSize: 11,
                                      rmsNormEps: 1e-5, ropeTheta: 100, ropeScaling: .linear(factor: 2),
                                      tieWordEmbeddings: true, attentionBias: true, mlpBias: true,
                                      maxPositionEmbeddings: 32)),
        ]
    }

    /// Random values in every tensor (norms around 1, biases around 0) so no derivative is
    /// trivially zero and attention is far from uniform.
    static func randomParameters(_ config: ModelConfig, seed: UInt64) -> ModelParameters {
        let architecture: any DecoderArchitecture = config.modelType == "qwen2" ? Qwen2() : Llama()
        let parameters = ModelParameters(config: config, architecture: architecture)
        var gaussian = GaussianSampler(rng: SeededRNG(seed: seed))
        for tensor in parameters.tensors {
            let (mean, spread): (Double, Double) = tensor.role == .norm ? (1, 0.3) : (0, tensor.role == .bias ? 0.3 : 0.5)
            for i in 0..<tensor.buffer.count { tensor.buffer.pointer[i] = Float(mean + spread * gaussian.next()) }
        }
        return parameters
    }

    static func batch(vocab: Int) throws -> TokenBatch {
        var rng = SeededRNG(seed: 42)
        func tokens(_ n: Int) -> [Int] { (0..<n).map { _ in rng.nextInt(below: vocab) } }
        return try TokenBatch([
            TrainingSequence(prompt: tokens(3), completion: tokens(4)),
            TrainingSequence(tokens: tokens(5), lossMask: [false, true, false, true, true]),
            TrainingSequence(prompt: tokens(1), completion: tokens(2)),
        ], vocabularySize: vocab, maxLength: 32)
    }

    func testDirectionalDerivativesMatchFiniteDifferencesForEveryTensor() throws {
        for (name, config) in try Self.configs() {
            let parameters = Self.randomParameters(config, seed: 5)
            let trainer = DifferentiableTransformer(parameters: parameters)
            let batch = try Self.batch(vocab: config.vocabSize)
            _ = try lossAndGradients(trainer, batch)
            var scratch = [Float](repeating: 0, count: batch.rows * config.vocabSize)
            func loss() throws -> Double {
                let logits = trainer.forward(batch)
                return try scratch.withUnsafeMutableBufferPointer {
                    try TokenCrossEntropy.meanLossAndGradient(logits: logits, batch: batch, vocabularySize: config.vocabSize,
                                                              gradients: $0.baseAddress!)
                }
            }
            var rng = GaussianSampler(rng: SeededRNG(seed: 9))
            var checked = Set<TransformerWeights.TensorRole>()
            for (tensor, gradient) in zip(parameters.tensors, trainer.gradients.tensors) {
                let count = tensor.buffer.count
                let g = Array(UnsafeBufferPointer(start: gradient.buffer.pointer, count: count)).map(Double.init)
                let gradientNorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                XCTAssertGreaterThan(gradientNorm, 1e-4, "\(name) \(tensor.spec.name) has no gradient to check")
                let random = (0..<count).map { _ in rng.next() }
                for (kind, raw) in [("gradient", g), ("random", random)] {
                    let length = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    let u = raw.map { $0 / length }
                    let analytic = zip(g, u).reduce(0) { $0 + $1.0 * $1.1 }
                    let original = Array(UnsafeBufferPointer(start: tensor.buffer.pointer, count: count))
                    func shifted(_ step: Double) throws -> Double {
                        for i in 0..<count { tensor.buffer.pointer[i] = original[i] + Float(step * u[i]) }
                        return try loss()
                    }
                    let h = 3e-3
                    let numeric = (-(try shifted(2 * h)) + 8 * (try shifted(h)) - 8 * (try shifted(-h)) + (try shifted(-2 * h))) / (12 * h)
                    for i in 0..<count { tensor.buffer.pointer[i] = original[i] }
                    let error = abs(numeric - analytic)
                    // 1e-4 absolute covers the fp32 noise floor (~4e-5 measured at h = 3e-3).
                    XCTAssertLessThan(error, 2e-3 * gradientNorm + 1e-4,
                                      "\(name) \(tensor.spec.name) (\(kind)): analytic \(analytic) numeric \(numeric)")
                }
                checked.insert(tensor.role)
            }
            let expectedRoles: Set<TransformerWeights.TensorRole> = config.tieWordEmbeddings
                ? [.embedding, .norm, .weight, .bias] : [.embedding, .norm, .weight, .bias, .outputHead]
            XCTAssertEqual(checked, expectedRoles, name)
        }
    }

    func testGradientsAccumulateAcrossBackwardPassesAndZeroClears() throws {
        let (_, config) = try Self.configs()[0]
        let trainer = DifferentiableTransformer(parameters: Self.randomParameters(config, seed: 1))
        let batch = try Self.batch(vocab: config.vocabSize)
        _ = try lossAndGradients(trainer, batch)
        let once = trainer.gradients.squaredNorm()
        _ = try lossAndGradients(trainer, batch)
        XCTAssertEqual(trainer.gradients.squaredNorm(), 4 * once, accuracy: 1e-6 * once)
        trainer.zeroGradients()
        XCTAssertEqual(trainer.gradients.squaredNorm(), 0)
    }
}
