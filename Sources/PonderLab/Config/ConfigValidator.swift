import Foundation
import PonderSearch

/// Turns a merged config tree into an `ExperimentConfig`, collecting every problem on the way.
///
/// All checks run before any work starts: unknown keys (with a "did you mean"), types, ranges,
/// the model directory, strategy names and their parameters (through the injected catalog).
struct ConfigValidator {
    let loaded: LoadedConfig
    let context: ValidationContext
    private var issues: [ConfigIssue] = []

    static let topLevelKeys = ["name", "model", "task", "evaluation", "strategies", "budgets",
                               "generation", "seeds", "output", "bank"]
    static let taskKeys = ["name", "split", "problems", "seed", "options"]
    static let strategyKeys = ["name", "label", "params", "budgets", "sweep", "evaluation"]
    static let budgetKeys = ["kind", "values"]
    static let defaultModel = "models/countdown-tiny"

    init(loaded: LoadedConfig, context: ValidationContext) {
        self.loaded = loaded
        self.context = context
    }

    mutating func validate() throws -> ExperimentConfig {
        let root = loaded.value.mapValue ?? [:]
        checkKeys(root, at: "", allowed: Self.topLevelKeys)

        let name = string(root, "name", at: "", required: true,
                          fix: "name the experiment, e.g. `name: countdown-curves`.") ?? ""
        if !name.isEmpty, !name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) {
            report("name", "`\(name)` has characters that cannot appear in a folder name.",
                   "use letters, digits, `.`, `_` and `-` only.")
        }
        let model = string(root, "model", at: "", fix: "give the model directory path.") ?? Self.defaultModel
        if context.requireModelDirectory {
            var isDirectory: ObjCBool = false
            let url = context.resolve(model)
            if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
                report("model", "the model directory `\(model)` does not exist (looked at \(url.path)).",
                       "train or copy a checkpoint there, or point `model:` at an existing HF-format folder.")
            }
        }
        let task = validateTask(root["task"])
        let taskIdentity = context.tasks.map { $0.identity(task: task.name, options: task.options) } ?? task.options
        let evaluation = validateEvaluation(root) ?? .verifierHidden
        let budgets = root["budgets"].flatMap { validateBudgets($0, at: "budgets") } ?? []
        let strategies = validateStrategies(root["strategies"], haveGlobalBudgets: !budgets.isEmpty)
        let bank = validateBank(root["bank"])
        let generation = validateGeneration(root["generation"])
        let seeds = validateSeeds(root["seeds"])
        let output = string(root, "output", at: "", fix: "give the folder run folders go in.") ?? "runs"

        guard issues.isEmpty else { throw ExperimentConfigError(issues) }
        let normalized = Self.normalize(name: name, model: model, task: task, taskOptions: taskIdentity, evaluation: evaluation,
                                        strategies: strategies, budgets: budgets, generation: generation,
                                        seeds: seeds, bank: bank)
        var config = ExperimentConfig(name: name, modelDirectory: model, task: task, evaluation: evaluation,
                                      strategies: strategies, budgets: budgets, generation: generation, seeds: seeds,
                                      bank: bank, bankDefaults: context.strategies.defaults(for: "best-of-n"),
                                      outputDirectory: output, sourceFiles: loaded.files,
                                      normalized: normalized)
        config.source = loaded
        return config
    }

    // MARK: Sections

    private mutating func validateTask(_ value: ConfigValue?) -> TaskSelection {
        let fallback = TaskSelection(name: "", split: "test", problemCount: 100, seed: 0, options: [:])
        guard let value, value != .null else {
            report("task", "the `task` section is missing.",
                   "add `task: {name: countdown, problems: 50}`.")
            return fallback
        }
        guard case .map(let map) = value else {
            report("task", "expected a map, found \(value.typeName).", "write `task:` with `name:` and `problems:` below it.")
            return fallback
        }
        checkKeys(map, at: "task", allowed: Self.taskKeys)
        let name = string(map, "name", at: "task", required: true, fix: "name the task, e.g. `countdown`.") ?? ""
        if let known = context.taskNames, !name.isEmpty, !known.contains(name) {
            report("task.name", "unknown task `\(name)`.", Suggestion.fixText(for: name, in: known, what: "tasks"))
        }
        let split = string(map, "split", at: "task", fix: "name a split, e.g. `test`.") ?? "test"
        let problems = integer(map, "problems", at: "task", range: 1...10_000_000) ?? 100
        let seed = integer(map, "seed", at: "task", range: 0...Int.max) ?? 0
        var options: [String: ConfigValue] = [:]
        if let raw = present(map["options"]) {
            if case .map(let entries) = raw {
                for (key, option) in entries where !isScalarOrScalarList(option) {
                    report("task.options.\(key)", "expected a scalar or a list of scalars, found \(option.typeName).",
                           "task options are flat: write `\(key): value` or `\(key): [a, b]`.")
                }
                options = entries
            } else {
                report("task.options", "expected a map, found \(raw.typeName).", "write `options:` with `key: value` lines.")
            }
        }
        if let catalog = context.tasks, catalog.taskNames.contains(name) {
            for issue in catalog.validate(task: name, split: split, options: options) {
                report(issue.key.map { "task.\($0)" } ?? "task", issue.problem, issue.fix)
            }
        }
        return TaskSelection(name: name, split: split, problemCount: problems, seed: UInt64(seed), options: options)
    }

    private mutating func validateEvaluation(_ root: [String: ConfigValue], at path: String = "") -> EvaluationMode? {
        guard let raw = present(root["evaluation"]) else { return nil }
        let modes = EvaluationMode.allCases.map(\.rawValue)
        guard let text = raw.stringValue, let mode = EvaluationMode(rawValue: text) else {
            report(ConfigLoader.join(path, "evaluation"), "`\(raw)` is not an evaluation mode.",
                   Suggestion.fixText(for: raw.description, in: modes, what: "modes"))
            return nil
        }
        return mode
    }

    private mutating func validateStrategies(_ value: ConfigValue?, haveGlobalBudgets: Bool) -> [StrategySpec] {
        guard let value = present(value), case .list(let entries) = value, !entries.isEmpty else {
            report("strategies", "at least one strategy is needed.",
                   "add `strategies:` with entries like `- name: greedy`.")
            return []
        }
        let known = context.strategies.strategyNames
        var specs: [StrategySpec] = []
        var labels: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "strategies[\(index)]"
            guard case .map(let map) = entry else {
                report(path, "expected a map, found \(entry.typeName).", "write `- name: greedy` (with optional `params:`).")
                continue
            }
            checkKeys(map, at: path, allowed: Self.strategyKeys)
            guard let name = string(map, "name", at: path, required: true,
                                    fix: "name a registered strategy, e.g. `best-of-n`.") else { continue }
            let label = string(map, "label", at: path, fix: "give a short unique label.") ?? name
            if label.isEmpty || label.contains("|") || label.contains(where: { $0.isNewline }) {
                report("\(path).label", "`\(label)` cannot be used as a label.",
                       "use a non-empty label without `|` or line breaks.")
            }
            if let first = labels[label] {
                report("\(path).label", "the label `\(label)` is already used by strategies[\(first)].",
                       "give each strategy entry a distinct `label:` (e.g. `\(label)-weighted`).")
            } else {
                labels[label] = index
            }
            var params: [String: ConfigValue] = [:]
            if let raw = present(map["params"]) {
                if case .map(let entries) = raw { params = entries } else {
                    report("\(path).params", "expected a map, found \(raw.typeName).", "write `params:` with `key: value` lines.")
                }
            }
            for (key, param) in params where !isScalarOrScalarList(param) {
                report("\(path).params.\(key)", "expected a scalar or a list of scalars, found \(param.typeName).",
                       "strategy parameters are flat values.")
            }
            if !known.contains(name) {
                report("\(path).name", "unknown strategy `\(name)`.",
                       Suggestion.fixText(for: name, in: known, what: "strategies"))
            } else {
                for problem in context.strategies.validate(strategy: name, params: params) {
                    let key = problem.key.map { "\(path).params.\($0)" } ?? "\(path).params"
                    report(key, problem.problem, problem.fix)
                }
                params = context.strategies.defaults(for: name).merging(params) { _, given in given }
            }
            let budgets = present(map["budgets"]).flatMap { validateBudgets($0, at: "\(path).budgets") }
            if budgets == nil, !haveGlobalBudgets {
                report("\(path).budgets", "no budgets apply to this strategy.",
                       "add a top-level `budgets:` list, or `budgets:` inside this strategy entry.")
            }
            let base = StrategySpec(label: label, name: name, params: params, budgets: budgets, configPath: path,
                                    evaluation: validateEvaluation(map, at: path))
            guard let sweep = present(map["sweep"]) else {
                specs.append(base)
                continue
            }
            for member in validateSweep(sweep, of: base, at: path, known: known.contains(name)) {
                if let first = labels[member.label] {
                    report("\(path).sweep", "the swept label `\(member.label)` is already used by strategies[\(first)].",
                           "give this entry a distinct `label:`.")
                } else {
                    labels[member.label] = index
                }
                specs.append(member)
            }
        }
        if labels[ExperimentConfig.bankLabel] != nil {
            report("strategies", "the label `\(ExperimentConfig.bankLabel)` is reserved for the `bank:` section's trials.",
                   "give that strategy entry another `label:`.")
        }
        return specs
    }

    /// Expands `sweep: {key: [v1, v2, …]}` into one entry per value, labelled `label (key=v)`,
    /// all of one family (one curve). The swept key must be a numeric parameter the strategy
    /// declares, and every value must be valid for it; a bad sweep yields no entries (its
    /// issues are reported, so the config is refused).
    private mutating func validateSweep(_ value: ConfigValue, of base: StrategySpec, at path: String,
                                        known: Bool) -> [StrategySpec] {
        let sweepPath = "\(path).sweep"
        guard case .map(let entries) = value, entries.count == 1, let (key, rawValues) = entries.first else {
            report(sweepPath, "expected a map with one parameter and its list of values, found \(value.typeName == "map" ? "\(value.mapValue?.count ?? 0) parameters" : value.typeName).",
                   "write `sweep: {n: [1, 4, 16, 64]}` (one swept parameter per entry; add another entry for a second).")
            return []
        }
        let keyPath = "\(sweepPath).\(key)"
        guard known else { return [] }   // the unknown strategy name is reported already
        let defaults = context.strategies.defaults(for: base.name)
        guard let declared = defaults[key] else {
            report(keyPath, "`\(base.name)` has no parameter `\(key)` to sweep.",
                   Suggestion.fixText(for: key, in: defaults.keys.sorted(), what: "parameters of `\(base.name)`"))
            return []
        }
        guard declared.doubleValue != nil else {
            report(keyPath, "`\(key)` is not numeric (its default is `\(declared)`), so it cannot form a curve.",
                   "sweep a numeric parameter such as the sample count, width or simulations; write one entry per value of a choice.")
            return []
        }
        guard case .list(let values) = rawValues, !values.isEmpty else {
            report(keyPath, "expected a non-empty list of values, found \(rawValues.typeName == "list" ? "an empty list" : rawValues.typeName).",
                   "write `\(key): [1, 4, 16, 64]`.")
            return []
        }
        var members: [StrategySpec] = []
        var seen = Set<ConfigValue>()
        for (i, item) in values.enumerated() {
            let itemPath = "\(keyPath)[\(i)]"
            guard item.doubleValue != nil else {
                report(itemPath, "`\(item)` is not a number.", "sweep values are numbers, e.g. `[1, 4, 16]`.")
                continue
            }
            guard seen.insert(item).inserted else {
                report(itemPath, "the value \(item) is listed twice.", "remove the duplicate.")
                continue
            }
            var params = base.params
            params[key] = item
            for problem in context.strategies.validate(strategy: base.name, params: params) where problem.key == key || problem.key == nil {
                report(itemPath, problem.problem, problem.fix)
            }
            let swept = SweptParameter(key: key, value: item)
            members.append(StrategySpec(label: "\(base.label) (\(swept.description))", name: base.name, params: params,
                                        budgets: base.budgets, family: base.label, swept: swept,
                                        configPath: path, evaluation: base.evaluation))
        }
        return members
    }

    private mutating func validateBudgets(_ value: ConfigValue, at path: String) -> [BudgetSweep]? {
        guard case .list(let entries) = value, !entries.isEmpty else {
            report(path, "expected a non-empty list of budget sweeps, found \(value.typeName).",
                   "write `- {kind: flops, values: [1e11, 1e12]}`.")
            return nil
        }
        var sweeps: [BudgetSweep] = []
        let kinds = Budget.Unit.allCases.map(\.rawValue)
        for (index, entry) in entries.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard case .map(let map) = entry else {
                report(itemPath, "expected a map, found \(entry.typeName).", "write `- {kind: tokens, values: [256, 512]}`.")
                continue
            }
            checkKeys(map, at: itemPath, allowed: Self.budgetKeys)
            let kindText = string(map, "kind", at: itemPath, required: true, fix: "use one of: \(kinds.joined(separator: ", ")).")
            let kind = kindText.flatMap(Budget.Unit.init(rawValue:))
            if let kindText, kind == nil {
                report("\(itemPath).kind", "`\(kindText)` is not a budget kind.",
                       Suggestion.fixText(for: kindText, in: kinds, what: "budget kinds"))
            }
            guard case .list(let rawValues)? = present(map["values"]), !rawValues.isEmpty else {
                report("\(itemPath).values", "a non-empty list of budget values is needed.", "write `values: [1, 4, 16]`.")
                continue
            }
            var values: [Double] = []
            for (valueIndex, raw) in rawValues.enumerated() {
                let valuePath = "\(itemPath).values[\(valueIndex)]"
                let number = raw.doubleValue ?? raw.stringValue.flatMap(Double.init)
                guard let number, number.isFinite, number > 0 else {
                    report(valuePath, "`\(raw)` is not a positive number.", "budget values are positive numbers like `512` or `2e12`.")
                    continue
                }
                if kind != .flops, kind != nil, number.rounded() != number {
                    report(valuePath, "a \(kind?.rawValue ?? "") budget must be a whole number, found \(raw).",
                           "round it to an integer.")
                }
                if values.contains(number) {
                    report(valuePath, "the value \(raw) is listed twice.", "remove the duplicate.")
                }
                values.append(number)
            }
            if let kind { sweeps.append(BudgetSweep(kind: kind, values: values)) }
        }
        return sweeps
    }

    private mutating func validateSeeds(_ value: ConfigValue?) -> [UInt64] {
        guard let value = present(value) else { return [0] }
        guard case .list(let entries) = value, !entries.isEmpty else {
            report("seeds", "expected a non-empty list of seeds, found \(value.typeName).", "write `seeds: [0, 1, 2]`.")
            return [0]
        }
        var seeds: [UInt64] = []
        for (index, entry) in entries.enumerated() {
            guard let seed = entry.intValue, seed >= 0 else {
                report("seeds[\(index)]", "`\(entry)` is not a non-negative integer.", "seeds are integers ≥ 0.")
                continue
            }
            if seeds.contains(UInt64(seed)) {
                report("seeds[\(index)]", "the seed \(seed) is listed twice.", "remove the duplicate.")
            }
            seeds.append(UInt64(seed))
        }
        return seeds
    }
}

