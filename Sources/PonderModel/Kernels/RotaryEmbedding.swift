#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding frequencies, computed as transformers' `modeling_rope_utils.py`
/// does, in fp32 (its `inv_freq` buffer is fp32 and cos/sin are forced to fp32).
///
/// For every rope type Ponder supports the attention scaling factor is 1, so cos/sin are
/// used unscaled.
public struct RotaryEmbedding: Sendable {
    /// Inverse frequencies, one per rotated pair: `[headDim / 2]`.
    public let inverseFrequencies: [Float]
    /// The rotary (head) dimension.
    public let dimension: Int

    /// Frequencies for a head dimension, base `theta` and scaling.
    public init(dimension: Int, theta: Double, scaling: RopeScaling) {
        self.dimension = dimension
        // _compute_default_rope_parameters: 1 / base^(arange(0, d, 2) / d), all in fp32.
        let base = Float(theta)
        var inverse = (0..<(dimension / 2)).map { i in 1 / powf(base, Float(2 * i) / Float(dimension)) }
        switch scaling {
        case .none:
            break
        case let .linear(factor):
            // _compute_linear_scaling_rope_parameters: dividing the frequencies by the factor
            // is the same as dividing positions by it.
            let f = Float(factor)
            inverse = inverse.map { $0 / f }
        case let .llama3(factor, low, high, original):
            inverse = Self.llama3(inverse, factor: Float(factor), lowFrequencyFactor: Float(low),
                                  highFrequencyFactor: Float(high), originalContext: Float(original))
        }
        inverseFrequencies = inverse
    }

    /// The frequencies of `config`'s attention heads.
    public init(config: ModelConfig) {
        self.init(dimension: config.headDim, theta: config.ropeTheta, scaling: config.ropeScaling)
    }

    /// _compute_llama3_parameters: long wavelengths are slowed down by `factor`, short ones are
    /// kept, and those in between are interpolated smoothly (boundaries count as "between").
    static func llama3(_ inverse: [Float], factor: Float, lowFrequencyFactor low: Float,
                       highFrequencyFactor high: Float, originalContext: Float) -> [Float] {
        let lowFrequencyWavelength = originalContext / low
        let highFrequencyWavelength = originalContext / high
        return inverse.map { frequency in
            // PyTorch evaluates `scalar / tensor` as `tensor.reciprocal() * scalar`; doing the
            // same keeps the wavelength comparisons bit-identical at the band boundaries.
            let wavelength = (1 / frequency) * (2 * Float.pi)
            let scaled = wavelength > lowFrequencyWavelength ? frequency / factor : frequency
            let isMedium = !(wavelength < highFrequencyWavelength) && !(wavelength > lowFrequencyWavelength)
            guard isMedium else { return scaled }
            let smooth = ((1 / wavelength) * originalContext - low) / (high - low)
            return (1 - smooth) * scaled / factor + smooth * scaled
        }
    }

    /// Fills cos/sin tables for `positions`: cos, sin are `[positions.count, dimension / 2]`.
    /// The angle is `Float(position) * inverseFrequency` in fp32, as transformers computes it.
    public func fill(positions: UnsafeBufferPointer<Int>, cos: UnsafeMutablePointer<Float>,
                     sin: UnsafeMutablePointer<Float>) {
        let half = dimension / 2
        inverseFrequencies.withUnsafeBufferPointer { frequencies in
            for (row, position) in positions.enumerated() {
                let p = Float(position)
                for i in 0..<half {
                    let angle = p * frequencies[i]
                    cos[row * half + i] = cosf(angle)
                    sin[row * half + i] = sinf(angle)
                }
            }
        }
    }
}
