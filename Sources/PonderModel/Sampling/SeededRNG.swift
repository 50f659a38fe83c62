/// The one random number generator of Ponder: xoshiro256** seeded through SplitMix64.
///
/// Every random draw in Ponder (sampling, problem generation, search noise, data shuffles)
/// goes through an explicit `SeededRNG`, never the system generator, so the same seed replays
/// byte for byte. The draws below are defined here rather than through the standard
/// library's `random(in:using:)`, whose algorithm is not promised to stay the same across
/// toolchains.
public struct SeededRNG: RandomNumberGenerator, Sendable, Hashable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var splitmix = seed
        func next() -> UInt64 {
            splitmix &+= SplitMix64.gamma
            return SplitMix64.finalize(splitmix)
        }
        state = (next(), next(), next(), next())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform integer in a closed range.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// An independent generator derived from a seed and a list of labels, so that
    /// (problem, strategy, seed) trials each get their own reproducible stream.
    ///
    /// Each step runs a full SplitMix64 finalizer over the running value before the next label
    /// is folded in, so the order of labels matters: `derived(seed: 0, 1)` and
    /// `derived(seed: 1, 0)` are different streams.
    public static func derived(seed: UInt64, _ labels: UInt64...) -> SeededRNG {
        var mixed = mix64(seed)
        for label in labels {
            mixed = mix64(mixed &+ SplitMix64.gamma ^ mix64(label))
        }
        return SeededRNG(seed: mixed)
    }

    /// One SplitMix64 step from `value`: add the increment, then finalize.
    private static func mix64(_ value: UInt64) -> UInt64 {
        SplitMix64.finalize(value &+ SplitMix64.gamma)
    }

    /// Shuffles `array` in place (Fisher–Yates), reproducibly.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, nextInt(below: i + 1))
        }
    }

    public static func == (lhs: SeededRNG, rhs: SeededRNG) -> Bool {
        lhs.state == rhs.state
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0); hasher.combine(state.1)
        hasher.combine(state.2); hasher.combine(state.3)
    }
}

@inline(__always)
private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// SplitMix64 (Steele, Lea & Flood 2014): seeds xoshiro, derives streams and finishes
/// `StableHash`.
enum SplitMix64 {
    /// The increment: 2^64 / φ, odd.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The finalizer: a bijective 64-bit mix with full avalanche.
    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
