import Foundation
import PonderSearch

/// One budget cap: a kind and a value (e.g. 2e12 FLOPs, 512 tokens, 16 samples).
public struct BudgetPoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: Budget.Unit
    public var value: Double

    public init(kind: Budget.Unit, value: Double) {
        self.kind = kind
        self.value = value
    }

    /// The cap as the search layer takes it.
    public var budget: Budget { Budget(unit: kind, limit: value) }

    /// `flops=2000000000000`, `tokens=512`: the spelling used in trial keys and tables.
    public var description: String {
        "\(kind.rawValue)=\(ConfigValue.canonicalNumber(value))"
    }
}

/// A sweep of budget values of one kind, as written under `budgets:`.
public struct BudgetSweep: Sendable, Hashable, Codable {
    public var kind: Budget.Unit
    public var values: [Double]

    public init(kind: Budget.Unit, values: [Double]) {
        self.kind = kind
        self.values = values
    }

    /// The individual caps of this sweep, in the order written.
    public var points: [BudgetPoint] {
        values.map { BudgetPoint(kind: kind, value: $0) }
    }
}

/// Which problems to run: a task from PonderTasks and how to draw its problems.
public struct TaskSelection: Sendable, Hashable {
    /// The task's registered name (e.g. `countdown`).
    public var name: String
    /// The split to draw from (`train`, `test`, …), as the task defines it.
    public var split: String
    /// How many problems to run.
    public var problemCount: Int
    /// Seed for problem generation or selection.
    public var seed: UInt64
    /// Task-specific options (scalars and lists), passed through to the task.
    public var options: [String: ConfigValue]
}

/// One strategy entry: a registered strategy name, its parameters, and the label results use.
public struct StrategySpec: Sendable, Hashable {
    /// The label in tables, curves and trial keys; unique within a config (defaults to `name`).
    public var label: String
    /// The registered strategy name in PonderSearch (e.g. `best-of-n`).
    public var name: String
    /// The strategy's parameters with the registry's defaults applied.
    public var params: [String: ConfigValue]
    /// Budgets for this strategy only, replacing the config's `budgets` (e.g. greedy at one cap).
    public var budgets: [BudgetSweep]?
    /// The curve this entry is a point of: its own label, or for an entry expanded from a
    /// `sweep:`, the label of the entry it was expanded from (one curve per family).
    public var family: String
    /// The swept parameter and its value, for an entry expanded from a `sweep:`.
    public var swept: SweptParameter?
    /// Where the entry sits in the config (`strategies[3]`), for messages that point at it.
    public var configPath: String?
    /// This entry's evaluation mode when it differs from the config's (`evaluation:` in the
    /// entry): a verifier-charged positive control can then sit beside verifier-hidden
    /// strategies in one run and one report.
    public var evaluation: EvaluationMode?

    /// An entry with every field given; `family` defaults to the label.
    public init(label: String, name: String, params: [String: ConfigValue], budgets: [BudgetSweep]? = nil,
                family: String? = nil, swept: SweptParameter? = nil, configPath: String? = nil,
                evaluation: EvaluationMode? = nil) {
        self.label = label
        self.name = name
        self.params = params
        self.budgets = budgets
        self.family = family ?? label
        self.swept = swept
        self.configPath = configPath
        self.evaluation = evaluation
    }

    /// The parameters as canonical JSON (sorted keys), as stored with each trial.
    public var paramsJSON: String {
        ConfigValue.map(params).canonicalJSON
    }
}

/// One value of a `sweep:`: the strategy parameter it sets and the value, as the label shows it.
public struct SweptParameter: Sendable, Hashable {
    /// The parameter name (e.g. `n`).
    public var key: String
    /// The value this family member runs with.
    public var value: ConfigValue

    public init(key: String, value: ConfigValue) {
        self.key = key
        self.value = value
    }

    /// `n=16`: what the member's label appends to the family's.
    public var description: String { "\(key)=\(value.doubleValue.map(ConfigValue.canonicalNumber) ?? value.description)" }
}

