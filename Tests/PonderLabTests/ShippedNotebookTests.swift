import Foundation
import XCTest
@testable import PonderLab
import PonderTrain

/// Every notebook under `notebooks-md/` parses, and every command in its ```` ```ponder ````
/// blocks names a known verb, files that exist and configs that validate — checked through the
/// notebook runner itself, with an executor that validates instead of running, so nothing is
/// computed. A notebook that would fail on its first block after an hour of other work fails
/// here in a second.
final class ShippedNotebookTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// What a notebook command may not do; thrown by the validating executor.
    struct BadCommand: Error, CustomStringConvertible {
        var description: String
    }

    /// The verbs `ponder` has (`ponder --help`); a typo in a notebook is caught here.
    static let verbs: Set<String> = [
        "run", "report", "merge", "notebook", "rejection-sample", "train", "generate", "inspect", "bench",
        "tokenize", "detokenize", "tasks",
    ]
    /// Options whose value is a repository file or folder that must exist.
    static let inputOptions: Set<String> = ["--model", "--config", "--evaluate", "--file"]
    /// Options whose value is written: notebooks keep their outputs in the git-ignored `runs/`.
    static let outputOptions: Set<String> = ["--output", "--out"]

    /// Checks one command as `ponder notebook run` would hand it over, without running it.
    static func validate(_ argv: [String]) throws -> String {
        let root = repository
        guard let verb = argv.first, verbs.contains(verb) else {
            throw BadCommand(description: "unknown verb in `\(argv.joined(separator: " "))`")
        }
        // Notebooks run from the repository root; a test may hand in an absolute path.
        func url(_ path: String) -> URL { path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path) }
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: url(path).path) }
        for (option, value) in zip(argv, argv.dropFirst()) {
            if inputOptions.contains(option), !exists(value) {
                throw BadCommand(description: "\(option) \(value): no such file or folder in the repository")
            }
            if outputOptions.contains(option), !value.hasPrefix("runs/") {
                throw BadCommand(description: "\(option) \(value): notebook outputs belong under runs/ (git-ignored)")
            }
        }
        switch verb {
        case "run":
            guard argv.count >= 2, exists(argv[1]) else {
                throw BadCommand(description: "`run` needs an existing config: \(argv.dropFirst().first ?? "none")")
            }
            _ = try ExperimentConfig.loadForRun(url(argv[1]), workingDirectory: root)
        case "train":
            guard let config = zip(argv, argv.dropFirst()).first(where: { $0.0 == "--config" })?.1 else { break }
            let path = url(config).path
            switch argv.dropFirst().first {
            case "rft": _ = try RFTConfig.load(path: path)
            case "sft": _ = try SFTConfig.load(path: path)
            default: break
            }
        default:
            break
        }
        return "validated\n"
    }

    func testEveryShippedNotebookParsesAndItsCommandsValidate() throws {
        let folder = Self.repository.appendingPathComponent("notebooks-md")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 4, "notebooks 01–04")
        let runner = NotebookRunner(executor: Self.validate)
        for file in files {
            let markdown = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let result = try runner.run(markdown: markdown, file: file)
            XCTAssertFalse(result.blocks.isEmpty, "\(file) has no ```ponder block")
            for block in result.blocks {
                if case .failed(let message) = block.status { XCTFail("\(file):\(block.line): \(message)") }
            }
            for heading in ["**Question.**", "**Set-up.**", "**Conclusion.**"] {
                XCTAssertTrue(markdown.contains(heading), "\(file) lacks \(heading)")
            }
        }
    }

    /// The validator is not a rubber stamp: a bad config key, a missing file, an output outside
    /// runs/ and an unknown verb are each refused.
    func testTheValidatorRefusesBrokenCommands() throws {
        let folder = try makeTemporaryDirectory(self)
        let bad = folder.appendingPathComponent("bad.yaml")
        try """
            extends: \(Self.repository.appendingPathComponent("experiments/ablations/base.yaml").path)
            name: bad
            seedz: [0]
            """.write(to: bad, atomically: true, encoding: .utf8)
        let runner = NotebookRunner(executor: Self.validate)
        for command in [
            "run \(bad.path) --output runs/x",
            "run experiments/ablations/missing.yaml",
            "run experiments/quickstart.yaml --output /tmp/elsewhere",
            "train value --model models/no-such-model",
            "trian rft --config experiments/train/countdown-rft.yaml",
        ] {
            let result = try runner.run(markdown: "```ponder\n\(command)\n```\n")
            XCTAssertTrue(result.failed, "accepted: \(command)")
        }
        XCTAssertFalse(try runner.run(markdown: "```ponder\nrun experiments/quickstart.yaml --output runs/x\n```\n").failed)
    }
}
