import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// What every trial of a run shares: the checkpoint and its value head, the task with its
/// problems and prompts, the built strategies, and the generation settings as PonderSearch
/// takes them. Built once per run; searching with it never changes it.
public struct TrialEnvironment {
    /// The checkpoint directory.
    public let modelDirectory: URL
    /// The checkpoint.
    public let model: PretrainedModel
    /// The value head beside the checkpoint, if it has one.
    public let valueFunction: (any ValueFunction)?
    /// The task, style and split.
    public let task: ExperimentTask
    /// The selected problems, in trial order.
    public let problems: [Problem]
    /// Their rendered prompts.
    public let prompts: [RenderedPrompt]
    /// Length cap, EOS ids, stop strings and step delimiters of every search.
    public let stopConditions: StopConditions
    /// Default sampling parameters of every search.
    public let sampling: SamplingParameters
    /// Whether strategies may call the checker (the config's mode; an entry may override it).
    public let mode: EvaluationMode
    private let strategies: [String: any SearchStrategy]
    /// Each entry's mode, where it overrides the config's (positive controls).
    private let modes: [String: EvaluationMode]

    /// Loads the model and value head, builds the task, its problems and every strategy.
    /// - Parameters:
    ///   - registry: the strategies the config may name (a user's own added to the built-ins).
    ///   - tasks: the tasks the config may name.
    public init(config: ExperimentConfig, workingDirectory: URL, registry: StrategyRegistry = .builtIn,
                tasks: TaskRegistry = .builtIn) throws {
        modelDirectory = Self.resolve(config.modelDirectory, in: workingDirectory)
        model = try PretrainedModel.load(directory: modelDirectory.path)
        valueFunction = try ValueHeads.load(directory: modelDirectory.path)
        let task = try TaskRegistryCatalog(tasks, workingDirectory: workingDirectory)
            .make(task: config.task.name, split: config.task.split, options: config.task.options,
                  chatRenderer: Self.chatRenderer(for: model))
        self.task = task
        problems = try task.problems(count: config.task.problemCount, seed: config.task.seed)
        prompts = try problems.map { try task.prompt(for: $0) }
        let catalog = RegistryCatalog(registry)
        var built: [String: any SearchStrategy] = [:]
        var modes: [String: EvaluationMode] = [:]
        for spec in config.runnableStrategies {
            built[spec.label] = try catalog.make(spec)
            modes[spec.label] = config.evaluation(for: spec)
        }
        strategies = built
        self.modes = modes
        let generation = config.generation
        stopConditions = StopConditions(eosTokenIDs: model.eosTokenIds, stopStrings: generation.stop ?? task.defaultStopStrings,
                                        stepDelimiters: task.stepDelimiters, maxNewTokens: generation.maxNewTokens)
        sampling = SamplingParameters(temperature: Float(generation.temperature), topK: generation.topK,
                                      topP: generation.topP.map(Float.init), minP: generation.minP.map(Float.init))
        mode = config.evaluation
    }

    /// A config path resolved against `directory` (absolute paths kept).
    public static func resolve(_ path: String, in directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    /// Renders a user message through `model`'s chat template (nil when it has none).
    public static func chatRenderer(for model: PretrainedModel) -> (@Sendable (String) throws -> String)? {
        guard model.chatTemplate != nil else { return nil }
        let render: @Sendable (String) throws -> String = { try model.renderChat($0) }
        return render
    }

    /// A fresh engine policy: nothing (handle numbers, caches) carries over between trials.
    public func makePolicy() throws -> EnginePolicy {
        try EnginePolicy(model: model, chat: task.isChat, maxNewTokens: stopConditions.maxNewTokens,
                         stepDelimiters: task.stepDelimiters)
    }

    /// Runs strategy `label` on problem `index` under `budget` with the trial's `seed`.
    public func search(_ label: String, problem index: Int, budget: Budget, seed: UInt64) throws -> SearchResult {
        guard let strategy = strategies[label] else {
            throw RunError.strategyCannotRun(label: label, reason: "it is not in this run's config")
        }
        let problem = problems[index]
        let context = try SearchContext(policy: try makePolicy(), valueFunction: valueFunction, budget: budget,
                                        seed: seed, mode: modes[label] ?? mode, sampling: sampling,
                                        task: task.hooks(for: problem),
                                        stopConditions: stopConditions)
        return try strategy.search(SearchProblem(id: problem.id, prompt: prompts[index].text), in: context)
    }

    /// Checks what can be checked before any trial: every prompt plus the length cap fits the
    /// context, and every strategy can start (a dry run under a zero-token budget, which
    /// stops before any generation step, surfaces a missing value head or checker).
    public func preflight(_ specs: [StrategySpec]) throws {
        let policy = try makePolicy()
        let limit = model.config.maxPositionEmbeddings
        for (problem, prompt) in zip(problems, prompts) {
            let length = try policy.encode(prompt: prompt.text).count
            if length + stopConditions.maxNewTokens > limit {
                throw RunError.contextTooLong(problem: problem.id, promptTokens: length,
                                              maxNewTokens: stopConditions.maxNewTokens, limit: limit)
            }
        }
        guard !problems.isEmpty else { return }
        for spec in specs {
            do {
                _ = try search(spec.label, problem: 0, budget: .tokens(0), seed: 0)
            } catch let error as SearchError {
                switch error {
                case .noValueFunction, .verifierHidden, .noChecker, .invalidConfiguration, .valueInputMismatch:
                    throw RunError.strategyCannotRun(label: spec.label, reason: error.description)
                default:
                    continue   // spending errors belong to real trials
                }
            } catch let error as RunError {
                throw error
            } catch {
                continue       // so do model errors: the dry run only asks whether the strategy can start
            }
        }
    }
}
