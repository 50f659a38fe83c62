import Synchronization
import XCTest
@testable import PonderModel

/// The SIMD kernels and the worker pool against plain reference loops, on shapes that take
/// every tail (widths not multiples of 8, output counts not multiples of 4).
final class KernelTests: XCTestCase {
    /// y = x · Wᵀ + b (+ y0) in Double, the reference for both matrix paths.
    func reference(x: [Float], rows: Int, k: Int, w: [Float], n: Int, bias: [Float]?, y0: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var s = 0.0
                for i in 0..<k { s += Double(x[r * k + i]) * Double(w[j * k + i]) }
                s += Double(bias?[j] ?? 0) + Double(y0?[r * n + j] ?? 0)
                y[r * n + j] = Float(s)
            }
        }
        return y
    }

    func testStreamingAndSgemmPathsMatchReference() {
        var rng = SeededRNG(seed: 1)
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in Float(rng.nextDouble() * 2 - 1) } }
        let pool = WorkerPool(threads: 2)
        for (n, k) in [(13, 37), (64, 32), (70, 200), (11, 600)] {
            let w = LinearWeights(weight: FloatBuffer(random(n * k)), bias: FloatBuffer(random(n)), outFeatures: n, inFeatures: k)
            for rows in [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17] {
                let x = random(rows * k), y0 = random(rows * n)
                for limit in [0, Int.max] {  // sgemm only, streaming only
                    let backend = CPUBackend(pool: pool, skinnyRowLimit: limit)
                    for accumulate in [false, true] {
                        let y = FloatBuffer(y0)
                        x.withUnsafeBufferPointer { backend.linear($0.baseAddress!, rows: rows, w, into: y.pointer, accumulate: accumulate) }
                        let expected = reference(x: x, rows: rows, k: k, w: w.weight.array, n: n, bias: w.bias?.array,
                                                 y0: accumulate ? y0 : nil)
                        XCTAssertLessThan(maxAbsDifference(y.array, expected), 1e-4, "n \(n) k \(k) rows \(rows) limit \(limit)")
                    }
                }
            }
        }
    }

    func testVectorExpSoftmaxAndNorm() {
        for x: Float in [-100, -87.5, -20, -1, -0.1, 0, 0.3, 1, 5, 20, 80] {
            let ours = Float.exp(x), expected = Float(Foundation.exp(Double(x)))
            XCTAssertLessThan(abs(ours - expected), max(expected * 3e-7, 2e-38), "exp(\(x))")
        }
        var scores: [Float] = [1, 2, 3, -4, 0.5, 7, -30, 2, 2, 1, 0.25]
        let maximum = Double(scores.max() ?? 0)
        let total = scores.reduce(0.0) { $0 + Foundation.exp(Double($1) - maximum) }
        let expected = scores.map { Float(Foundation.exp(Double($0) - maximum) / total) }
        scores.withUnsafeMutableBufferPointer { VectorKernels.softmax($0.baseAddress!, count: $0.count) }
        XCTAssertLessThan(maxAbsDifference(scores, expected), 1e-6)

        let input: [Float] = (0..<19).map { Float($0) * 0.37 - 3 }, weight: [Float] = (0..<19).map { 1 + Float($0) / 10 }
        var out = [Float](repeating: 0, count: 19)
        VectorKernels.rmsNorm(input, dim: 19, weight: weight, eps: 1e-6, into: &out)
        let rms = (input.reduce(0) { $0 + Double($1 * $1) } / 19 + 1e-6).squareRoot()
        XCTAssertLessThan(maxAbsDifference(out, zip(input, weight).map { Float(Double($0 * $1) / rms) }), 1e-5)
    }

    func testSiluMultiply() {
        var gate: [Float] = (0..<21).map { Float($0) * 0.5 - 5 }
        let up: [Float] = (0..<21).map { Float($0) * 0.1 + 1 }
        let expected = zip(gate, up).map { g, u in Float(Double(g) / (1 + Foundation.exp(-Double(g))) * Double(u)) }
        CPUBackend(threads: 1).siluMultiply(&gate, up, count: 21)
        XCTAssertLessThan(maxAbsDifference(gate, expected), 1e-5)
    }

    /// Eight horizontal sums at once: lane i is the sum of vector i, for vectors whose lanes differ.
    func testLaneSumsPutEachVectorsSumInItsLane() {
        let vectors = (0..<8).map { v in SIMD8<Float>((0..<8).map { Float(v * 8 + $0 * $0) }) }
        let sums = AttentionKernels.laneSums(vectors[0], vectors[1], vectors[2], vectors[3],
                                             vectors[4], vectors[5], vectors[6], vectors[7])
        for i in 0..<8 { XCTAssertEqual(sums[i], vectors[i].sum(), "lane \(i)") }
    }

    /// The per-row and tiled attention paths compute the same thing.
    func testRowAndTileAttentionAgree() throws {
        let model = try TransformerModel.load(directory: Fixtures.modelPath("qwen2-gqa-bias"))
        let prompt = Array(1...40)
        // 40 rows in one pass take the tiled path; one row at a time takes the per-row path.
        let whole = try model.forward(tokens: prompt, cache: model.makeCache(), outputs: .all)
        let cache = model.makeCache(capacity: 8)
        for (i, token) in prompt.enumerated() {
            let step = try model.forward(tokens: [token], cache: cache)
            XCTAssertLessThan(maxAbsDifference(step.lastLogits, whole.logits(row: i)), 1e-5, "position \(i)")
        }
    }

    func testWorkerPoolRunsEveryTaskOnceAndToleratesConcurrentCallers() {
        let pool = WorkerPool(threads: 3)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        defer { counts.deallocate() }
        for tasks in [1, 2, 7, 1000] {
            counts.initialize(repeating: 0)
            pool.run(tasks: tasks) { task, thread in
                XCTAssertLessThan(thread, 3)
                counts[task] += 1  // each task index is claimed by exactly one thread
            }
            XCTAssertTrue(counts[0..<tasks].allSatisfy { $0 == 1 }, "\(tasks) tasks")
        }
        // Two threads sharing the pool: one runs on it, the other falls back to running serially.
        let sums = Mutex<[Int]>([0, 0])
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for _ in 0..<50 {
                let partial = UnsafeMutableBufferPointer<Int>.allocate(capacity: 64)
                partial.initialize(repeating: 0)
                pool.run(tasks: 64) { task, _ in partial[task] = task }
                let total = partial.reduce(0, +)
                sums.withLock { $0[caller] += total }
                partial.deallocate()
            }
        }
        XCTAssertEqual(sums.withLock { $0 }, [50 * 2016, 50 * 2016])
    }

    /// A generated checkpoint loads and runs: the shapes, names and config round-trip.
    func testRandomCheckpointLoadsAndRuns() throws {
        let directory = try makeTemporaryDirectory(self)
        let shape = RandomCheckpoint.Shape(name: "tiny", hiddenSize: 32, layers: 2, heads: 4, kvHeads: 2,
                                           intermediateSize: 48, vocabSize: 64)
        let parameters = try RandomCheckpoint.write(shape, to: directory, seed: 3)
        let model = try TransformerModel.load(directory: directory)
        XCTAssertEqual(model.parameterCount, parameters)
        XCTAssertEqual(model.config.numKeyValueHeads, 2)
        let engine = try Engine(model: model)
        let (_, result) = try engine.start(prompt: [1, 2, 3])
        XCTAssertTrue(result.logits(0).allSatisfy(\.isFinite))
    }
}

/// How `ponder bench` turns measured kernel rates into the backend's row limit.
final class CrossoverTests: XCTestCase {
    func point(_ rows: Int, _ skinny: Double, _ sgemm: Double) -> CrossoverPoint {
        CrossoverPoint(rows: rows, skinnyGFLOPS: skinny, sgemmGFLOPS: sgemm)
    }

    func testTheLimitIsTheLargestRowCountTheStreamingKernelWins() {
        XCTAssertEqual(CPUBackend.crossover([point(1, 20, 5), point(4, 40, 20), point(16, 60, 70), point(8, 50, 45)]), 8)
        // A single noisy loss below does not pull the limit down.
        XCTAssertEqual(CPUBackend.crossover([point(1, 20, 5), point(4, 26, 27), point(16, 95, 79), point(32, 80, 90)]), 16)
        XCTAssertEqual(CPUBackend.crossover([point(1, 2, 5), point(4, 3, 20)]), 0)
        XCTAssertEqual(CPUBackend.crossover([]), 0)
    }
}
