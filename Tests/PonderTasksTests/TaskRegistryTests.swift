import Foundation
import XCTest
@testable import PonderTasks

/// The task registry: built-in descriptors, typed options with ranges and defaults, and the
/// open payload a task outside the package stores its problems in.
final class TaskRegistryTests: XCTestCase {
    func testTheBuiltInsAreRegisteredAndEveryOptionHasHelp() throws {
        XCTAssertEqual(TaskRegistry.builtIn.names, ["countdown", "gsm8k", "math", "multiplication"])
        for name in TaskRegistry.builtIn.names {
            let descriptor = try TaskRegistry.builtIn.descriptor(named: name)
            XCTAssertEqual(descriptor.allOptions.first?.name, "style", "every task has a style option")
            XCTAssertTrue(descriptor.allOptions.allSatisfy { !$0.help.isEmpty }, name)
        }
        XCTAssertEqual(try TaskRegistry.builtIn.descriptor(named: "gsm8k").defaultStyle, "r1-zero")
        XCTAssertThrowsError(try TaskRegistry.builtIn.descriptor(named: "countdwn")) { error in
            XCTAssertEqual((error as? TaskOptionError)?.key, "name")
        }
        XCTAssertThrowsError(try TaskRegistry.builtIn(adding: [CountdownTask.descriptor])) { error in
            XCTAssertEqual(error as? TaskRegistryError, .duplicateTask(name: "countdown"))
        }
    }

    func testRegistryTasksMakeTheSameProblemsAndPromptsAsTheTasksThemselves() throws {
        let made = try TaskRegistry.builtIn.make("countdown", split: .test).task
        let direct = try CountdownTask(config: CountdownConfig())
        let a = try made.problems(split: .test, count: 8, seed: 3), b = try direct.problems(split: .test, count: 8, seed: 3)
        XCTAssertEqual(a, b, "defaults are CountdownConfig's, so problem ids do not move")
        XCTAssertEqual(try a.map { try made.prompt(for: $0, style: .compact).text },
                       try b.map { try direct.prompt(for: $0, style: .compact).text })
        let product = try TaskRegistry.builtIn.make("multiplication", split: .train).task
        XCTAssertEqual(try product.problems(split: .train, count: 5, seed: 1),
                       try MultiplicationTask().problems(split: .train, count: 5, seed: 1))
    }

    func testOptionsAreCanonicalizedRangeCheckedAndDefaulted() throws {
        let descriptor = CountdownTask.descriptor
        let options = try descriptor.options(["numbers": .int(4), "held_out_share": .int(0)], split: .train,
                                             workingDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(try options.range("numbers"), 4...4, "one count means [n, n]")
        XCTAssertEqual(try options.double("held_out_share"), 0, "an integer is accepted for a real option")
        XCTAssertEqual(try options.range("target_range"), 10...100, "defaults filled in")
        XCTAssertEqual(options.style, "compact")
        XCTAssertNil(options.file("file"), "an optional file without a default stays absent")
        XCTAssertEqual(descriptor.defaults["numbers"], .range(3...4))
        XCTAssertNil(descriptor.defaults["file"])

        let issues = descriptor.issues(["numbers": .int(9), "number_rnage": .range(1...9), "style": .string("fancy")],
                                       workingDirectory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(issues.map(\.key).sorted(), ["options.number_rnage", "options.numbers", "options.style"])
        XCTAssertTrue(issues.contains { $0.problem.contains("2 ≤ min ≤ max ≤ 5") }, "\(issues)")
        XCTAssertEqual(JSONLMathTask.descriptor(named: "math").issues([:], workingDirectory: URL(fileURLWithPath: "/")).map(\.key),
                       ["options.file"], "a required file")
        let missing = JSONLMathTask.descriptor(named: "math").issues(["file": .string("no/such.jsonl")],
                                                                     workingDirectory: URL(fileURLWithPath: "/tmp"))
        XCTAssertTrue(missing.first?.problem.contains("/tmp/no/such.jsonl") ?? false, "\(missing)")
    }

    func testACrossOptionRuleComesBackAtTheOptions() throws {
        // 0...0.99 passes the option's range; the generator then finds too few targets.
        XCTAssertThrowsError(try TaskRegistry.builtIn.make("countdown", options: ["target_range": .range(5...5),
                                                                                  "held_out_share": .double(0)], split: .test)
            .task.problems(split: .test, count: 1, seed: 0))
        XCTAssertThrowsError(try TaskRegistry.builtIn.make("multiplication", options: ["digits": .range(0...2)], split: .test)) { error in
            XCTAssertEqual((error as? TaskOptionError)?.key, "options.digits")
        }
    }

    struct Toy: Codable, Hashable { var values: [Int]; var label: String }

    func testAPayloadRoundTripsAndIsRefusedByOtherTasks() throws {
        let problem = try Problem(id: "toy-1", split: .test, difficulty: Difficulty(bin: "easy"),
                                  payload: Toy(values: [3, 1], label: "a/b"))
        XCTAssertEqual(try problem.payload(as: Toy.self, task: "toy"), Toy(values: [3, 1], label: "a/b"))
        guard case .custom(let payload) = problem.content else { return XCTFail("a custom payload") }
        XCTAssertEqual(payload.json, #"{"label":"a/b","values":[3,1]}"#, "canonical JSON, sorted keys")
        let copy = try JSONDecoder().decode(Problem.self, from: try JSONEncoder().encode(problem))
        XCTAssertEqual(copy, problem, "problems stay Codable")
        XCTAssertThrowsError(try problem.payload(as: [String].self, task: "other")) { error in
            XCTAssertEqual(error as? TaskError, .wrongProblemKind(task: "other", problemID: "toy-1"))
        }
        let countdown = try XCTUnwrap(try CountdownTask().problems(split: .test, count: 1, seed: 0).first)
        XCTAssertThrowsError(try countdown.payload(as: Toy.self, task: "toy"))
        XCTAssertEqual(CountdownTask.descriptor.name, "countdown")
    }
}
