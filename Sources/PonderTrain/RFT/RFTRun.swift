import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// Rejection-sampling fine-tuning settings (YAML; keys in experiments/train/README.md).
public struct RFTConfig: Sendable, Equatable {
    public var name = "rft"
    public var seed: UInt64 = 0
    /// The policy to sample from and fine-tune (a `ponder train sft` checkpoint).
    public var policy = "models/countdown-tiny"
    public var output = "runs/train/rft/model"
    public var runDirectory = "runs/train/rft"
    /// Training-split problems to sample, drawn with `problemSeed` (differs from SFT's by default).
    public var problems = 1_000
    public var problemSeed: UInt64 = 1
    public var samples = 8
    public var temperature = 1.0
    /// `RejectionFilter` rules, e.g. `accuracy,format`.
    public var filter = "accuracy,format"
    public var maxKeptPerProblem: Int? = 2
    /// Whether the SFT references are mixed in again (guards against forgetting).
    public var mixReferences = false
    public var training = SFTConfig.TrainingSettings()
    public var evaluation = SFTConfig.EvaluationSettings()
    /// Samples per held-out problem for the sampled pass@1 before and after.
    public var evaluationSamples = 4

    public init() {}

    /// Reads a YAML file.
    public static func load(path: String) throws -> RFTConfig {
        let text = try YAMLSection.readText(path: path)
        let root = try YAMLSection(text: text, file: path)
        var c = RFTConfig()
        c.name = try root.string("name", default: c.name)
        c.seed = UInt64(try root.int("seed", default: 0, range: 0...Int.max))
        c.policy = try root.string("policy", default: c.policy)
        c.output = try root.string("output", default: "runs/train/\(c.name)/model")
        c.runDirectory = try root.string("run_directory", default: "runs/train/\(c.name)")
        let sampling = try root.section("sampling")
        c.problems = try sampling.int("problems", default: c.problems, range: 1...10_000_000)
        c.problemSeed = UInt64(try sampling.int("problem_seed", default: 1, range: 0...Int.max))
        c.samples = try sampling.int("samples", default: c.samples, range: 1...10_000)
        c.temperature = try sampling.double("temperature", default: 1, range: 1e-6...100)
        c.filter = try sampling.string("filter", default: c.filter)
        let cap = try sampling.int("max_kept_per_problem", default: 2, range: 0...10_000)
        c.maxKeptPerProblem = cap == 0 ? nil : cap
        c.mixReferences = try sampling.bool("mix_references", default: false)
        try sampling.finish()
        let training = try root.section("training")
        var t = SFTConfig.TrainingSettings()
        t.steps = try training.int("steps", default: 200, range: 1...100_000_000)
        t.batchSize = try training.int("batch_size", default: t.batchSize, range: 1...100_000)
        t.learningRate = try training.double("learning_rate", default: 3e-4, range: 1e-9...10)
        t.minLearningRate = try training.double("min_learning_rate", default: 3e-5, range: 0...10)
        t.warmupSteps = try training.int("warmup_steps", default: 10, range: 0...100_000_000)
        t.adamW.weightDecay = try training.double("weight_decay", default: 0.1, range: 0...10)
        t.gradientClip = try training.double("grad_clip", default: 1.0, range: 1e-9...1e9)
        t.threads = try training.int("threads", default: 2, range: 1...256)
        t.logEvery = try training.int("log_every", default: 10, range: 1...Int.max)
        t.checkpointEvery = try training.int("checkpoint_every", default: 100, range: 1...Int.max)
        try training.finish()
        c.training = t
        let evaluation = try root.section("evaluation")
        c.evaluation.problems = try evaluation.int("problems", default: 200, range: 1...1_000_000)
        c.evaluation.maxNewTokens = try evaluation.int("max_new_tokens", default: 96, range: 1...100_000)
        c.evaluationSamples = try evaluation.int("samples", default: 4, range: 0...1_000)
        c.evaluation.every = 0
        try evaluation.finish()
        try root.finish()
        _ = try RejectionFilter(parsing: c.filter)
        return c
    }
}

/// What an RFT run measured: held-out accuracy of the policy before and after.
public struct RFTReport: Sendable, Equatable, Codable {
    public var before: EvaluationResult
    public var after: EvaluationResult
    public var acceptedSamples: Int
    public var problemsWithAcceptedSample: Int
    public var sampledProblems: Int

    enum CodingKeys: String, CodingKey {
        case before, after
        case acceptedSamples = "accepted_samples"
        case problemsWithAcceptedSample = "problems_with_accepted_sample"
        case sampledProblems = "sampled_problems"
    }
}

