import Foundation
import PonderModel
import PonderTasks

/// A supervised fine-tuning run, read from YAML (`experiments/train/countdown-sft.yaml`;
/// every key is documented in `experiments/train/README.md`). Unknown keys are errors.
public struct SFTConfig: Sendable, Equatable {
    /// Which problems, how many, and how they are prompted.
    public struct TaskSettings: Sendable, Equatable {
        /// A task in the task registry (`countdown`, `multiplication`, …).
        public var name: String = "countdown"
        /// The task's options as written, under the names its `TaskDescriptor` declares
        /// (the experiment configs' vocabulary: `numbers`, `held_out_share`, `style`, …);
        /// the descriptor supplies the defaults.
        public var options: [String: TaskOptionValue] = [:]
        /// The tasks `name` is looked up in: the built-ins, plus a user's own when `ponder`
        /// runs through `PonderCLI.main(tasks:)`. Not part of equality or the fingerprint.
        public var registry: TaskRegistry = .builtIn
        /// Training problems (traces) generated from the train split.
        public var trainProblems: Int = 10_000
        /// Held-out problems from the test split, for evaluation.
        public var testProblems: Int = 200
        /// Seed of problem generation (the split itself is fixed by the task).
        public var problemSeed: UInt64 = 0
        /// The prompt style: the `style` option, else the task's default (`compact` for the
        /// generated tasks, which the small models use).
        public var style: String {
            get {
                options[TaskDescriptor.styleOption]?.stringValue
                    ?? (try? registry.descriptor(named: name).defaultStyle) ?? "compact"
            }
            set { options[TaskDescriptor.styleOption] = .string(newValue) }
        }

        /// The options validated by the task's descriptor in `registry`, defaults filled in.
        /// - Throws: `TaskOptionError` naming the first bad option.
        public func taskOptions(split: Split = .train,
                                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            throws -> TaskOptions {
            try registry.descriptor(named: name).options(options, split: split, workingDirectory: workingDirectory)
        }

        public static func == (lhs: TaskSettings, rhs: TaskSettings) -> Bool {
            lhs.name == rhs.name && lhs.options == rhs.options && lhs.trainProblems == rhs.trainProblems
                && lhs.testProblems == rhs.testProblems && lhs.problemSeed == rhs.problemSeed
        }

        /// The name and options in a fixed order, for fingerprints (a dictionary's own order
        /// changes from process to process).
        var canonicalDescription: String {
            let pairs = options.keys.sorted().map { "\($0)=\(options[$0]?.description ?? "")" }
            return "\(name)(\(pairs.joined(separator: ", "))) train \(trainProblems) test \(testProblems) seed \(problemSeed)"
        }
    }

    /// Old training-config names of task options and the names that replaced them (those of
    /// the experiment configs, so one vocabulary serves both). The old names are still read,
    /// with a warning, so configs copied beside earlier checkpoints keep loading.
    public static let renamedTaskOptions = ["number_counts": "numbers", "held_out_target_share": "held_out_share"]

    /// The tokenizer: trained from the traces unless `directory` names an existing one.
    public struct TokenizerSettings: Sendable, Equatable {
        /// An existing tokenizer directory to use instead of training one.
        public var directory: String?
        /// Vocabulary size cap (7 added tokens + 256 bytes + merges).
        public var vocabularySize: Int = 320
        /// A pair must occur this often to be merged.
        public var minimumFrequency: Int = 2
        /// Traces (the first ones of the training set) the tokenizer is trained on.
        public var corpusProblems: Int = 2_000
    }

    /// The network, or a checkpoint to start from.
    public struct ModelSettings: Sendable, Equatable {
        /// A checkpoint directory to fine-tune instead of initializing from scratch.
        public var initFrom: String?
        public var hiddenSize = 128
        public var layers = 4
        public var heads = 4
        public var keyValueHeads = 2
        public var intermediateSize = 384
        public var maxPositionEmbeddings = 128
        public var ropeTheta = 10_000.0
        public var tieWordEmbeddings = true
        /// Standard deviation of the initial matrices (transformers' `initializer_range`).
        public var initializerRange = 0.02
    }

    /// Optimization.
    public struct TrainingSettings: Sendable, Equatable {
        public var steps = 1_000
        /// Sequences per optimizer step.
        public var batchSize = 32
        public var learningRate = 1e-3
        public var minLearningRate = 1e-4
        public var warmupSteps = 50
        public var adamW = AdamWSettings()
        /// Global gradient-norm clip.
        public var gradientClip = 1.0
        /// OpenBLAS threads (results are reproducible for a fixed count).
        public var threads = 2
        /// Steps between progress lines.
        public var logEvery = 10
        /// Steps between resume checkpoints.
        public var checkpointEvery = 100
    }

