import ArgumentParser
import Foundation
import Ponder

/// `ponder train value --model models/countdown-tiny`
struct TrainValueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "Train a linear value head on the frozen policy's hidden states from its own rollouts.",
        discussion: """
            Samples --samples completions per training problem at --temperature, labels every \
            step-boundary state with the rollout's outcome (Monte-Carlo return; --td-lambda for \
            fitted TD(λ)), fits σ(w·h + b) on the final hidden states by binary cross-entropy with \
            early stopping on validation problems, and reports AUROC at 25/50/75% of each held-out \
            completion, ECE and a reliability table. Writes value_head.safetensors (TRL names \
            v_head.summary.weight [1, hidden], v_head.summary.bias [1]) and value_head_report.json.

            With --evaluate HEAD nothing is fit or written: the rollouts come from held-out \
            test-split problems instead, and the existing head is scored on all of them (the same \
            AUROC, ECE and reliability figures), e.g. the shipped head on problems no head was fit on.
            """)

    @OptionGroup var checkpoint: TrainedModelOptions

    @Option(help: "Training-split problems to roll out (split 70/15/15 into train, validation, test); with --evaluate, test-split problems.")
    var problems: Int = 400

    @Option(help: "Rollouts per problem.")
    var samples: Int = 8

    @Option(help: "Sampling temperature.")
    var temperature: Double = 1

    @Option(name: .customLong("td-lambda"), help: "Fit λ-returns of the head's own predictions instead of Monte-Carlo returns.")
    var tdLambda: Double?

    @Option(help: "Seed for problem choice, sampling and the split.")
    var seed: UInt64 = 0

    @Option(help: "Where to write the head (default: MODEL/value_head.safetensors).")
    var output: String?

    @Option(help: "Score this existing head on rollouts of held-out test problems instead of fitting one.")
    var evaluate: String?

    func validate() throws {
        guard problems >= 20 else { throw ValidationError("--problems must be at least 20 (the test split needs some)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be a positive number") }
        if let tdLambda, !(0...1).contains(tdLambda) { throw ValidationError("--td-lambda must be in [0, 1]") }
        if evaluate != nil, tdLambda != nil || output != nil {
            throw ValidationError("--evaluate scores an existing head: drop --td-lambda and --output (nothing is fit or written)")
        }
    }

    func run() throws {
        let loaded = try checkpoint.load()
        let settings = loaded.settings, task = loaded.task
        // Fitting draws training problems with a different seed from SFT's, so most are new to
        // the policy; evaluating draws held-out test problems, which no head was fit on.
        let list = evaluate == nil
            ? try task.problems(split: .train, count: problems, seed: settings.task.problemSeed &+ 0x7661_6C75 &+ seed)
            : try task.problems(split: .test, count: problems, seed: settings.task.problemSeed)
        let sampler = ValueRolloutSampler(model: loaded.pretrained.model, tokenizer: loaded.tokenizer, task: task,
                                          style: loaded.style, stopIds: loaded.stopIds,
                                          maxNewTokens: settings.evaluation.maxNewTokens)
        let started = Date()
        var rng = SeededRNG.derived(seed: seed, 0x726F_6C6C)  // "roll"
        // Progress goes to stderr, so stdout holds only the figures (what a notebook keeps).
        let rollouts = try sampler.sample(problems: list, samples: samples, temperature: temperature, rng: &rng) { done in
            if done % 64 == 0 || done == list.count { Console.info("rollouts: \(done)/\(list.count) problems") }
        }
        if let evaluate {
            let report = ValueHeadTraining.evaluate(head: try LinearValueHead.load(path: evaluate), on: rollouts)
            printFlushed(String(format: "%@ on %d rollouts of %d held-out problems (%.1f%% successful)", evaluate,
                                report.rollouts, list.count, 100 * report.successRate))
            printReport(report)
            return
        }
        let (head, report) = ValueHeadTraining.train(rollouts: rollouts, problemCount: list.count, seed: seed, tdLambda: tdLambda)
        let path = output ?? (checkpoint.model as NSString).appendingPathComponent("value_head.safetensors")
        try head.write(to: path, metadata: ["targets": tdLambda.map { "td-lambda \($0)" } ?? "monte-carlo"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let reportPath = ((path as NSString).deletingPathExtension as String) + "_report.json"
        try Data(encoder.encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: reportPath), options: .atomic)
        printFlushed(String(format: "%d rollouts (%.1f%% successful), %d training states, %d epochs, %.0f s",
                            report.rollouts, 100 * report.successRate, report.trainingStates, report.epochs,
                            Date().timeIntervalSince(started)))
        printReport(report)
        printFlushed("wrote \(path) and \(reportPath)")
    }

    /// The held-out figures as plain lines: AUROC at prefix fractions, ECE, reliability.
    private func printReport(_ report: ValueHeadReport) {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "n/a" }
        printFlushed("held-out AUROC: 25% \(figure(report.aurocAt25)), 50% \(figure(report.aurocAt50)), 75% \(figure(report.aurocAt75)), all states \(figure(report.aurocAllStates))")
        printFlushed(String(format: "ECE %.3f over %d held-out states; reliability:", report.expectedCalibrationError, report.testStates))
        printFlushed("  bin          count  mean p  observed")
        for bin in report.reliability where bin.count > 0 {
            printFlushed(String(format: "  [%.1f, %.1f)  %6d  %.3f   %.3f", bin.lower, bin.upper, bin.count, bin.meanPrediction, bin.observedRate))
        }
    }
}
