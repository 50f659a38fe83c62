import Foundation
import XCTest
import PonderModel
import PonderSearch
import PonderTasks
@testable import PonderLab

/// What `ponder run` checks and builds before any trial: configs against the real strategy
/// and task registries, the shipped experiment files, the task adapters and the report order.
final class RunSetupTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fixtureModel = repository.appendingPathComponent("Tests/Fixtures/models/qwen2-gqa-bias").path

    func write(_ yaml: String, in folder: URL, name: String = "exp.yaml") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func issues(_ yaml: String) throws -> ExperimentConfigError {
        let folder = try makeTemporaryDirectory(self)
        let url = try write(yaml, in: folder)
        do {
            _ = try ExperimentConfig.loadForRun(url, workingDirectory: folder, modelOverride: Self.fixtureModel)
        } catch let error as ExperimentConfigError {
            return error
        }
        XCTFail("the config was accepted")
        throw XCTSkip("no error")
    }

    func testUnknownKeysBadTypesAndRangesAreNamedWithTheirFix() throws {
        let error = try issues("""
            name: bad
            task: {name: countdown, problems: 2, options: {stlye: compact, held_out_share: 1.5}}
            generation: {max_new_tokens: -3, top_p: nope}
            strategies:
              - {name: best-of-n, params: {n: "four", selction: majority}}
              - {name: mcts-step, params: {c_init: 500}}
              - {name: mcts-step, label: narrow, params: {width: 4, expansion_cap: 2}}
            budgets: [{kind: tokens, values: [32]}]
            """)
        let text = error.description
        for fragment in [
            "task.options.stlye", "did you mean `style`",
            "task.options.held_out_share: `1.5` is not a number in 0.0...0.99",
            "generation.max_new_tokens: -3 is out of range",
            "generation.top_p: expected a number",
            "strategies[0].params.n: `four` is not an integer in 1...65536", "write `n:`",
            "strategies[0].params.selction", "did you mean `selection`",
            "strategies[1].params.c_init: `500` is not a number in 0.0...100.0",
            "strategies[2].params:", "expansion_cap",
        ] {
            XCTAssertTrue(text.contains(fragment), "missing \(fragment) in:\n\(text)")
        }
        XCTAssertTrue(error.issues.allSatisfy { $0.location.line != nil }, "every issue points at a line")
    }

    func testEveryShippedExperimentValidates() throws {
        let experiments = Self.repository.appendingPathComponent("experiments")
        var files = try FileManager.default.contentsOfDirectory(atPath: experiments.path)
            .filter { $0.hasSuffix(".yaml") && $0 != "gsm8k-r1-distill.yaml" }.map { "experiments/\($0)" }
        files += try FileManager.default.contentsOfDirectory(atPath: experiments.appendingPathComponent("ablations").path)
            .filter { $0.hasSuffix(".yaml") }.map { "experiments/ablations/\($0)" }
        XCTAssertGreaterThanOrEqual(files.count, 9)
        var names = Set<String>()
        for file in files {
            let config = try ExperimentConfig.loadForRun(Self.repository.appendingPathComponent(file),
                                                         workingDirectory: Self.repository, modelOverride: Self.fixtureModel)
            XCTAssertTrue(names.insert(config.name).inserted, "\(file): run names must differ")
            XCTAssertFalse(config.trials().isEmpty, file)
        }
        let quickstart = try ExperimentConfig.loadForRun(Self.repository.appendingPathComponent("experiments/quickstart.yaml"),
                                                         workingDirectory: Self.repository, modelOverride: Self.fixtureModel)
        XCTAssertEqual(Set(quickstart.strategies.map(\.name)), Set(StrategyRegistry.builtIn.names), "every strategy")
        // one cap for the one-completion baselines, three for every strategy that fills its budget
        for spec in quickstart.strategies {
            let single = spec.name == "greedy" || spec.name == "sample"
            XCTAssertEqual(quickstart.budgetPoints(for: spec).count, single ? 1 : 3, spec.label)
        }
        XCTAssertNotNil(quickstart.bank, "the quickstart shows pass@k from a bank")
        XCTAssertTrue(quickstart.strategies.contains { quickstart.evaluation(for: $0) == .verifierCharged },
                      "the quickstart has a positive control")
        let raw = try String(contentsOf: Self.repository.appendingPathComponent("experiments/quickstart.yaml"), encoding: .utf8)
        XCTAssertTrue(raw.contains("model: models/countdown-tiny"))
    }

    func testGSM8KR1DistillConfigValidatesAgainstAFixtureCheckpoint() throws {
        let folder = try makeTemporaryDirectory(self)
        let base = Self.repository.appendingPathComponent("experiments/gsm8k-r1-distill.yaml").path
        let gsm8k = Self.repository.appendingPathComponent("Tests/Fixtures/tasks/gsm8k-mini.jsonl").path
        let url = try write("""
            extends: \(base)
            task: {problems: 2, options: {file: \(gsm8k)}}
            """, in: folder)
        let config = try ExperimentConfig.loadForRun(url, workingDirectory: folder, modelOverride: Self.fixtureModel)
        XCTAssertEqual(config.task.name, "gsm8k")
        XCTAssertEqual(config.task.options["style"], .string("chat"))
        XCTAssertEqual(config.generation.topP, 0.95)
        XCTAssertEqual(config.generation.stop, [])

        // The task builds with the checkpoint's chat template and renders its prompts through it.
        let model = try PretrainedModel.load(directory: Self.fixtureModel)
        let task = try TaskRegistryCatalog(workingDirectory: folder).make(
            task: config.task.name, split: config.task.split, options: config.task.options,
            chatRenderer: TrialEnvironment.chatRenderer(for: model))
        XCTAssertTrue(task.isChat)
        XCTAssertEqual(task.defaultStopStrings, [])
        let problem = try XCTUnwrap(try task.problems(count: 2, seed: 0).first)
        let prompt = try task.prompt(for: problem)
        XCTAssertTrue(prompt.text.hasPrefix("<|im_start|>user\n"), prompt.text)
        XCTAssertTrue(prompt.text.contains("\\boxed{}"))
        XCTAssertEqual(task.score("so \\boxed{29}", for: problem, prompt: prompt).accuracy, 1)
    }

    func testTheCheckerIsReachableOnlyThroughAChargedContext() throws {
        let task = try TaskRegistryCatalog().make(task: "countdown", split: "test", options: [:], chatRenderer: nil)
        let problem = try XCTUnwrap(try task.problems(count: 1, seed: 3).first)
        let prompt = try task.prompt(for: problem)
        let reference = try XCTUnwrap(try task.task.referenceCompletion(for: problem, prompt: prompt))
        XCTAssertEqual(task.score(reference, for: problem, prompt: prompt).accuracy, 1)
        XCTAssertEqual(task.answerExtractor.extract("x</think>\n<answer> (1 + 2) * 3 </answer>"), "(1+2)*3")

        let model = try PretrainedModel.load(directory: Self.fixtureModel)
        func context(_ mode: PonderSearch.EvaluationMode) throws -> SearchContext {
            try SearchContext(policy: try EnginePolicy(model: model), mode: mode, task: task.hooks(for: problem))
        }
        let hidden = try context(.verifierHidden)
        XCTAssertThrowsError(try hidden.check(completion: reference, for: "probe"))
        XCTAssertEqual(hidden.ledger.verifierCalls, 0)
        let charged = try context(.verifierCharged)
        XCTAssertTrue(try charged.check(completion: reference, for: "probe"))
        XCTAssertFalse(try charged.check(completion: "<answer>1 + 1</answer>", for: "probe"))
        XCTAssertEqual(charged.ledger.verifierCalls, 2, "every check is charged")
    }

    func testTaskOptionsAreCheckedByTheRegistry() throws {
        let registry = TaskRegistryCatalog()
        XCTAssertEqual(registry.validate(task: "countdown", split: "test", options: ["numbers": .int(4)]), [])
        let math = registry.validate(task: "math", split: "train", options: [:])
        XCTAssertEqual(math.map(\.key), ["options.file"])
        let missing = registry.validate(task: "gsm8k", split: "dev", options: ["file": .string("/no/such.jsonl")])
        XCTAssertEqual(Set(missing.compactMap(\.key)), ["split", "options.file"])
        XCTAssertThrowsError(try registry.make(task: "countdown", split: "test", options: ["style": .string("chat")],
                                               chatRenderer: nil)) { error in
            XCTAssertTrue("\(error)".contains("chat template"), "\(error)")
        }
    }

    func testReportsOrderTrialsLikeTheConfigWhateverTheStorageOrder() throws {
        let folder = try makeTemporaryDirectory(self)
        let url = try write("""
            name: order
            task: {name: countdown, problems: 2}
            strategies: [{name: sample}, {name: greedy}]
            budgets: [{kind: tokens, values: [8, 4]}]
            seeds: [1, 0]
            """, in: folder)
        let config = try ExperimentConfig.loadForRun(url, workingDirectory: folder, modelOverride: Self.fixtureModel)
        let run = RunInfo(config: config, modelVersion: "m", codeVersion: "c")
        let trials = config.trials().map { trial in
            makeTrial(problem: trial.problemIndex, strategy: trial.strategy.label, budget: trial.budget.value,
                      kind: .tokens, seed: Int(trial.seed), correct: true)
        }
        var shuffled = trials
        var rng = SeededRNG(seed: 5)
        rng.shuffle(&shuffled)
        let ordered = TrialOrder.canonical(shuffled, run: run)
        XCTAssertEqual(ordered.prefix(4).map(\.strategy), ["sample", "sample", "sample", "sample"])
        XCTAssertEqual(ordered.prefix(4).map(\.budgetValue), [4, 4, 8, 8])
        XCTAssertEqual(ordered.prefix(2).map(\.seed), [0, 1])
        XCTAssertEqual(TrialOrder.canonical(trials.reversed(), run: run).map(\.trialKey), ordered.map(\.trialKey))
    }

    func testSearchTreesAreStoredInTheViewersNestedLayout() throws {
        typealias Node = PonderSearch.SearchTreeNode
        let tree = SearchTree(strategy: "mcts-step", root: 0, nodes: [
            Node(id: 0, parent: nil, children: [1, 2], text: "", tokenStart: 0, tokenEnd: 0, prior: 1, visits: 4,
                 value: 0.5, terminal: false, answer: nil),
            Node(id: 1, parent: 0, children: [3], text: "a", tokenStart: 0, tokenEnd: 1, prior: 0.6, visits: 3,
                 value: 0.7, terminal: false, answer: nil),
            Node(id: 2, parent: 0, children: [], text: "b", tokenStart: 0, tokenEnd: 1, prior: 0.4, visits: 1,
                 value: nil, terminal: false, answer: nil),
            Node(id: 3, parent: 1, children: [], text: "c", tokenStart: 1, tokenEnd: 2, prior: 1, visits: 2,
                 value: 1, terminal: true, answer: "42"),
        ], committed: [1, 3])
        let json = TreeExport.nestedJSON(tree)
        let parsed = try XCTUnwrap(TreeViewNode.parse(json))
        XCTAssertEqual(parsed.nodeCount, 4)
        XCTAssertEqual(parsed.depth, 2)
        XCTAssertEqual(parsed.children.map(\.text), ["a", "b"])
        XCTAssertEqual(parsed.children.first?.children.first?.value, 1)
        XCTAssertTrue(json.contains("\"answer\":\"42\""))
        XCTAssertEqual(json, TreeExport.nestedJSON(tree), "deterministic bytes")
    }
}

