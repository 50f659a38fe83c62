import Foundation
import XCTest
import Ponder

/// Runs the built `ponder` binary in a scratch folder, and the fixtures those runs use.
class CLITestCase: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Outcome {
        let status: Int32
        let killed: Bool
        let stdout: String
        let stderr: String

        /// The last line of stdout (where `ponder run` prints the run folder).
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    /// A fresh working folder, removed after the test.
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let folder = work
        addTeardownBlock { if let folder { try? FileManager.default.removeItem(at: folder) } }
    }

    /// The `ponder` executable that `swift build` puts next to the test bundle.
    func ponderURL() throws -> URL {
        let url = Bundle.main.bundleURL.appendingPathComponent("ponder")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            XCTFail("\(url.path) is missing; build the ponder product before running these tests")
            throw XCTSkip("no ponder binary")
        }
        return url
    }

    /// A `ponder` process in the working folder, started but not waited for; output goes to files.
    func start(_ arguments: [String], log name: String = UUID().uuidString) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = try ponderURL()
        process.arguments = arguments
        process.currentDirectoryURL = work
        let out = work.appendingPathComponent("\(name).out"), err = work.appendingPathComponent("\(name).err")
        guard FileManager.default.createFile(atPath: out.path, contents: nil),
              FileManager.default.createFile(atPath: err.path, contents: nil) else {
            throw XCTSkip("cannot create log files in \(work.path)")
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    /// Runs `ponder arguments` to the end.
    @discardableResult
    func ponder(_ arguments: [String]) throws -> Outcome {
        let (process, out, err) = try start(arguments)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
                       stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// Runs `ponder arguments` and requires success.
    func succeed(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let outcome = try ponder(arguments)
        XCTAssertEqual(outcome.status, 0, "ponder \(arguments.joined(separator: " ")): \(outcome.stderr)", file: file, line: line)
        return outcome
    }

    /// A copy of a fixture checkpoint with a small random linear value head beside it, so that
    /// every strategy can run.
    func modelWithValueHead(_ fixture: String = "qwen2-gqa-bias") throws -> URL {
        let source = Self.repository.appendingPathComponent("Tests/Fixtures/models/\(fixture)")
        let target = work.appendingPathComponent("model")
        try FileManager.default.copyItem(at: source, to: target)
        let hidden = try ModelConfig.load(path: target.appendingPathComponent("config.json").path).hiddenSize
        var rng = SeededRNG(seed: 11)
        var writer = SafeTensorsWriter()
        try writer.add(LinearValueHead.weightName, shape: [1, hidden], values: (0..<hidden).map { _ in Float(rng.nextGaussian()) * 0.5 })
        try writer.add(LinearValueHead.biasName, shape: [1], values: [0])
        try writer.write(to: target.appendingPathComponent(ValueHeads.fileName).path)
        return target
    }

    /// Writes a config into the working folder.
    func config(_ yaml: String, name: String = "exp.yaml") throws -> String {
        try yaml.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return name
    }

    /// A CSV file's rows with the named columns removed (wall times differ between runs).
    func csv(_ url: URL, without dropped: Set<String>) throws -> [[String]] {
        let rows = CSV.parse(try String(contentsOf: url, encoding: .utf8))
        guard let header = rows.first else { return [] }
        let keep = header.indices.filter { !dropped.contains(header[$0]) }
        return rows.map { row in keep.map { $0 < row.count ? row[$0] : "" } }
    }

    /// The columns that hold wall-clock times.
    static let timeColumns: Set<String> = ["wall_seconds", "finished_at", "mean_seconds"]

    /// Trials stored so far in a run folder's database (0 before it exists).
    func storedTrials(in folder: URL) -> Int {
        let database = folder.appendingPathComponent(ResultsStore.fileName)
        guard FileManager.default.fileExists(atPath: database.path),
              let store = try? ResultsStore(url: database), let run = try? store.runs().last else { return 0 }
        return (try? store.trialCount(run: run.runID)) ?? 0
    }

    /// Waits until `condition` holds or `process` exits; false on timeout.
    func wait(for process: Process, timeout: Double = 120, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() || !process.isRunning { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }
}
