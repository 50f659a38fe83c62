import Foundation
import XCTest
@testable import PonderLab
import PonderTasks

/// Task options in the run id: defaults written out change nothing, a JSONL file counts by
/// its bytes and not its path, and options are checked by the task's descriptor.
final class TaskIdentityTests: XCTestCase {
    private func load(_ task: String, in folder: URL, tasks: TaskRegistry = .builtIn) throws -> ExperimentConfig {
        let url = folder.appendingPathComponent("exp-\(UUID().uuidString).yaml")
        try """
            name: ids
            task: \(task)
            strategies: [{name: greedy}]
            budgets: [{kind: tokens, values: [8]}]
            """.write(to: url, atomically: true, encoding: .utf8)
        let context = ValidationContext(strategies: testCatalog, tasks: TaskRegistryCatalog(tasks, workingDirectory: folder),
                                        workingDirectory: folder, requireModelDirectory: false)
        return try ExperimentConfig.load(url, context: context)
    }

    private func runID(_ config: ExperimentConfig) -> String { config.runID(modelVersion: "m", codeVersion: "c") }

    func testWritingATaskDefaultOutKeepsTheRunID() throws {
        let folder = try makeTemporaryDirectory(self)
        let bare = try load("{name: countdown, problems: 2}", in: folder)
        let spelled = try load("{name: countdown, problems: 2, options: {numbers: [3, 4], held_out_share: 0.1, style: compact}}", in: folder)
        XCTAssertEqual(runID(bare), runID(spelled))
        XCTAssertEqual(bare.task.options, [:], "the selection keeps the options as written")
        let options = bare.normalized.mapValue?["task"]?.mapValue?["options"]?.mapValue
        XCTAssertEqual(options?["numbers"], .list([.int(3), .int(4)]), "defaults are in the hashed tree")
        XCTAssertEqual(runID(try load("{name: countdown, problems: 2, options: {numbers: 3}}", in: folder)),
                       runID(try load("{name: countdown, problems: 2, options: {numbers: [3, 3]}}", in: folder)),
                       "one spelling per value")
        XCTAssertNotEqual(runID(bare), runID(try load("{name: countdown, problems: 2, options: {numbers: 4}}", in: folder)))
    }

    func testAJSONLFileEntersTheRunIDByContent() throws {
        let folder = try makeTemporaryDirectory(self)
        let lines = "{\"question\": \"2+2?\", \"answer\": \"#### 4\"}" + "\n"
        for name in ["a.jsonl", "b.jsonl"] {
            try lines.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let a = try load("{name: gsm8k, problems: 1, options: {file: a.jsonl}}", in: folder)
        let b = try load("{name: gsm8k, problems: 1, options: {file: \(folder.appendingPathComponent("b.jsonl").path)}}", in: folder)
        XCTAssertEqual(runID(a), runID(b), "same bytes, other path: same run")
        let hashed = a.normalized.mapValue?["task"]?.mapValue?["options"]?.mapValue?["file"]?.stringValue
        XCTAssertEqual(hashed, "sha256:" + SHA256.hex(lines))
        XCTAssertEqual(a.task.options["file"], .string("a.jsonl"), "the task still loads from the path")
        try (lines + "{\"question\": \"3+3?\", \"answer\": \"#### 6\"}" + "\n")
            .write(to: folder.appendingPathComponent("b.jsonl"), atomically: true, encoding: .utf8)
        XCTAssertNotEqual(runID(a), runID(try load("{name: gsm8k, problems: 1, options: {file: b.jsonl}}", in: folder)),
                          "an edited dataset is another run")
    }

    func testBadTaskOptionsAreConfigIssuesWithTheirKeys() throws {
        let folder = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try load("{name: countdown, options: {numbers: 9, number_rnage: [1, 9]}}", in: folder)) { error in
            let keys = (error as? ExperimentConfigError)?.issues.map(\.keyPath) ?? []
            XCTAssertEqual(keys.sorted(), ["task.options.number_rnage", "task.options.numbers"], "\(error)")
            XCTAssertTrue("\(error)".contains("number_range"), "did you mean: \(error)")
        }
    }

    func testAUserTaskValidatesAndEntersTheRunIDLikeABuiltIn() throws {
        let folder = try makeTemporaryDirectory(self)
        let toy = TaskDescriptor(name: "toy", summary: "a task from outside", options: [
            .int("size", 1...9, default: 3, "how big"),
        ]) { _ in try CountdownTask() }
        let tasks = try TaskRegistry.builtIn(adding: [toy])
        XCTAssertEqual(runID(try load("{name: toy, problems: 1}", in: folder, tasks: tasks)),
                       runID(try load("{name: toy, problems: 1, options: {size: 3}}", in: folder, tasks: tasks)))
        XCTAssertThrowsError(try load("{name: toy, options: {size: 10}}", in: folder, tasks: tasks))
        XCTAssertThrowsError(try load("{name: toy}", in: folder), "unknown without the registration")
    }
}