/// Rejection-sampling fine-tuning: sample k completions per training problem from the policy
/// (`RejectionSamplingBuilder`, resumable JSONL), keep those the filter accepts, fine-tune the
/// policy on them with the SFT loop, and compare held-out accuracy before and after.
public enum RFTRun {
    /// - Parameter tasks: the registry the policy's training config names its task in (a user's
    ///   own tasks beside the built-ins, as `PonderCLI.main(tasks:)` passes them).
    public static func run(_ config: RFTConfig, tasks: TaskRegistry = .builtIn,
                           log: @escaping (String) -> Void) throws -> RFTReport {
        var base = try SFTConfig.load(path: (config.policy as NSString).appendingPathComponent("training_config.yaml"),
                                      tasks: tasks)
        try FileManager.default.createDirectory(atPath: config.runDirectory, withIntermediateDirectories: true)
        let pretrained = try PretrainedModel.load(directory: config.policy)
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: config.policy))
        let task = try SFTRun.makeTask(base.task)
        let style = try PromptStyle(name: base.task.style)
        let stopIds = pretrained.eosTokenIds.union(tokenizer.eosTokenIds)
        let test = try task.problems(split: .test, count: config.evaluation.problems, seed: base.task.problemSeed)
        let evaluator = TaskEvaluator(task: task, problems: test, style: style, tokenizer: tokenizer, stopIds: stopIds,
                                      maxNewTokens: config.evaluation.maxNewTokens)
        WorkerPool.setDirectBLASThreads(config.training.threads)
        let before = try evaluator.evaluate(model: pretrained, samples: config.evaluationSamples, seed: config.seed)
        log(String(format: "before: greedy %.1f%%, sampled pass@1 %.1f%% on %d held-out problems",
                   100 * before.greedyAccuracy, 100 * (before.sampleAccuracy ?? 0), before.problems))

        // Rejection sampling, appended to a resumable JSONL store.
        let problems = try task.problems(split: .train, count: config.problems, seed: config.problemSeed)
        let builder = try RejectionSamplingBuilder(task: task, style: style, filter: RejectionFilter(parsing: config.filter),
                                                   samplesPerProblem: config.samples, seed: config.seed,
                                                   maxKeptPerProblem: config.maxKeptPerProblem)
        let samplesPath = (config.runDirectory as NSString).appendingPathComponent("samples.jsonl")
        let store = try RejectionDataStore(outputURL: URL(fileURLWithPath: samplesPath))
        // The samples decode exactly as the evaluation's (and `ponder run`'s) completions do.
        let sampler = evaluator.sampler(pretrained, sampling: SamplingParameters(temperature: Float(config.temperature)))
        var done = store.finishedProblemIDs.count
        let statistics = try builder.run(problems: problems, store: store, sampler: sampler.completionSampler) { _ in
            done += 1
            if done % 100 == 0 { log("rejection sampling: \(done)/\(problems.count) problems") }
        }
        log(String(format: "kept %d of %d samples; %d of %d problems have one (%.1f%%)", statistics.overall.accepted,
                   statistics.overall.samples, statistics.overall.solvedProblems, statistics.overall.problems,
                   100 * statistics.overall.coverage))
        guard statistics.overall.accepted > 0 else {
            throw TrainError.invalidData(source: samplesPath, reason: "no sample passed the filter '\(config.filter)'; sample more or relax it")
        }

        // Fine-tune the policy on the accepted samples with the SFT loop.
        base.name = config.name
        base.seed = config.seed
        base.output = config.output
        base.runDirectory = (config.runDirectory as NSString).appendingPathComponent("sft")
        base.model.initFrom = config.policy
        base.tokenizer.directory = config.policy
        base.rejectionSamples = samplesPath
        base.useReferences = config.mixReferences
        base.training = config.training
        base.evaluation = config.evaluation
        base.task.testProblems = max(base.task.testProblems, config.evaluation.problems)
        // The output's training_config.yaml keeps the policy's task settings (what `train eval` reads).
        base.sourceText = "# Rejection-sampling fine-tuning of \(config.policy) (see rft_report.json);\n"
            + "# the task settings below are the policy's SFT config.\n" + base.sourceText
        let run = try SFTRun(config: base, log: log)
        try run.run()
        let after = try evaluator.evaluate(model: try run.parameters.makeModel(), samples: config.evaluationSamples,
                                           seed: config.seed)
        log(String(format: "after: greedy %.1f%%, sampled pass@1 %.1f%% (before %.1f%%, %.1f%%)",
                   100 * after.greedyAccuracy, 100 * (after.sampleAccuracy ?? 0),
                   100 * before.greedyAccuracy, 100 * (before.sampleAccuracy ?? 0)))
        let report = RFTReport(before: before, after: after, acceptedSamples: statistics.overall.accepted,
                               problemsWithAcceptedSample: statistics.overall.solvedProblems,
                               sampledProblems: statistics.overall.problems)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try CheckpointExport.writeText(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n",
                                       to: (config.output as NSString).appendingPathComponent("rft_report.json"))
        return report
    }
}
