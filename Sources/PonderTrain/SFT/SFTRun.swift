import Foundation
import PonderModel
import PonderTasks

/// What a finished (or stopped) SFT run reports; written as `trainer_state.json` beside the
/// final checkpoint.
public struct SFTSummary: Sendable, Equatable, Codable {
    public var name: String
    public var steps: Int
    public var batchSize: Int
    public var trainingExamples: Int
    public var parameters: Int
    public var tokensSeen: Int
    public var trainingSeconds: Double
    public var tokensPerSecond: Double
    /// Mean loss over the last logging window.
    public var finalLoss: Double
    /// Held-out evaluation of the final weights (nil when stopped early).
    public var evaluation: EvaluationResult?

    enum CodingKeys: String, CodingKey {
        case name, steps, parameters, evaluation
        case batchSize = "batch_size"
        case trainingExamples = "training_examples"
        case tokensSeen = "tokens_seen"
        case trainingSeconds = "training_seconds"
        case tokensPerSecond = "tokens_per_second"
        case finalLoss = "final_loss"
    }
}

/// A supervised fine-tuning run from an `SFTConfig`: problems → reference (and/or
/// rejection-sampled) traces → a byte-level BPE tokenizer trained on them → packed token
/// batches → AdamW on the mean completion-token cross-entropy, with progress lines, periodic
/// held-out greedy accuracy, atomic resume checkpoints and a final Hugging Face checkpoint.
///
/// Everything random is a function of the config's seed and the step, so an interrupted run
/// resumes bit for bit where it stopped (`ResumeCheckpoint`).
public final class SFTRun {
    public let config: SFTConfig
    public let task: any ReasoningTask
    public let style: PromptStyle
    public let tokenizer: Tokenizer
    /// The directory holding tokenizer.json and tokenizer_config.json (copied into the output).
    public let tokenizerDirectory: String
    public let dataset: SFTDataset
    public let parameters: ModelParameters
    public let trainer: DifferentiableTransformer
    public let optimizer: AdamW
    public let schedule: LearningRateSchedule
    public let evaluator: TaskEvaluator
    public let eosId: Int
    /// Where the run stands (restored from the resume checkpoint when there is one).
    public internal(set) var state: ResumeState
    let log: (String) -> Void

    /// The resume checkpoint's path.
    public var resumePath: String { (config.runDirectory as NSString).appendingPathComponent("resume.safetensors") }
    /// The progress log's path (JSON lines).
    public var logPath: String { (config.runDirectory as NSString).appendingPathComponent("train_log.jsonl") }