    /// Held-out greedy evaluation during training.
    public struct EvaluationSettings: Sendable, Equatable {
        /// Steps between evaluations (0: only at the end).
        public var every = 500
        /// Test problems evaluated each time (a prefix of the test set).
        public var problems = 100
        /// Generation limit per problem.
        public var maxNewTokens = 96
    }

    public var name = "sft"
    /// Seed of initialization and data order.
    public var seed: UInt64 = 0
    /// Where the final Hugging Face checkpoint is written.
    public var output = "runs/train/sft/model"
    /// Where resume checkpoints and the log go.
    public var runDirectory = "runs/train/sft"
    public var task = TaskSettings()
    /// Extra traces from a rejection-sampling JSONL file (RejectionRecord lines).
    public var rejectionSamples: String?
    /// Whether the task's reference traces are used (off: only rejection samples).
    public var useReferences = true
    public var tokenizer = TokenizerSettings()
    public var model = ModelSettings()
    public var training = TrainingSettings()
    public var evaluation = EvaluationSettings()
    /// The file's text, copied beside the trained model.
    public var sourceText = ""
    /// What the file should change, though it still loads (old option names).
    public var warnings: [String] = []

    /// Defaults (tests build configs in code).
    public init() {}

    /// Reads and validates a YAML file; its task is looked up in `tasks`.
    public static func load(path: String, tasks: TaskRegistry = .builtIn) throws -> SFTConfig {
        let text = try YAMLSection.readText(path: path)
        return try parse(text, file: path, tasks: tasks)
    }

    /// Parses YAML text; `file` names it in errors; its task is looked up in `tasks`.
    public static func parse(_ text: String, file: String, tasks: TaskRegistry = .builtIn) throws -> SFTConfig {
        let root = try YAMLSection(text: text, file: file)
        var config = SFTConfig()
        config.task.registry = tasks
        config.sourceText = text
        config.name = try root.string("name", default: config.name)
        config.seed = UInt64(try root.int("seed", default: 0, range: 0...Int.max))
        config.output = try root.string("output", default: "runs/train/\(config.name)/model")
        config.runDirectory = try root.string("run_directory", default: "runs/train/\(config.name)")
        config.rejectionSamples = try root.optionalString("rejection_samples")
        config.useReferences = try root.bool("use_references", default: true)

        let task = try root.section("task")
        config.task.name = try task.string("name", default: "countdown")
        guard tasks.names.contains(config.task.name) else {
            throw task.error("name", nil, "unknown task '\(config.task.name)'; use one of: \(tasks.names.joined(separator: ", "))")
        }
        config.task.trainProblems = try task.int("train_problems", default: config.task.trainProblems, range: 1...10_000_000)
        config.task.testProblems = try task.int("test_problems", default: config.task.testProblems, range: 0...1_000_000)
        config.task.problemSeed = UInt64(try task.int("problem_seed", default: 0, range: 0...Int.max))
        // Every other key is a task option, checked by the task's descriptor in `validate`.
        config.task.options = try task.remainingTaskOptions()
        for (old, new) in renamedTaskOptions.sorted(by: { $0.key < $1.key }) {
            guard let value = config.task.options.removeValue(forKey: old) else { continue }
            guard config.task.options[new] == nil else {
                throw task.error(old, nil, "is the old name of `\(new)`, which is also given; keep only `\(new)`")
            }
            config.task.options[new] = value
            config.warnings.append("\(file): task.\(old) is the old name of task.\(new) (the experiment configs' name); rename it")
        }
        try task.finish()

        let tokenizer = try root.section("tokenizer")
        config.tokenizer.directory = try tokenizer.optionalString("directory")
        config.tokenizer.vocabularySize = try tokenizer.int("vocab_size", default: 320, range: 263...1_000_000)
        config.tokenizer.minimumFrequency = try tokenizer.int("min_frequency", default: 2, range: 1...Int.max)
        config.tokenizer.corpusProblems = try tokenizer.int("corpus_problems", default: 2_000, range: 1...Int.max)
        try tokenizer.finish()

        let model = try root.section("model")
        var m = ModelSettings()
        m.initFrom = try model.optionalString("init_from")
        m.hiddenSize = try model.int("hidden_size", default: m.hiddenSize, range: 2...65_536)
        m.layers = try model.int("num_hidden_layers", default: m.layers, range: 1...1_000)
        m.heads = try model.int("num_attention_heads", default: m.heads, range: 1...1_024)
        m.keyValueHeads = try model.int("num_key_value_heads", default: m.keyValueHeads, range: 1...1_024)
        m.intermediateSize = try model.int("intermediate_size", default: m.intermediateSize, range: 1...1_000_000)
        m.maxPositionEmbeddings = try model.int("max_position_embeddings", default: m.maxPositionEmbeddings, range: 8...1_000_000)
        m.ropeTheta = try model.double("rope_theta", default: m.ropeTheta, range: 1...1e12)
        m.tieWordEmbeddings = try model.bool("tie_word_embeddings", default: true)
        m.initializerRange = try model.double("initializer_range", default: 0.02, range: 1e-6...10)
        try model.finish()
        config.model = m

        let training = try root.section("training")
        var t = TrainingSettings()
        t.steps = try training.int("steps", default: t.steps, range: 1...100_000_000)
        t.batchSize = try training.int("batch_size", default: t.batchSize, range: 1...100_000)
        t.learningRate = try training.double("learning_rate", default: t.learningRate, range: 1e-9...10)
        t.minLearningRate = try training.double("min_learning_rate", default: t.minLearningRate, range: 0...10)
        t.warmupSteps = try training.int("warmup_steps", default: t.warmupSteps, range: 0...100_000_000)
        t.adamW = AdamWSettings(beta1: try training.double("beta1", default: 0.9),
                                beta2: try training.double("beta2", default: 0.95),
                                epsilon: try training.double("epsilon", default: 1e-8),
                                weightDecay: try training.double("weight_decay", default: 0.1))
        t.gradientClip = try training.double("grad_clip", default: 1.0, range: 1e-9...1e9)
        t.threads = try training.int("threads", default: 2, range: 1...256)
        t.logEvery = try training.int("log_every", default: 10, range: 1...Int.max)
        t.checkpointEvery = try training.int("checkpoint_every", default: 100, range: 1...Int.max)
        try training.finish()
        config.training = t

        let evaluation = try root.section("evaluation")
        config.evaluation.every = try evaluation.int("every", default: 500, range: 0...Int.max)
        config.evaluation.problems = try evaluation.int("problems", default: 100, range: 0...1_000_000)
        config.evaluation.maxNewTokens = try evaluation.int("max_new_tokens", default: 96, range: 1...100_000)
        try evaluation.finish()
        try root.finish()
        try config.validate(file: file)
        return config
    }

