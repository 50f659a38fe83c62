import Foundation
import PonderModel

/// AdamW settings (PyTorch's `torch.optim.AdamW` semantics).
public struct AdamWSettings: Sendable, Equatable, Codable {
    /// β₁, the first-moment decay.
    public var beta1: Double
    /// β₂, the second-moment decay.
    public var beta2: Double
    /// ε added to the denominator.
    public var epsilon: Double
    /// Decoupled weight decay, applied to matrices and embeddings only (never to norms or
    /// biases, whose scale is meaningful).
    public var weightDecay: Double

    /// Settings; the defaults are the usual ones for small language models.
    public init(beta1: Double = 0.9, beta2: Double = 0.95, epsilon: Double = 1e-8, weightDecay: Double = 0.1) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Throws unless 0 ≤ β < 1, ε > 0 and the decay is ≥ 0.
    public func validate() throws {
        for (key, beta) in [("beta1", beta1), ("beta2", beta2)] where !(beta >= 0 && beta < 1) {
            throw TrainError.invalidSetting(key: key, reason: "must be in [0, 1), found \(beta)")
        }
        guard epsilon > 0, epsilon.isFinite else {
            throw TrainError.invalidSetting(key: "epsilon", reason: "must be a positive number, found \(epsilon)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw TrainError.invalidSetting(key: "weight_decay", reason: "must be 0 or more, found \(weightDecay)")
        }
    }
}

/// AdamW over a `ModelParameters`, step for step what `torch.optim.AdamW` computes:
///
///     p ← p · (1 − lr · λ)                       (matrices and embeddings only)
///     m ← β₁ m + (1 − β₁) g;   v ← β₂ v + (1 − β₂) g²
///     p ← p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The moments are `ModelParameters` of the same structure, so they are saved and restored
/// with the weights for an exact resume.
public final class AdamW {
    /// The settings.
    public let settings: AdamWSettings
    /// The first moments m.
    public let firstMoments: ModelParameters
    /// The second moments v.
    public let secondMoments: ModelParameters
    /// Updates taken so far (t of the bias corrections).
    public private(set) var stepCount: Int

    /// An optimizer with zero moments for `parameters`' structure.
    public init(settings: AdamWSettings, like parameters: ModelParameters) throws {
        try settings.validate()
        self.settings = settings
        firstMoments = parameters.zerosLike()
        secondMoments = parameters.zerosLike()
        stepCount = 0
    }

    /// Restores the step count (resume); the moments are restored through their buffers.
    public func restore(stepCount: Int) {
        self.stepCount = max(0, stepCount)
    }

    /// Applies one update to `parameters` from `gradients` at `learningRate`.
    public func step(parameters: ModelParameters, gradients: ModelParameters, learningRate: Double) {
        stepCount += 1
        let t = Double(stepCount)
        let b1 = Float(settings.beta1), b2 = Float(settings.beta2)
        let stepSize = Float(learningRate / (1 - pow(settings.beta1, t)))
        let correction2 = Float((1 - pow(settings.beta2, t)).squareRoot())
        let eps = Float(settings.epsilon)
        let tensors = zip(zip(parameters.tensors, gradients.tensors), zip(firstMoments.tensors, secondMoments.tensors))
        for ((parameter, gradient), (first, second)) in tensors {
            let p = parameter.buffer.pointer, g = gradient.buffer.pointer  // [count] each
            let m = first.buffer.pointer, v = second.buffer.pointer
            let decays = parameter.role != .norm && parameter.role != .bias
            let keep = decays ? Float(1 - learningRate * settings.weightDecay) : 1
            for i in 0..<parameter.buffer.count {
                let gi = g[i]
                p[i] *= keep
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + eps)
            }
        }
    }
}
