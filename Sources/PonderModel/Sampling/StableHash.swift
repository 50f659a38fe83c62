/// Hashes of text that are the same on every run, machine and toolchain.
///
/// Swift's `Hasher` is seeded per process, so anything that must replay (split membership,
/// per-problem random streams on resume, per-trial seeds) hashes through this instead. Not
/// for identities that must not collide (run ids use SHA-256).
public enum StableHash {
    /// 64-bit FNV-1a of `text`'s UTF-8 bytes, unmixed. Nearby strings give nearby-ish
    /// values; feed it to `SeededRNG(seed:)` (which mixes its seed) or use `of(_:)`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// FNV-1a finished with the SplitMix64 finalizer, so that nearby strings land far apart
    /// (`of(key) % n` buckets evenly).
    public static func of(_ text: String) -> UInt64 {
        SplitMix64.finalize(fnv1a(text))
    }
}
