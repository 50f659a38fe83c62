import Benchmark
import Foundation
import PonderModel

/// Engine and tokenizer paths, on a random 30M-parameter Qwen2 checkpoint written at start
/// (or the checkpoint in `PONDER_BENCH_MODEL`). Malloc counts are part of the metrics: the
/// decode loop is meant to allocate nothing per step beyond its handle arrays.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 50)

    let fixture = BenchmarkFixture.shared

    Benchmark("prefill-128") { benchmark in
        let engine = try fixture.engine()
        let prompt = fixture.tokens(128)
        benchmark.startMeasurement()
        let (handle, result) = try engine.start(prompt: prompt)
        benchmark.stopMeasurement()
        blackHole(result.logits(0).first)
        try engine.release(handle)
    }

    for batch in [1, 16] {
        Benchmark("decode-b\(batch) (8 steps)") { benchmark in
            let engine = try fixture.engine()
            let handles = (0..<batch).map { _ in engine.start() }
            var result = ExtendResult()
            try engine.extend(handles, tokens: handles.indices.map { fixture.tokens(32, offset: $0) }, into: &result)
            var next = [Int](repeating: 1, count: batch)
            benchmark.startMeasurement()
            for step in 0..<8 {
                for i in 0..<batch { next[i] = (step * 31 + i * 17) % 1000 }
                try engine.extend(handles, nextTokens: next, into: &result)
            }
            benchmark.stopMeasurement()
            for handle in handles { try engine.release(handle) }
        }
    }

    Benchmark("fork-4 and extend 8 tokens from a 256-token prefix") { benchmark in
        let engine = try fixture.engine()
        let (root, _) = try engine.start(prompt: fixture.tokens(256))
        benchmark.startMeasurement()
        let children = try (0..<4).map { _ in try engine.fork(root) }
        let result = try engine.extend(children, tokens: children.indices.map { fixture.tokens(8, offset: $0) })
        benchmark.stopMeasurement()
        blackHole(result.copiedBlocks)
        for handle in children + [root] { try engine.release(handle) }
    }

    Benchmark("tree depth 3 width 4, 8-token steps (forked)") { benchmark in
        let workloads = EngineWorkloads(engine: try fixture.engine())
        benchmark.startMeasurement()
        blackHole(try workloads.tree(depth: 3, width: 4, step: 8, prompt: 32, forked: true).computedTokens)
    }

    Benchmark("tokenizer load (qwen2-style fixture)") { _ in
        blackHole(try Tokenizer.load(directory: fixture.tokenizerDirectory))
    }

    Benchmark("tokenizer encode (4 KB of text)") { benchmark in
        let tokenizer = try fixture.tokenizer()
        benchmark.startMeasurement()
        blackHole(try tokenizer.encode(fixture.text))
    }
}
