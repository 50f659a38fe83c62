import Foundation
import XCTest
@testable import PonderLab

final class ConfigTests: XCTestCase {
    let base = """
        name: countdown-curves
        task:
          name: countdown
          problems: 3
          seed: 7
          options: {numbers: 3}
        strategies:
          - name: greedy
            budgets: [{kind: tokens, values: [256]}]
          - name: best-of-n
            params: {temperature: 0.8}
        budgets:
          - kind: samples
            values: [1, 4]
        seeds: [0, 1]
        """

    private func write(_ text: String, _ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func context(_ folder: URL, requireModel: Bool = false) -> ValidationContext {
        ValidationContext(strategies: testCatalog, taskNames: ["countdown", "multiplication"],
                          workingDirectory: folder, requireModelDirectory: requireModel)
    }

    private func issues(_ body: () throws -> Void) -> [ConfigIssue] {
        do { try body() } catch let error as ExperimentConfigError { return error.issues } catch {
            XCTFail("unexpected error \(error)")
        }
        return []
    }

    func testDefaultsAndTypedFields() throws {
        let folder = try makeTemporaryDirectory(self)
        let config = try ExperimentConfig.load(try write(base, "base.yaml", in: folder), context: context(folder))
        XCTAssertEqual(config.name, "countdown-curves")
        XCTAssertEqual(config.modelDirectory, "models/countdown-tiny")
        XCTAssertEqual(config.evaluation, .verifierHidden)
        XCTAssertEqual(config.task, TaskSelection(name: "countdown", split: "test", problemCount: 3, seed: 7,
                                                  options: ["numbers": .int(3)]))
        XCTAssertEqual(config.outputDirectory, "runs")
        XCTAssertEqual(config.seeds, [0, 1])
        XCTAssertEqual(config.strategies.map(\.label), ["greedy", "best-of-n"])
        // the registry default is applied under the given params
        XCTAssertEqual(config.strategies[1].params, ["temperature": .double(0.8), "selection": .string("majority")])
        XCTAssertEqual(config.budgetPoints(for: config.strategies[0]), [BudgetPoint(kind: .tokens, value: 256)])
        XCTAssertEqual(config.budgetPoints(for: config.strategies[1]).map(\.value), [1, 4])
    }

    /// An ablation of a few lines: scalars and lists replace, maps merge, null removes.
    func testExtendsDeepMerge() throws {
        let folder = try makeTemporaryDirectory(self)
        _ = try write(base, "base.yaml", in: folder)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("ablations"), withIntermediateDirectories: true)
        let ablation = try write("""
            extends: ../base.yaml
            name: more-seeds
            task: {problems: 5, options: null}
            seeds: [3]
            evaluation: verifier-charged
            """, "ablations/more.yaml", in: folder)
        let config = try ExperimentConfig.load(ablation, context: context(folder))
        XCTAssertEqual(config.name, "more-seeds")
        XCTAssertEqual(config.task.problemCount, 5)
        XCTAssertEqual(config.task.seed, 7, "unset keys of a merged map come from the base")
        XCTAssertEqual(config.task.options, [:], "null removes the base's value")
        XCTAssertEqual(config.seeds, [3])
        XCTAssertEqual(config.evaluation, .verifierCharged)
        XCTAssertEqual(config.strategies.count, 2)
        XCTAssertEqual(config.sourceFiles.count, 2)
    }

