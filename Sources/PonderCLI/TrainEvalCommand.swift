import ArgumentParser
import Foundation
import Ponder

/// `ponder train eval --model models/countdown-tiny --samples 16`
struct TrainEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Held-out accuracy of a trained model: greedy, and pass@k over temperature samples.",
        discussion: """
            Reads the task settings from the model's training_config.yaml (or --config), renders the \
            test-split problems in the training prompt style, generates greedily and, with --samples k, \
            k completions per problem at --temperature, and reports greedy accuracy, mean sample \
            accuracy (pass@1) and pass@k. Sampling is reproducible per --seed.
            """)

    @OptionGroup var checkpoint: TrainedModelOptions

    @Option(help: "Samples per problem for pass@k (0: greedy only).")
    var samples: Int = 0

    @Option(help: "Sampling temperature.")
    var temperature: Double = 1

    @Option(help: "Held-out problems to evaluate (default: the config's task.test_problems).")
    var problems: Int?

    @Option(name: .customLong("max-new-tokens"), help: "Generation limit (default: the config's evaluation.max_new_tokens).")
    var maxNewTokens: Int?

    @Option(help: "Seed for sampling.")
    var seed: UInt64 = 0

    @Option(help: "Also write the result as JSON to this file.")
    var json: String?

    func validate() throws {
        guard samples >= 0 else { throw ValidationError("--samples must be 0 or more") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be a positive number") }
        if let problems, problems < 1 { throw ValidationError("--problems must be at least 1") }
        if let maxNewTokens, maxNewTokens < 1 { throw ValidationError("--max-new-tokens must be at least 1") }
    }

    func run() throws {
        let loaded = try checkpoint.load()
        let settings = loaded.settings, task = loaded.task
        let count = problems ?? settings.task.testProblems
        let test = try task.problems(split: .test, count: count, seed: settings.task.problemSeed)
        let evaluator = TaskEvaluator(task: task, problems: test, style: loaded.style, tokenizer: loaded.tokenizer,
                                      stopIds: loaded.stopIds, maxNewTokens: maxNewTokens ?? settings.evaluation.maxNewTokens)
        let started = Date()
        let result = try evaluator.evaluate(model: loaded.pretrained.model, samples: samples, temperature: temperature, seed: seed)
        var line = String(format: "%@: %d held-out %@ problems: greedy accuracy %.1f%%", checkpoint.model, result.problems,
                          task.name, 100 * result.greedyAccuracy)
        if let passAt = result.passAtSamples, let mean = result.sampleAccuracy {
            line += String(format: ", pass@1 %.1f%%, pass@%d %.1f%% (temperature %g)", 100 * mean, samples, 100 * passAt, temperature)
        }
        line += String(format: "; format %.2f, %.1f tokens per greedy completion; %.0f s", result.greedyFormat,
                       result.meanGreedyTokens, Date().timeIntervalSince(started))
        printFlushed(line)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try Data(encoder.encode(result) + Data("\n".utf8)).write(to: URL(fileURLWithPath: json), options: .atomic)
        }
    }
}
