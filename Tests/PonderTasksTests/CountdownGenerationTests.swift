import XCTest
@testable import PonderTasks

/// Countdown generation: determinism, solvability, held-out targets, impossible configurations,
/// the solver's counts and JSONL loading.
final class CountdownGenerationTests: XCTestCase {
    func testGenerationIsDeterministicFromTheSeed() throws {
        let task = try CountdownTask()
        let a = try task.problems(split: .train, count: 20, seed: 7)
        let b = try task.problems(split: .train, count: 20, seed: 7)
        let c = try task.problems(split: .train, count: 20, seed: 8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.map(\.id), c.map(\.id))
        let prefix = try task.problems(split: .train, count: 5, seed: 7)
        XCTAssertEqual(prefix, Array(a.prefix(5)), "a shorter request is a prefix of a longer one")
        XCTAssertEqual(Set(a.map(\.id)).count, a.count, "no repeated problem")
    }

    func testEveryGeneratedProblemIsSolvableAndWithinRanges() throws {
        let config = CountdownConfig()
        let task = try CountdownTask(config: config)
        for split in Split.allCases {
            for problem in try task.problems(split: split, count: 30, seed: 3) {
                guard case .countdown(let numbers, let target) = problem.content else {
                    return XCTFail("not a countdown problem")
                }
                XCTAssertTrue(config.numberCounts.contains(numbers.count))
                XCTAssertTrue(numbers.allSatisfy(config.numberRange.contains))
                XCTAssertTrue(config.targetRange.contains(target))
                XCTAssertTrue(CountdownSolver.isSolvable(numbers, target: target), problem.id)
                XCTAssertEqual(problem.split, split)
                XCTAssertGreaterThan(problem.difficulty.solutions ?? 0, 0)
                XCTAssertEqual(problem.difficulty.depth, numbers.count - 1)
            }
        }
    }

    func testHeldOutTargetsNeverAppearInTraining() throws {
        let config = CountdownConfig(heldOutTargetShare: 0.2)
        let task = try CountdownTask(config: config)
        let held = config.heldOutTargets
        XCTAssertEqual(held.count, Int((0.2 * 91).rounded(.up)))
        for seed: UInt64 in [1, 2, 3] {
            for problem in try task.problems(split: .train, count: 60, seed: seed) {
                if case .countdown(_, let target) = problem.content {
                    XCTAssertFalse(held.contains(target), "training target \(target) is held out")
                }
            }
            for problem in try task.problems(split: .test, count: 20, seed: seed) {
                if case .countdown(_, let target) = problem.content {
                    XCTAssertTrue(held.contains(target), "test target \(target) is not held out")
                }
            }
        }
        // The holdout depends on holdoutSeed only, not on the generation seed.
        XCTAssertEqual(CountdownConfig(heldOutTargetShare: 0.2).heldOutTargets, held)
        XCTAssertNotEqual(CountdownConfig(heldOutTargetShare: 0.2, holdoutSeed: 9).heldOutTargets, held)
    }

    func testSolverCountsDistinctSolutions() {
        // 1, 2 -> 3: only 1 + 2 (2 + 1 is the same solution).
        XCTAssertEqual(CountdownSolver.solutions([1, 2], target: 3).count, 1)
        // 2, 2 -> 4: 2 + 2 and 2 * 2.
        XCTAssertEqual(CountdownSolver.solutions([2, 2], target: 4).map(\.rendered).sorted(), ["2 * 2", "2 + 2"])
        // 6, 3 -> 2: 6 / 3 only; 3 - 6 is not allowed.
        XCTAssertEqual(CountdownSolver.solutions([6, 3], target: 2).map(\.rendered), ["6 / 3"])
        XCTAssertTrue(CountdownSolver.solutions([3, 6], target: 1).isEmpty, "no fractions, no negatives")
        // Regrouping a sum is one solution: 1 + 2 + 3 counted once.
        XCTAssertEqual(CountdownSolver.solutions([1, 2, 3], target: 6).filter {
            $0.canonicalKey == "+(1,2,3)" }.count, 1)
        XCTAssertEqual(CountdownSolver.reachableValues([4, 2]), [6, 8, 2])
        XCTAssertTrue(CountdownSolver.reachableValues([5, 0]).contains(0), "0 / 5 is exact")
    }