/// A validated experiment: everything `ponder run` needs to expand and execute trials.
///
/// Build one with `ExperimentConfig.load(_:context:)` (file + `extends` + validation) or
/// `ExperimentConfig(validating:context:)`. The `normalized` tree (defaults applied, `output`
/// removed) is what the run id hashes.
public struct ExperimentConfig: Sendable {
    /// The experiment's name (letters, digits, `.`, `_`, `-`).
    public var name: String
    /// The model directory (HF layout); default `models/countdown-tiny`.
    public var modelDirectory: String
    /// The task and problem selection.
    public var task: TaskSelection
    /// Verifier-hidden (default) or verifier-charged.
    public var evaluation: EvaluationMode
    /// The strategies to compare, in the order written.
    public var strategies: [StrategySpec]
    /// The budget sweeps every strategy without its own `budgets` runs at.
    public var budgets: [BudgetSweep]
    /// How completions are sampled and when they end (`generation:`).
    public var generation: GenerationSettings
    /// Replication seeds; each (problem, strategy, budget) runs once per seed.
    public var seeds: [UInt64]
    /// The sample bank (`bank:`), if any.
    public var bank: BankSettings?
    /// best-of-n's parameter defaults, so the bank's entry hashes like any other.
    var bankDefaults: [String: ConfigValue] = [:]
    /// The folder run folders are made in (`output:`, default `runs`): a run writes its
    /// database, CSV, plots and reports to `<output>/<name>-<run id prefix>/`, so a changed
    /// config never mixes its results into an older run's folder.
    public var outputDirectory: String
    /// The files the config was read from, the named file first.
    public var sourceFiles: [String]
    /// The normalized value tree: defaults applied, `extends` resolved, `output` left out.
    public var normalized: ConfigValue
    /// The files and lines every key came from, for checks made after validation (budgets
    /// against the model's costs).
    public var source: LoadedConfig?

    /// The evaluation mode a strategy entry runs in: its own, else the config's.
    public func evaluation(for strategy: StrategySpec) -> EvaluationMode {
        strategy.evaluation ?? evaluation
    }

    /// The budget caps a strategy runs at: its own `budgets` if given, else the config's.
    public func budgetPoints(for strategy: StrategySpec) -> [BudgetPoint] {
        (strategy.budgets ?? budgets).flatMap(\.points)
    }

    /// Loads a config file (following `extends:`) and validates it.
    public static func load(_ url: URL, context: ValidationContext) throws -> ExperimentConfig {
        try ExperimentConfig(validating: try ConfigLoader.load(url), context: context)
    }

    /// Validates a loaded config tree; throws `ExperimentConfigError` listing every problem found.
    public init(validating loaded: LoadedConfig, context: ValidationContext) throws {
        var validator = ConfigValidator(loaded: loaded, context: context)
        self = try validator.validate()
    }

    init(name: String, modelDirectory: String, task: TaskSelection, evaluation: EvaluationMode,
         strategies: [StrategySpec], budgets: [BudgetSweep], generation: GenerationSettings, seeds: [UInt64],
         bank: BankSettings? = nil, bankDefaults: [String: ConfigValue] = [:],
         outputDirectory: String, sourceFiles: [String], normalized: ConfigValue) {
        self.name = name
        self.modelDirectory = modelDirectory
        self.task = task
        self.evaluation = evaluation
        self.strategies = strategies
        self.budgets = budgets
        self.generation = generation
        self.seeds = seeds
        self.bank = bank
        self.bankDefaults = bankDefaults
        self.outputDirectory = outputDirectory
        self.sourceFiles = sourceFiles
        self.normalized = normalized
    }
}

