import Benchmark
import Foundation
import Ponder

/// Trials per second of the lab's machinery on the shipped `models/countdown-tiny`: a sample
/// bank (k samples from one prefill and forks) against k single-sample trials (k prefills),
/// and one fill-mode trial of each sampling and search strategy at a 288-token cap. A trial
/// is `ExperimentRunner.runTrial` (search plus scoring), without the store.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 20)

    let lab = LabFixture.shared

    Benchmark("bank of 64 samples, one problem (one prefill, 64 forks)") { benchmark in
        let runner = try lab.runner()
        let trial = try lab.trial(label: "bank", runner: runner)
        benchmark.startMeasurement()
        blackHole(try runner.runTrial(trial).bankSamples?.count)
    }

    Benchmark("64 single-sample trials, one problem (64 prefills)") { benchmark in
        let runner = try lab.runner()
        let trial = try lab.trial(label: "sample", runner: runner)
        benchmark.startMeasurement()
        for _ in 0..<64 { blackHole(try runner.runTrial(trial).generatedTokens) }
    }

    for label in ["best-of-n", "beam", "mcts-step"] {
        Benchmark("\(label) trial, fill mode, 288-token cap") { benchmark in
            let runner = try lab.runner()
            let trial = try lab.trial(label: label, runner: runner)
            benchmark.startMeasurement()
            blackHole(try runner.runTrial(trial).generatedTokens)
        }
    }
}

/// One prepared run over the shipped model, made once per process, in a temporary folder.
final class LabFixture: @unchecked Sendable {
    static let shared = LabFixture()

    private let lock = NSLock()
    private var cached: ExperimentRunner?
    private let folder = URL(fileURLWithPath: NSTemporaryDirectory())
        .appendingPathComponent("ponder-lab-benchmarks-\(UUID().uuidString)")

    /// The repository root, found relative to this file.
    let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    deinit { try? FileManager.default.removeItem(at: folder) }

    func runner() throws -> ExperimentRunner {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("bench.yaml")
        try """
            name: lab-bench
            model: \(repository.appendingPathComponent("models/countdown-tiny").path)
            task: {name: countdown, split: test, problems: 1, options: {style: compact}}
            generation: {max_new_tokens: 96, temperature: 1.0}
            bank: {samples: 64, batch: 64}
            budgets: [{kind: tokens, values: [288]}]
            strategies:
              - name: sample
              - name: best-of-n
                params: {batch: 8}
              - name: beam
                params: {beam_width: 2, expansions: 2}
              - name: mcts-step
                params: {simulations: 4, width: 2, batch: 2}
            """.write(to: config, atomically: true, encoding: .utf8)
        let loaded = try ExperimentConfig.loadForRun(config, workingDirectory: folder)
        let runner = try ExperimentRunner(config: loaded, workingDirectory: folder,
                                          outputParent: folder.appendingPathComponent("runs"))
        cached = runner
        return runner
    }

    func trial(label: String, runner: ExperimentRunner) throws -> TrialSpec {
        guard let trial = runner.config.trials().first(where: { $0.strategy.label == label }) else {
            throw CocoaError(.featureUnsupported)
        }
        return trial
    }
}
