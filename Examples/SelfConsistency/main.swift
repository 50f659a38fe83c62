// A new search strategy written against the public API, registered under a name that
// experiment configs can use, and run by that name on the tabular policy.
//
//   swift run ponder-example-self-consistency
//
// Self-consistency with early stopping: sample in waves, majority-vote the answers, and stop
// as soon as the vote is decided (no remaining sample could overturn the leader).
import Foundation
import Ponder

// MARK: The strategy (everything a library user writes)

/// Majority vote that stops sampling once the winner can no longer change.
struct SelfConsistency: SearchStrategy {
    let name = "self-consistency"
    var maxSamples: Int
    var batch: Int

    /// Typed, validated parameters: configs write `max_samples: 32`, `batch: 4`.
    static let descriptor = StrategyDescriptor(
        name: "self-consistency", summary: "majority vote that stops once the vote is decided",
        parameters: [
            .int("max_samples", 1...4096, default: 32, "most samples to draw"),
            .int("batch", 1...256, default: 4, "samples decoded per wave"),
        ]
    ) { p in SelfConsistency(maxSamples: try p.int("max_samples"), batch: try p.int("batch")) }

    func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult {
        let root = try context.policy.start(prompt: problem.prompt)   // one prefill, then forks
        // Waves sized to the budget; after each, stop once no remaining vote could overturn the leader.
        let candidates = try context.sampleInWaves(from: root, samples: maxSamples, wave: batch, fill: false) { wave in
            let counts = Voting.tally(wave.earlier + wave.candidates).map(\.count).sorted(by: >)
            let margin = (counts.first ?? 0) - (counts.dropFirst().first ?? 0)
            return margin > maxSamples - wave.earlier.count - wave.candidates.count ? .stop : .keepSampling
        }
        return context.finish(problem, strategy: name, candidates: candidates,
                              chosen: Voting.select(candidates, by: .majority),
                              statistics: ["samples": Double(candidates.count)])
    }
}

// MARK: Register it and run it by name, as a config would

do {
    var registry = StrategyRegistry.builtIn
    try registry.register(SelfConsistency.descriptor)

    let toy = try TabularToy.make(problems: 40, seed: 7)
    // What a YAML config's `strategies:` entries decode to.
    let configs: [(name: String, parameters: [String: ParameterValue])] = [
        ("self-consistency", ["max_samples": .int(32), "batch": .int(4)]),
        // The same waves without early stopping: its samples extend self-consistency's, so the
        // two agree on every answer and differ only in what they spend.
        ("best-of-n", ["n": .int(32), "selection": .string("majority"), "batch": .int(4), "fill": .bool(false)]),
    ]
    print("strategy | accuracy | mean samples | mean GFLOP")
    print("---|---|---|---")
    for config in configs {
        let strategy = try registry.make(config.name, parameters: config.parameters)
        var correct = 0, ledger = ComputeLedger()
        for (k, problem) in toy.problems.enumerated() {
            var trial = SeededRNG.derived(seed: 1, UInt64(k))
            let context = try SearchContext(policy: toy.policy, budget: .flops(4e12), seed: trial.next(),
                                            task: toy.hooks(for: k))
            let result = try strategy.search(problem, in: context)
            if result.answer == toy.correctAnswers[k] { correct += 1 }
            ledger += result.ledger
        }
        let n = Double(toy.problems.count)
        print(config.name + String(format: " | %.3f | %.1f | %.0f", Double(correct) / n,
                                   Double(ledger.samples) / n, ledger.flops / n / 1e9))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
