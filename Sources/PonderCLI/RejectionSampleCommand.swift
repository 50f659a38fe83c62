import ArgumentParser
import Foundation
import Ponder

/// `ponder rejection-sample`: R1-style rejection sampling of SFT data from a checkpoint.
struct RejectionSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejection-sample",
        abstract: "Sample K completions per problem, keep those that pass the rules, write JSONL for SFT.",
        discussion: """
            Each problem's K samples are decoded as one batch from one computed prompt. Kept \
            completions go to --out, one JSON object per line; a progress file beside it \
            (OUT.progress) records every finished problem, so rerunning the same command \
            resumes: finished problems are skipped, a half-written last line is repaired, and \
            the result equals an uninterrupted run. Acceptance statistics are printed overall \
            and per difficulty bin.

            Keep rules (--keep, comma list): accuracy, format, language[=MIN], max-tokens=N.

            Examples:
              ponder rejection-sample --model models/countdown-tiny --task countdown --split train \\
                --samples-per-problem 8 --problems 200 --keep accuracy,format,max-tokens=128 --out sft.jsonl
              ponder rejection-sample --model ~/R1-Distill --task gsm8k --file gsm8k-train.jsonl --style chat \\
                --samples-per-problem 4 --keep accuracy,language,max-tokens=4096 --out gsm8k-sft.jsonl
            """)

    @Option(help: "Checkpoint directory.")
    var model: String

    @Option(help: "The task: countdown, multiplication, gsm8k or math (the last two need --file).")
    var task: String

    @Option(help: "Which split: train or test.")
    var split: String = "train"

    @Option(name: .customLong("samples-per-problem"), help: "Completions drawn per problem (K).")
    var samplesPerProblem: Int

    @Option(help: "How many problems (default: all of a --file; required for generated tasks).")
    var problems: Int?

    @Option(help: "Keep rules, e.g. accuracy,format,language,max-tokens=512.")
    var keep: String = "accuracy,format"

    @Option(help: "Output JSONL file (resumed when it exists).")
    var out: String

    @Option(help: "Sampling seed (each problem draws from its own stream derived from it).")
    var seed: UInt64 = 0

    @Option(name: .customLong("problem-seed"), help: "Seed of problem generation (kept apart from --seed, so new samples keep the problems).")
    var problemSeed: UInt64 = 0

    @Option(help: "Prompt style: compact, r1-zero or chat.")
    var style: String?

    @Option(help: "JSONL problems (countdown, gsm8k, math).")
    var file: String?

    @Option(name: .customLong("max-new-tokens"), help: "Length cap of one completion.")
    var maxNewTokens: Int = 256

    @Option(help: "Sampling temperature (> 0).")
    var temperature: Float = 1

    @Option(name: .customLong("top-p"), help: "Nucleus mass in (0, 1].")
    var topP: Float?

    @Option(name: .customLong("max-kept-per-problem"), help: "Keep at most this many completions per problem.")
    var maxKeptPerProblem: Int?

    func validate() throws {
        guard samplesPerProblem >= 1 else { throw ValidationError("--samples-per-problem must be at least 1") }
        if let problems, problems < 1 { throw ValidationError("--problems must be at least 1") }
        guard maxNewTokens >= 1 else { throw ValidationError("--max-new-tokens must be at least 1") }
        guard temperature > 0, temperature.isFinite else {
            throw ValidationError("--temperature must be a finite number above 0 (rejection sampling needs varied samples)")
        }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        _ = try RejectionFilter(parsing: keep)
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let pretrained = try PretrainedModel.load(directory: model)
        var options: [String: ConfigValue] = [:]
        if let style { options["style"] = .string(style) }
        if let file { options["file"] = .string(file) }
        let experimentTask = try TaskRegistryCatalog(CLIRegistries.tasks, workingDirectory: cwd)
            .make(task: task, split: split, options: options, chatRenderer: TrialEnvironment.chatRenderer(for: pretrained))
        if problems == nil, file == nil, task == "countdown" || task == "multiplication" {
            throw ValidationError("--task \(task) generates its problems; say how many with --problems N")
        }
        let list = try experimentTask.problems(count: problems, seed: problemSeed)
        let builder = try RejectionSamplingBuilder(
            task: experimentTask.task, style: experimentTask.style, filter: try RejectionFilter(parsing: keep),
            samplesPerProblem: samplesPerProblem, seed: seed, maxKeptPerProblem: maxKeptPerProblem)
        // The output's folder is created like `ponder run --output`'s, so a fresh path such as
        // runs/rejection/data.jsonl works on a clean clone.
        let outURL = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: outURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--out \(out): cannot create its folder (\(error.localizedDescription)); choose a writable path")
        }
        let store = try RejectionDataStore(outputURL: outURL)
        for repair in store.repairs { Console.info("resume: \(repair)") }
        let done = list.filter { store.finishedProblemIDs.contains($0.id) }.count
        if done > 0 { Console.info("resume: \(done) of \(list.count) problems already finished; sampling the rest") }
        let sampler = BatchCompletionSampler(
            model: pretrained, chat: experimentTask.isChat,
            sampling: SamplingParameters(temperature: temperature, topP: topP),
            maxNewTokens: maxNewTokens, stopStrings: experimentTask.defaultStopStrings)
        let progress = ProgressReporter(total: list.count, alreadyDone: done, label: "rejection-sample")
        let statistics = try builder.run(problems: list, store: store, sampler: sampler.completionSampler) { outcome in
            progress.record(correct: outcome.accepted > 0)
        }
        progress.finish()
        print("acceptance (\(store.finishedProblemIDs.count) problems × \(samplesPerProblem) samples; keep \(builder.filter)):")
        print(statistics.summary)
        print(Console.display(URL(fileURLWithPath: out)))
    }
}
