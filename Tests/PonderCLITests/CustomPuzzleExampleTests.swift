import Foundation
import XCTest
import Ponder

/// Examples/CustomPuzzle, as a new user would use it: their own executable (ten lines) runs a
/// YAML config naming their strategy and their task, end to end on the shipped tiny model.
final class CustomPuzzleExampleTests: CLITestCase {
    static let example = repository.appendingPathComponent("Examples/CustomPuzzle")

    /// The example's binary, built beside the test bundle (the test target depends on it).
    func exampleURL() throws -> URL {
        let url = Bundle.main.bundleURL.appendingPathComponent("ponder-example-custom-puzzle")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            XCTFail("\(url.path) is missing; build the ponder-example-custom-puzzle product first")
            throw XCTSkip("no example binary")
        }
        return url
    }

    func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try exampleURL()
        process.arguments = arguments
        process.currentDirectoryURL = work
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, killed: false,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testTheExampleRunsItsYAMLWithAUserStrategyAndAUserTask() throws {
        let config = Self.example.appendingPathComponent("custom-puzzle.yaml").path
        let model = Self.repository.appendingPathComponent("models/countdown-tiny").path
        let outcome = try run(["run", config, "--model", model, "--output", "out"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("digit-sum problems"), outcome.stderr)
        XCTAssertTrue(outcome.lastLine.hasPrefix("out/custom-puzzle-"), outcome.stdout)
        let folder = work.appendingPathComponent(outcome.lastLine)
        let curves = CSV.parse(try String(contentsOf: folder.appendingPathComponent("curves.csv"), encoding: .utf8))
        let strategies = Set(curves.dropFirst().compactMap { $0.first })
        XCTAssertEqual(strategies, ["greedy", "first-answer"], "\(curves)")
        XCTAssertEqual(storedTrials(in: folder), 3 * 2)
        let trials = CSV.parse(try String(contentsOf: folder.appendingPathComponent("trials.csv"), encoding: .utf8))
        let problemColumn = try XCTUnwrap(trials.first?.firstIndex(of: "problem_id"))
        XCTAssertTrue(trials.dropFirst().allSatisfy { $0[problemColumn].hasPrefix("digit-sum-") }, "\(trials)")

        // The same executable is all of `ponder`: the user task is listed and sampled too.
        let sample = try run(["tasks", "sample", "--task", "digit-sum", "--n", "1", "--style", "compact"])
        XCTAssertEqual(sample.status, 0, sample.stderr)
        XCTAssertTrue(sample.stdout.contains("accuracy 1.0"), "the reference solution scores: \(sample.stdout)")
        XCTAssertTrue(try run(["tasks", "list"]).stdout.contains("digit-sum: add up the digits"))
    }

    /// The measure the guides quote: a strategy in under 60 lines, a task in under 150.
    func testTheExampleStrategyAndTaskStaySmall() throws {
        func lines(_ name: String) throws -> Int {
            try String(contentsOf: Self.example.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).count - 1
        }
        XCTAssertLessThan(try lines("FirstAnswer.swift"), 60)
        XCTAssertLessThan(try lines("DigitSumTask.swift"), 150)
        XCTAssertLessThanOrEqual(try lines("main.swift"), 10)
    }
}
