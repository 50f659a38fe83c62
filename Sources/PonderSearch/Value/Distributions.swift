import Foundation
import PonderModel

/// Continuous draws search needs (Dirichlet root noise, Gumbel root selection), built on
/// `SeededRNG` so that they replay byte for byte on every platform.
extension SeededRNG {
    /// A uniform double in the open interval (0, 1) (safe for logarithms).
    public mutating func nextOpenUnit() -> Double {
        while true {
            let u = nextDouble()
            if u > 0 { return u }
        }
    }

    /// A standard normal draw (Marsaglia's polar method; the second variate is discarded so
    /// that the generator carries no hidden state between calls).
    public mutating func nextGaussian() -> Double {
        while true {
            let u = 2 * nextDouble() - 1, v = 2 * nextDouble() - 1
            let s = u * u + v * v
            if s > 0, s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// A Gamma(shape, 1) draw by Marsaglia and Tsang's squeeze method ("A simple method for
    /// generating gamma variables", 2000). Shapes below 1 use the boost
    /// Gamma(a) = Gamma(a + 1) · U^(1/a). Returns 0 for a non-positive shape.
    public mutating func nextGamma(shape: Double) -> Double {
        guard shape > 0 else { return 0 }
        if shape < 1 {
            return nextGamma(shape: shape + 1) * pow(nextOpenUnit(), 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextOpenUnit()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if log(u) < 0.5 * x2 + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// A symmetric Dirichlet(α, …, α) draw of `count` components.
    public mutating func nextDirichlet(alpha: Double, count: Int) -> [Double] {
        guard count > 0 else { return [] }
        var g = (0..<count).map { _ in nextGamma(shape: alpha) }
        let total = g.reduce(0, +)
        guard total > 0 else { return [Double](repeating: 1 / Double(count), count: count) }
        for i in g.indices { g[i] /= total }
        return g
    }

    /// A standard Gumbel draw, −log(−log U).
    public mutating func nextGumbel() -> Double {
        -log(-log(nextOpenUnit()))
    }
}