// MARK: - Field helpers

extension ConfigValidator {
    /// An issue located at the file and line that set `keyPath`.
    mutating func report(_ keyPath: String, _ problem: String, _ fix: String) {
        issues.append(ConfigIssue(location: loaded.location(of: keyPath), keyPath: keyPath,
                                  problem: problem, fix: fix))
    }

    /// Reports keys not in `allowed`, with the closest allowed key as a suggestion.
    mutating func checkKeys(_ map: [String: ConfigValue], at path: String, allowed: [String]) {
        for key in map.keys.sorted() where !allowed.contains(key) {
            report(ConfigLoader.join(path, key), "unknown key `\(key)`.",
                   Suggestion.fixText(for: key, in: allowed, what: "keys here"))
        }
    }

    /// A value that is present and not an explicit `null`.
    func present(_ value: ConfigValue?) -> ConfigValue? {
        guard let value, value != .null else { return nil }
        return value
    }

    mutating func string(_ map: [String: ConfigValue], _ key: String, at path: String,
                         required: Bool = false, fix: String) -> String? {
        let keyPath = ConfigLoader.join(path, key)
        guard let value = present(map[key]) else {
            if required { report(keyPath, "the key is required.", fix) }
            return nil
        }
        switch value {
        case .string(let text): return text
        case .int, .double, .bool: return value.description
        default:
            report(keyPath, "expected a string, found \(value.typeName).", fix)
            return nil
        }
    }

