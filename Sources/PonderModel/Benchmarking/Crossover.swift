/// Where the weight-streaming kernel and sgemm cross over, measured rather than guessed.
public struct CrossoverPoint: Sendable, Codable {
    /// Input rows (batch tokens).
    public var rows: Int
    /// GFLOP/s of `MatrixKernels.skinny` over all threads.
    public var skinnyGFLOPS: Double
    /// GFLOP/s of sgemm over all threads.
    public var sgemmGFLOPS: Double

    enum CodingKeys: String, CodingKey {
        case rows, skinnyGFLOPS = "skinny_gflops", sgemmGFLOPS = "sgemm_gflops"
    }
}

extension CPUBackend {
    /// Times both kernels on a `[outFeatures, inFeatures]` product for each row count (the
    /// best of `repeats` runs each: another process slowing one run must not flip the
    /// verdict), split over `pool` as the backend splits it. Each run goes through enough
    /// distinct copies of the weights (64 MiB, twice the L3) that they
    /// stream from memory, as a model's weights do when decoding, instead of sitting in cache.
    public static func measureCrossover(pool: WorkerPool, outFeatures: Int, inFeatures: Int,
                                        rows: [Int], repeats: Int = 5) -> [CrossoverPoint] {
        let maxRows = rows.max() ?? 1
        let copies = max(1, (64 << 20) / max(1, outFeatures * inFeatures * 4))
        let layers = (0..<copies).map { _ in
            let weight = FloatBuffer(count: outFeatures * inFeatures)
            weight.fill(0.01)
            return LinearWeights(weight: weight, bias: nil, outFeatures: outFeatures, inFeatures: inFeatures)
        }
        let x = FloatBuffer(count: maxRows * inFeatures), y = FloatBuffer(count: maxRows * outFeatures)
        x.fill(0.5)
        let skinny = CPUBackend(pool: pool, skinnyRowLimit: Int.max)
        let blas = CPUBackend(pool: pool, skinnyRowLimit: 0)
        return rows.map { r in
            let flops = 2 * Double(r * outFeatures * inFeatures * copies)
            func rate(_ backend: CPUBackend) -> Double {
                let pass = {
                    for layer in layers { backend.linear(x.pointer, rows: r, layer, into: y.pointer, accumulate: false) }
                }
                pass()  // warm up
                return flops / ((0..<repeats).map { _ in MachineLimits.time(pass) }.min() ?? 1) / 1e9
            }
            return CrossoverPoint(rows: r, skinnyGFLOPS: rate(skinny), sgemmGFLOPS: rate(blas))
        }
    }

    /// The largest row count at which the streaming kernel beats sgemm, from `points` (the
    /// backend's `skinnyRowLimit`; 0 when sgemm always wins). A loss at a smaller count does
    /// not stop the search: one run slowed by another process must not pull the limit down to
    /// a row count where the streaming kernel is far ahead.
    public static func crossover(_ points: [CrossoverPoint]) -> Int {
        points.filter { $0.skinnyGFLOPS >= $0.sgemmGFLOPS }.map(\.rows).max() ?? 0
    }
}