    /// Cross-field checks (the per-key ranges are checked while reading).
    public func validate(file: String = "config") throws {
        func fail(_ key: String, _ reason: String) -> TrainError { .unreadableConfig(file: file, reason: "\(key): \(reason)") }
        guard model.hiddenSize % model.heads == 0, (model.hiddenSize / model.heads) % 2 == 0 else {
            throw fail("model.hidden_size", "\(model.hiddenSize) must split into \(model.heads) heads of even width")
        }
        guard model.heads % model.keyValueHeads == 0 else {
            throw fail("model.num_key_value_heads", "\(model.keyValueHeads) must divide num_attention_heads \(model.heads)")
        }
        guard training.warmupSteps < training.steps else {
            throw fail("training.warmup_steps", "must be below training.steps (\(training.steps))")
        }
        guard training.minLearningRate <= training.learningRate else {
            throw fail("training.min_learning_rate", "must not exceed training.learning_rate")
        }
        guard evaluation.problems <= task.testProblems else {
            throw fail("evaluation.problems", "\(evaluation.problems) exceeds task.test_problems (\(task.testProblems))")
        }
        guard useReferences || rejectionSamples != nil else {
            throw fail("use_references", "is false but no rejection_samples file is given: there would be no data")
        }
        _ = try PromptStyle(name: task.style)
        do {
            _ = try SFTRun.makeTask(task)
        } catch let error as TaskOptionError {
            // The trainer writes task options flat under `task:`, not under `task.options`.
            let key = error.optionName.map { "task.\($0)" } ?? "task.\(error.key)"
            throw TrainError.unreadableConfig(file: file, reason: "\(key): \(error.problem) Fix: \(error.fix)")
        }
    }

    /// A fingerprint of every setting that changes what is trained (not evaluation or
    /// paths): a resume checkpoint written under different settings is refused.
    public var fingerprint: String {
        let described = String(describing: (seed, task.canonicalDescription, rejectionSamples, useReferences, tokenizer, model, training))
        return String(StableHash.of(described), radix: 16)
    }
}