    mutating func integer(_ map: [String: ConfigValue], _ key: String, at path: String,
                          range: ClosedRange<Int>) -> Int? {
        let keyPath = ConfigLoader.join(path, key)
        guard let value = present(map[key]) else { return nil }
        guard let number = value.intValue else {
            report(keyPath, "expected an integer, found \(value.typeName) (`\(value)`).", "write a whole number.")
            return nil
        }
        guard range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : " and ≤ \(range.upperBound)"
            report(keyPath, "\(number) is out of range.", "use a value ≥ \(range.lowerBound)\(upper).")
            return nil
        }
        return number
    }

    func isScalarOrScalarList(_ value: ConfigValue) -> Bool {
        if value.isScalar { return true }
        if case .list(let items) = value { return items.allSatisfy(\.isScalar) }
        return false
    }

    /// The tree the run id hashes: every default written out, `output` left out (where
    /// results are written does not change what they are). `taskOptions` are the task
    /// catalog's identity of the options (defaults merged, files by content hash).
    static func normalize(name: String, model: String, task: TaskSelection, taskOptions: [String: ConfigValue],
                          evaluation: EvaluationMode,
                          strategies: [StrategySpec], budgets: [BudgetSweep], generation: GenerationSettings,
                          seeds: [UInt64], bank: BankSettings? = nil) -> ConfigValue {
        func sweeps(_ list: [BudgetSweep]) -> ConfigValue {
            .list(list.map { .map(["kind": .string($0.kind.rawValue), "values": .list($0.values.map(ConfigValue.double))]) })
        }
        let strategyValues: [ConfigValue] = strategies.map { spec in
            var entry: [String: ConfigValue] = ["name": .string(spec.name), "label": .string(spec.label),
                                                "params": .map(spec.params)]
            if let own = spec.budgets { entry["budgets"] = sweeps(own) }
            if spec.family != spec.label { entry["family"] = .string(spec.family) }
            if let mode = spec.evaluation { entry["evaluation"] = .string(mode.rawValue) }
            return .map(entry)
        }
        var tree: [String: ConfigValue] = [
            "name": .string(name),
            "model": .string(model),
            "task": .map(["name": .string(task.name), "split": .string(task.split),
                          "problems": .int(task.problemCount), "seed": .int(Int(task.seed)),
                          "options": .map(taskOptions)]),
            "evaluation": .string(evaluation.rawValue),
            "strategies": .list(strategyValues),
            "budgets": sweeps(budgets),
            "generation": generation.normalized,
            "seeds": .list(seeds.map { .int(Int($0)) }),
        ]
        // Written only when present, so configs without a bank keep their run ids.
        if let bank { tree["bank"] = bank.normalized }
        return .map(tree)
    }
}
