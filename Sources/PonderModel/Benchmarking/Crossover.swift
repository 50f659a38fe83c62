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
    /// median of `repeats` runs each), split over `pool` as the backend splits it.
    public static func measureCrossover(pool: WorkerPool, outFeatures: Int, inFeatures: Int,
                                        rows: [Int], repeats: Int = 5) -> [CrossoverPoint] {
        let maxRows = rows.max() ?? 1
        let weight = FloatBuffer(count: outFeatures * inFeatures)
        weight.fill(0.01)
        let layer = LinearWeights(weight: weight, bias: nil, outFeatures: outFeatures, inFeatures: inFeatures)
        let x = FloatBuffer(count: maxRows * inFeatures), y = FloatBuffer(count: maxRows * outFeatures)
        x.fill(0.5)
        let skinny = CPUBackend(pool: pool, skinnyRowLimit: Int.max)
        let blas = CPUBackend(pool: pool, skinnyRowLimit: 0)
        return rows.map { r in
            let flops = 2 * Double(r * outFeatures * inFeatures)
            func rate(_ backend: CPUBackend) -> Double {
                backend.linear(x.pointer, rows: r, layer, into: y.pointer, accumulate: false)  // warm up
                return flops / MachineLimits.median((0..<repeats).map { _ in
                    MachineLimits.time { backend.linear(x.pointer, rows: r, layer, into: y.pointer, accumulate: false) }
                }) / 1e9
            }
            return CrossoverPoint(rows: r, skinnyGFLOPS: rate(skinny), sgemmGFLOPS: rate(blas))
        }
    }

    /// The largest row count at which the streaming kernel still beats sgemm, from `points`
    /// sorted by rows (the backend's `skinnyRowLimit`).
    public static func crossover(_ points: [CrossoverPoint]) -> Int {
        var limit = 0
        for point in points.sorted(by: { $0.rows < $1.rows }) {
            guard point.skinnyGFLOPS >= point.sgemmGFLOPS else { break }
            limit = point.rows
        }
        return limit
    }
}