    /// Prepares everything (data, tokenizer, model, optimizer) and resumes from the run
    /// directory's checkpoint when one exists. `log` receives the progress lines.
    public init(config: SFTConfig, log: @escaping (String) -> Void = { print($0) }) throws {
        self.config = config
        self.log = log
        WorkerPool.setDirectBLASThreads(config.training.threads)
        try FileManager.default.createDirectory(atPath: config.runDirectory, withIntermediateDirectories: true)
        let started = Date()

        task = try Self.makeTask(config.task)
        style = try PromptStyle(name: config.task.style)
        var traces: [TaskTrace] = []
        if config.useReferences {
            let problems = try task.problems(split: .train, count: config.task.trainProblems, seed: config.task.problemSeed)
            traces = try TaskTraces.references(task: task, problems: problems, style: style)
        }
        if let file = config.rejectionSamples {
            traces += try TaskTraces.rejectionSamples(URL(fileURLWithPath: file))
        }
        guard !traces.isEmpty else {
            throw TrainError.invalidData(source: "training data", reason: "no traces: every problem lacked a reference and no samples were given")
        }
        log(String(format: "data: %d traces of %@ (%@ style) in %.1f s", traces.count, task.name, style.name,
                   Date().timeIntervalSince(started)))

        // The tokenizer: the one named, else the starting checkpoint's, else one trained on the traces.
        if let existing = config.tokenizer.directory ?? config.model.initFrom {
            tokenizerDirectory = existing
            tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: existing))
            log("tokenizer: \(tokenizer.count) tokens, from \(existing)")
        } else {
            tokenizerDirectory = (config.runDirectory as NSString).appendingPathComponent("tokenizer")
            let files = try SmallModelVocabulary.trainTokenizer(
                on: Array(traces.prefix(config.tokenizer.corpusProblems)), vocabularySize: config.tokenizer.vocabularySize,
                minimumFrequency: config.tokenizer.minimumFrequency, modelMaxLength: config.model.maxPositionEmbeddings)
            try files.write(to: tokenizerDirectory)
            tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: tokenizerDirectory))
            log("tokenizer: \(tokenizer.count) tokens (\(files.bpe.merges.count) merges), written to \(tokenizerDirectory)")
        }
        guard let eos = tokenizer.eosTokenIds.min(), let bos = tokenizer.bosTokenId else {
            throw TrainError.invalidData(source: tokenizerDirectory, reason: "the tokenizer names no BOS or EOS token (tokenizer_config.json bos_token / eos_token)")
        }
        eosId = eos

        dataset = try SFTDataset(traces: traces, tokenizer: tokenizer, eosId: eos,
                                 maxLength: config.model.maxPositionEmbeddings, seed: config.seed)
        let counts = dataset.tokenCounts
        log("dataset: \(dataset.sequences.count) sequences, \(counts.tokens) tokens (\(counts.targets) targets)"
            + (dataset.droppedForLength > 0 ? ", \(dataset.droppedForLength) dropped as too long" : ""))

        if let source = config.model.initFrom {
            parameters = try ModelParameters.load(directory: source)
            guard parameters.config.vocabSize == tokenizer.count else {
                throw TrainError.invalidSetting(key: "model.init_from", reason: "\(source) has vocab_size \(parameters.config.vocabSize) but the tokenizer has \(tokenizer.count) tokens")
            }
        } else {
            let m = config.model
            let modelConfig = try ModelConfig(
                modelType: "qwen2", hiddenSize: m.hiddenSize, numHiddenLayers: m.layers, numAttentionHeads: m.heads,
                numKeyValueHeads: m.keyValueHeads, intermediateSize: m.intermediateSize, vocabSize: tokenizer.count,
                rmsNormEps: 1e-6, ropeTheta: m.ropeTheta, tieWordEmbeddings: m.tieWordEmbeddings,
                maxPositionEmbeddings: m.maxPositionEmbeddings, torchDtype: "float32", bosTokenId: [bos], eosTokenId: [eos])
            var initStream = SeededRNG.derived(seed: config.seed, 0x696E_6974)  // "init"
            parameters = ModelParameters.initialized(config: modelConfig, architecture: Qwen2(), seed: initStream.next(),
                                                     standardDeviation: m.initializerRange)
        }
        trainer = DifferentiableTransformer(parameters: parameters)
        optimizer = try AdamW(settings: config.training.adamW, like: parameters)
        schedule = try LearningRateSchedule(peak: config.training.learningRate, floor: config.training.minLearningRate,
                                            warmupSteps: config.training.warmupSteps, totalSteps: config.training.steps)
        log("model: Qwen2, \(parameters.count) parameters (hidden \(parameters.config.hiddenSize), \(parameters.config.numHiddenLayers) layers, \(parameters.config.numAttentionHeads)/\(parameters.config.numKeyValueHeads) heads, FFN \(parameters.config.intermediateSize))")

        let test = config.task.testProblems > 0
            ? try task.problems(split: .test, count: config.task.testProblems, seed: config.task.problemSeed) : []
        evaluator = TaskEvaluator(task: task, problems: Array(test.prefix(config.evaluation.problems)), style: style,
                                  tokenizer: tokenizer, stopIds: [eos], maxNewTokens: config.evaluation.maxNewTokens)

        let resume = (config.runDirectory as NSString).appendingPathComponent("resume.safetensors")
        if let restored = try ResumeCheckpoint.load(from: resume, parameters: parameters, optimizer: optimizer,
                                                     fingerprint: config.fingerprint) {
            state = restored
            log("resumed from \(resume) at step \(restored.step) of \(config.training.steps)")
        } else {
            state = ResumeState(step: 0, tokensSeen: 0, elapsedSeconds: 0, fingerprint: config.fingerprint)
        }
    }

    /// The task a config names, built by its descriptor in the settings' registry (the
    /// descriptors the lab and `ponder rejection-sample` use). JSONL tasks put every loaded
    /// problem in the train split.
    /// - Throws: `TaskOptionError` naming a bad option.
    public static func makeTask(_ settings: SFTConfig.TaskSettings) throws -> any ReasoningTask {
        try settings.registry.make(settings.name, options: settings.options, split: .train).task
    }

    /// Evaluates the current weights on the held-out problems.
    public func evaluate(samples: Int = 0, temperature: Double = 1) throws -> EvaluationResult {
        try evaluator.evaluate(model: try parameters.makeModel(), samples: samples, temperature: temperature,
                               seed: config.seed)
    }

    /// Appends one JSON line to the log file.
    func appendLog(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let line = data + Data("\n".utf8)
        if let handle = FileHandle(forWritingAtPath: logPath) {
            handle.seekToEndOfFile()
            handle.write(line)
            handle.closeFile()
        } else {
            _ = FileManager.default.createFile(atPath: logPath, contents: line)
        }
    }
}
