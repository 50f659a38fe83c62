import ArgumentParser
import Foundation
import Ponder

/// `ponder train …`: train the small models Ponder ships, and evaluate them.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train small models in Swift: SFT on task traces, tokenizers, evaluation.",
        subcommands: [TrainSFTCommand.self, TrainTokenizerCommand.self, TrainEvalCommand.self, TrainValueCommand.self, TrainRFTCommand.self]
    )
}

/// Prints a line and flushes, so progress shows up at once in a log file too.
func printFlushed(_ line: String) {
    print(line)
    fflush(nil)  // all C streams: print writes through stdout's buffer
}

/// `ponder train sft --config experiments/train/countdown-sft.yaml`
struct TrainSFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Supervised fine-tuning on task traces; resumes from the run directory when interrupted.",
        discussion: """
            Trains a byte-level BPE tokenizer on the traces, then the model, printing step, loss, \
            tokens/s and ETA; evaluates held-out greedy accuracy every evaluation.every steps; writes \
            run_directory/resume.safetensors every training.checkpoint_every steps (rerun the same \
            command to continue exactly where it stopped) and the final Hugging Face checkpoint to \
            `output`. Keys are documented in experiments/train/README.md.
            """)

    @Option(help: "The run's YAML config.")
    var config: String

    @Option(name: .customLong("stop-after"), help: "Stop after this many steps (the run can be resumed later).")
    var stopAfter: Int?

    func run() throws {
        let settings = try SFTConfig.load(path: config, tasks: CLIRegistries.tasks)
        for warning in settings.warnings { Console.info("warning: \(warning)") }
        let run = try SFTRun(config: settings, log: printFlushed)
        let summary = try run.run(stopAfter: stopAfter)
        printFlushed(String(format: "done: %d steps, %d tokens in %.0f s (%.0f tokens/s)", summary.steps,
                            summary.tokensSeen, summary.trainingSeconds, summary.tokensPerSecond))
    }
}

/// `ponder train tokenizer --config … --output DIR`
struct TrainTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Train the byte-level BPE tokenizer an SFT config would train, and write tokenizer.json.",
        discussion: "Uses the config's task and tokenizer sections (reference traces only); --problems overrides tokenizer.corpus_problems.")

    @Option(help: "The run's YAML config.")
    var config: String

    @Option(help: "Directory to write tokenizer.json and tokenizer_config.json into.")
    var output: String

    @Option(help: "Training problems whose reference traces form the corpus.")
    var problems: Int?

    func validate() throws {
        if let problems, problems < 1 { throw ValidationError("--problems must be at least 1") }
    }

    func run() throws {
        let settings = try SFTConfig.load(path: config, tasks: CLIRegistries.tasks)
        let task = try SFTRun.makeTask(settings.task)
        let count = problems ?? settings.tokenizer.corpusProblems
        let list = try task.problems(split: .train, count: count, seed: settings.task.problemSeed)
        let traces = try TaskTraces.references(task: task, problems: list, style: try PromptStyle(name: settings.task.style))
        let writer = try SmallModelVocabulary.trainTokenizer(
            on: traces, vocabularySize: settings.tokenizer.vocabularySize,
            minimumFrequency: settings.tokenizer.minimumFrequency, modelMaxLength: settings.model.maxPositionEmbeddings)
        try writer.write(to: output)
        printFlushed("wrote \(output)/tokenizer.json: \(writer.bpe.vocabulary.count) tokens, \(writer.bpe.merges.count) merges, from \(traces.count) traces")
    }
}

/// `ponder train rft --config experiments/train/countdown-rft.yaml`
struct TrainRFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rft",
        abstract: "Rejection-sampling fine-tuning: sample, keep verified completions, fine-tune, compare pass@1.",
        discussion: """
            Samples sampling.samples completions per training problem from the policy, keeps those \
            passing sampling.filter (RejectionSamplingBuilder; run_directory/samples.jsonl resumes), \
            fine-tunes the policy on them with the SFT loop and reports held-out greedy accuracy and \
            sampled pass@1 before and after (output/rft_report.json).
            """)

    @Option(help: "The run's YAML config.")
    var config: String

    func run() throws {
        let report = try RFTRun.run(try RFTConfig.load(path: config), tasks: CLIRegistries.tasks, log: printFlushed)
        printFlushed(String(format: "greedy %.1f%% → %.1f%%; sampled pass@1 %.1f%% → %.1f%%",
                            100 * report.before.greedyAccuracy, 100 * report.after.greedyAccuracy,
                            100 * (report.before.sampleAccuracy ?? 0), 100 * (report.after.sampleAccuracy ?? 0)))
    }
}