    func testExtendsCycleIsReported() throws {
        let folder = try makeTemporaryDirectory(self)
        _ = try write("extends: b.yaml\nname: a\n", "a.yaml", in: folder)
        _ = try write("extends: a.yaml\nname: b\n", "b.yaml", in: folder)
        let found = issues { _ = try ConfigLoader.load(folder.appendingPathComponent("a.yaml")) }
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].problem.contains("cycle: a.yaml → b.yaml → a.yaml"), found[0].problem)
    }

    func testUnknownKeysSuggestTheClosestKnownKey() throws {
        let folder = try makeTemporaryDirectory(self)
        let url = try write(base + "\nsed: [1]\n", "x.yaml", in: folder)
        let found = issues { _ = try ExperimentConfig.load(url, context: context(folder)) }
        XCTAssertEqual(found.map(\.keyPath), ["sed"])
        XCTAssertTrue(found[0].fix.contains("did you mean `seeds`?"), found[0].fix)
        XCTAssertEqual(found[0].location.file.hasSuffix("x.yaml"), true)
        XCTAssertEqual(found[0].location.line, 16)
    }

    /// A problem in a base file is reported against the base file and line, with the key path.
    func testParameterErrorsNameFileKeyPathAndFix() throws {
        let folder = try makeTemporaryDirectory(self)
        let withMCTS = base.replacingOccurrences(
            of: "budgets:\n  - kind: samples",
            with: "  - name: mcts-step\n    params: {c_puct: fast}\nbudgets:\n  - kind: samples")
        _ = try write(withMCTS, "base.yaml", in: folder)
        let child = try write("extends: base.yaml\nname: child\n", "child.yaml", in: folder)
        let found = issues { _ = try ExperimentConfig.load(child, context: context(folder)) }
        XCTAssertEqual(found.map(\.keyPath), ["strategies[2].params.c_puct"])
        XCTAssertTrue(found[0].location.file.hasSuffix("base.yaml"))
        XCTAssertEqual(found[0].location.line, 13)
        XCTAssertTrue(found[0].description.contains("Fix: write e.g. `c_puct: 1.25`."), found[0].description)
    }

    func testTypeRangeStrategyAndModelErrorsAreAllCollected() throws {
        let folder = try makeTemporaryDirectory(self)
        let url = try write("""
            name: bad
            model: models/missing
            task: {name: countdwn, problems: 0}
            strategies:
              - name: mcts
              - name: greedy
                label: greedy
              - {name: greedy}
            budgets: [{kind: flop, values: [1e12, -1]}]
            seeds: [-1]
            """, "bad.yaml", in: folder)
        let error = issues { _ = try ExperimentConfig.load(url, context: context(folder, requireModel: true)) }
        let byPath = Dictionary(error.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertTrue(byPath["model"]?.problem.contains("does not exist") ?? false)
        XCTAssertTrue(byPath["task.name"]?.fix.contains("did you mean `countdown`?") ?? false)
        XCTAssertNotNil(byPath["task.problems"])
        XCTAssertTrue(byPath["strategies[0].name"]?.fix.contains("`best-of-n`, `greedy`, `mcts-step`") ?? false)
        XCTAssertTrue(byPath["strategies[2].label"]?.problem.contains("already used by strategies[1]") ?? false)
        XCTAssertTrue(byPath["budgets[0].kind"]?.fix.contains("did you mean `flops`?") ?? false)
        XCTAssertNotNil(byPath["budgets[0].values[1]"])
        XCTAssertNotNil(byPath["seeds[0]"])
    }

    func testRunIDDependsOnMeaningNotFormatting() throws {
        let folder = try makeTemporaryDirectory(self)
        let ctx = context(folder)
        func runID(_ text: String, model: String = "m1", code: String = "c1") throws -> String {
            try ExperimentConfig.load(try write(text, "r.yaml", in: folder), context: ctx)
                .runID(modelVersion: model, codeVersion: code)
        }
        let original = try runID(base)
        XCTAssertEqual(original.count, 64)
        // reordered keys, flow style, explicit defaults, a different output folder: same run
        let reformatted = """
            seeds: [0, 1]
            budgets: [{values: [1.0, 4], kind: samples}]
            strategies:
              - {budgets: [{kind: tokens, values: [256]}], name: greedy}
              - {name: best-of-n, params: {selection: majority, temperature: 0.8}}
            task: {options: {numbers: 3}, seed: 7, problems: 3, name: countdown, split: test}
            evaluation: verifier-hidden
            model: models/countdown-tiny
            output: elsewhere/run
            name: countdown-curves
            """
        XCTAssertEqual(try runID(reformatted), original)
        XCTAssertNotEqual(try runID(base.replacingOccurrences(of: "temperature: 0.8", with: "temperature: 0.7")), original)
        XCTAssertNotEqual(try runID(base, model: "m2"), original)
        XCTAssertNotEqual(try runID(base, code: "c2"), original)
    }

    func testTrialExpansionKeysAndShards() throws {
        let folder = try makeTemporaryDirectory(self)
        let config = try ExperimentConfig.load(try write(base, "base.yaml", in: folder), context: context(folder))
        let trials = config.trials()
        // 3 problems × (greedy: 1 budget + best-of-n: 2 budgets) × 2 seeds
        XCTAssertEqual(trials.count, 18)
        XCTAssertEqual(Set(trials.map(\.key)).count, 18)
        XCTAssertEqual(trials[0].key, "p0|greedy|tokens=256|s0")
        XCTAssertEqual(trials[4].key, "p0|best-of-n|samples=4|s0")
        XCTAssertEqual(config.trials().map(\.key), trials.map(\.key), "expansion is deterministic")

        let shards = try (0..<4).map { try config.trials(shard: Shard(parsing: "\($0)/4")) }
        XCTAssertEqual(shards.map(\.count), [5, 5, 4, 4])
        let union = shards.flatMap { $0.map(\.key) }
        XCTAssertEqual(union.count, 18)
        XCTAssertEqual(Set(union), Set(trials.map(\.key)), "shards partition the trials")

        XCTAssertThrowsError(try Shard(parsing: "4/4")) { XCTAssertEqual($0 as? ShardError, .outOfRange(index: 4, count: 4)) }
        XCTAssertThrowsError(try Shard(parsing: "1-4")) { XCTAssertEqual($0 as? ShardError, .malformed("1-4")) }
    }

    func testTrialRandomStreamsAreStableAndDistinct() throws {
        let folder = try makeTemporaryDirectory(self)
        let config = try ExperimentConfig.load(try write(base, "base.yaml", in: folder), context: context(folder))
        let trials = config.trials()
        XCTAssertEqual(Set(trials.map(\.rngSeed)).count, trials.count)
        var first = trials[5].makeRNG(), again = trials[5].makeRNG()
        XCTAssertEqual(first.next(), again.next())
    }

    func testSuggestionDistance() {
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.closest(to: "c-puct", in: ["c_puct", "width"]), "c_puct")
        XCTAssertNil(Suggestion.closest(to: "zzz", in: ["seeds", "task"]))
    }
}