/// What the strategy registry (in PonderSearch) tells config validation.
///
/// PonderLab cannot import PonderSearch's registry's internals, so the CLI passes an adapter;
/// tests pass a `StrategyCatalogTable`.
public protocol StrategyCatalog: Sendable {
    /// Every registered strategy name.
    var strategyNames: [String] { get }
    /// Problems with `params` for `strategy`. Each issue's `key` is relative to `params`
    /// (e.g. `c_puct`), or nil for the params as a whole.
    func validate(strategy: String, params: [String: ConfigValue]) -> [ParameterIssue]
    /// The parameters' defaults, merged under the given ones before hashing, so writing a
    /// default explicitly does not change the run id.
    func defaults(for strategy: String) -> [String: ConfigValue]
}

extension StrategyCatalog {
    public func defaults(for strategy: String) -> [String: ConfigValue] { [:] }
}

/// A strategy parameter problem reported by a `StrategyCatalog`.
public struct ParameterIssue: Sendable, Hashable {
    /// The parameter key, relative to `params`; nil for the map as a whole.
    public var key: String?
    public var problem: String
    public var fix: String

    public init(key: String?, problem: String, fix: String) {
        self.key = key
        self.problem = problem
        self.fix = fix
    }
}

/// A `StrategyCatalog` built from closures: the simplest adapter over a registry.
public struct StrategyCatalogTable: StrategyCatalog {
    public let strategyNames: [String]
    private let validator: @Sendable (String, [String: ConfigValue]) -> [ParameterIssue]
    private let defaultsTable: [String: [String: ConfigValue]]

    public init(names: [String],
                defaults: [String: [String: ConfigValue]] = [:],
                validate: @escaping @Sendable (String, [String: ConfigValue]) -> [ParameterIssue] = { _, _ in [] }) {
        self.strategyNames = names
        self.validator = validate
        self.defaultsTable = defaults
    }

    public func validate(strategy: String, params: [String: ConfigValue]) -> [ParameterIssue] {
        validator(strategy, params)
    }

    public func defaults(for strategy: String) -> [String: ConfigValue] {
        defaultsTable[strategy] ?? [:]
    }
}

/// What the task registry tells config validation: task names, problems with a task's
/// split and options, and the options as the run id hashes them (the CLI passes a
/// `TaskRegistryCatalog` over PonderTasks' `TaskRegistry`).
public protocol TaskCatalog: Sendable {
    /// Every registered task name.
    var taskNames: [String] { get }
    /// Problems with `split` and `options` for `task`. Each issue's `key` is relative to the
    /// `task` section (e.g. `options.file`, `split`).
    func validate(task: String, split: String, options: [String: ConfigValue]) -> [ParameterIssue]
    /// The options the run id hashes: defaults merged under the given ones (as for strategy
    /// parameters), files by content rather than path.
    func identity(task: String, options: [String: ConfigValue]) -> [String: ConfigValue]
}

extension TaskCatalog {
    public func identity(task: String, options: [String: ConfigValue]) -> [String: ConfigValue] { options }
}

/// What validation checks against beyond the file itself.
public struct ValidationContext: Sendable {
    /// The strategy registry.
    public var strategies: any StrategyCatalog
    /// Registered task names; nil skips the check (a `tasks` catalog supplies them too).
    public var taskNames: [String]?
    /// The task registry, which also checks splits and task options; nil skips those checks.
    public var tasks: (any TaskCatalog)?
    /// Relative model and output paths are resolved against this folder.
    public var workingDirectory: URL
    /// Whether a missing model directory is an error (tests of pure config logic turn it off).
    public var requireModelDirectory: Bool

    public init(strategies: any StrategyCatalog, taskNames: [String]? = nil, tasks: (any TaskCatalog)? = nil,
                workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                requireModelDirectory: Bool = true) {
        self.strategies = strategies
        self.taskNames = taskNames ?? tasks?.taskNames
        self.tasks = tasks
        self.workingDirectory = workingDirectory
        self.requireModelDirectory = requireModelDirectory
    }

    /// A path from the config resolved against `workingDirectory` (absolute paths kept).
    public func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : workingDirectory.appendingPathComponent(path)
    }
}