/// Budgets that cannot buy one completion are refused before any trial, naming the key and line.
final class BudgetAffordabilityTests: XCTestCase {
    func testACapBelowOneCompletionIsRefusedWithItsLineAndTheSmallestCapThatWorks() throws {
        let folder = try makeTemporaryDirectory(self)
        let url = folder.appendingPathComponent("exp.yaml")
        try """
            name: cheap
            task: {name: countdown, problems: 2, options: {style: compact}}
            generation: {max_new_tokens: 16}
            budgets:
              - {kind: tokens, values: [8, 16]}
            strategies:
              - name: greedy
              - name: sample
                budgets: [{kind: flops, values: [1000, 1.0e12]}]
            """.write(to: url, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.loadForRun(url, workingDirectory: folder, modelOverride: RunSetupTests.fixtureModel)
        let environment = try TrialEnvironment(config: config, workingDirectory: folder)
        XCTAssertEqual(try environment.oneCompletionCost(.tokens), 16)
        XCTAssertEqual(try environment.oneCompletionCost(.samples), 1)
        let flops = try environment.oneCompletionCost(.flops)
        XCTAssertGreaterThan(flops, 1000)
        XCTAssertLessThan(flops, 1.0e12)
        do {
            try environment.checkBudgetsAffordOneCompletion(config)
            XCTFail("the 8-token and 1000-FLOP caps were accepted")
        } catch let error as ExperimentConfigError {
            XCTAssertEqual(error.issues.map(\.keyPath), ["budgets[0].values[0]", "strategies[1].budgets[0].values[0]"])
            XCTAssertEqual(error.issues.map(\.location.line), [5, 9])
            XCTAssertTrue(error.issues[0].fix.contains("at least 16"), error.issues[0].fix)
        }
    }
}