    func testImpossibleConfigurationsAreClearErrors() throws {
        // Numbers 1...2 (three of them) reach at most 8: targets 50...60 are impossible.
        let none = try CountdownTask(config: CountdownConfig(
            numberCounts: 3...3, numberRange: 1...2, targetRange: 50...60, heldOutTargetShare: 0))
        XCTAssertThrowsError(try none.problems(split: .train, count: 1, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("no solvable countdown train problem"), "\(error)")
        }
        // More problems than exist: 4 number sets × 11 targets = 44 at most.
        let small = try CountdownTask(config: CountdownConfig(
            numberCounts: 3...3, numberRange: 1...2, targetRange: 0...10, heldOutTargetShare: 0))
        XCTAssertThrowsError(try small.problems(split: .train, count: 45, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("at most 44 exist"), "\(error)")
        }
        let solvable = try small.problems(split: .train, count: 3, seed: 1)
        XCTAssertEqual(solvable.count, 3)
        XCTAssertThrowsError(try small.problems(split: .train, count: 40, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("solvable ones exist"), "\(error)")
        }
        XCTAssertThrowsError(try small.problems(split: .test, count: 1, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("no test targets"), "\(error)")
        }
        XCTAssertThrowsError(try CountdownTask(config: CountdownConfig(numberCounts: 1...4)))
        XCTAssertThrowsError(try CountdownTask(config: CountdownConfig(heldOutTargetShare: 1)))
        XCTAssertThrowsError(try CountdownTask(config: CountdownConfig(targetRange: 5...5, heldOutTargetShare: 0.5))
            .problems(split: .train, count: 1, seed: 1))
    }

    func testJSONLLoadingAndErrorsNameFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-countdown-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let good = dir.appendingPathComponent("good.jsonl")
        try "{\"numbers\": [3, 5, 7, 2], \"target\": 24}\n\n{\"numbers\": [1, 1, 1], \"target\": 100, \"id\": \"hard\"}\r\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let loaded = try CountdownTask.loadJSONL(good, split: .test)
        XCTAssertEqual(loaded.map(\.id), ["countdown:3,5,7,2=24", "hard"])
        XCTAssertEqual(loaded[1].difficulty.bin, "n3-unsolvable")
        // Integral numbers in fraction or exponent form are integers, as Python's int(3.0) would have them.
        let spelled = dir.appendingPathComponent("spelled.jsonl")
        try "{\"numbers\": [3.0, 1e1], \"target\": 13}\n".write(to: spelled, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CountdownTask.loadJSONL(spelled, split: .test).first?.content, .countdown(numbers: [3, 10], target: 13))
        let task = CountdownTask(problems: loaded)
        XCTAssertNil(try task.referenceCompletion(for: loaded[1], startsInsideThink: true))
        XCTAssertEqual(try task.problems(split: .test, count: nil, seed: 0).count, 2)
        XCTAssertEqual(try task.problems(split: .test, count: 1, seed: 0).map(\.id), ["countdown:3,5,7,2=24"])
        XCTAssertThrowsError(try task.problems(split: .test, count: 3, seed: 0)) {
            XCTAssertTrue("\($0)".contains("asked for 3 countdown test problems but only 2 were loaded"), "\($0)")
        }

        let cases: [(String, String)] = [
            ("{\"numbers\": [3, 5], \"target\": 8}\n{\"numbers\": [3, 5]}\n", ":2: missing field \"target\""),
            ("{\"numbers\": [3, 5], \"target\": 8}\n{\"numbers\": [3, 5], \"target\": 8\n", ":2: not valid JSON"),
            ("{\"numbers\": \"3 5\", \"target\": 8}\n", ":1: expected field \"numbers\" to be an array of integers, found a string"),
            ("{\"numbers\": [3, 5.5], \"target\": 8}\n",
             ":1: expected field \"numbers\" to be an array of integers, but element 2 is a non-integer number (5.5)"),
            ("{\"numbers\": [3, 5], \"target\": 8, \"target\": 9}\n", ":1: not valid JSON (duplicate key \"target\" at byte 33)"),
            ("{\"numbers\": [3, 5], \"target\": 8,}\n", ":1: not valid JSON (expected a string key at byte 32)"),
            ("[3, 5]\n", ":1: expected a JSON object"),
            ("{\"numbers\": [3], \"target\": 3}\n", ":1: \"numbers\" has 1 entries"),
            ("{\"numbers\": [3, 5], \"target\": 8, \"id\": \"a\"}\n{\"numbers\": [3, 4], \"target\": 7, \"id\": \"a\"}\n",
             ":2: id \"a\" already used on line 1"),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let url = dir.appendingPathComponent("bad\(index).jsonl")
            try text.write(to: url, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try CountdownTask.loadJSONL(url, split: .train)) { error in
                XCTAssertTrue("\(error)".contains(url.path + expected), "\(error) should contain \(expected)")
            }
        }
        XCTAssertThrowsError(try CountdownTask.loadJSONL(dir.appendingPathComponent("missing.jsonl"), split: .train)) {
            XCTAssertTrue("\($0)".contains("missing.jsonl"))
        }
    }
}
