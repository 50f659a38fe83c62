import Foundation
import XCTest
@testable import PonderModel

/// Runs the built `ponder` binary as a subprocess: good input gives the reference output, bad
/// input gives a clear message on stderr and a non-zero exit — never a crash.
final class CommandLineTests: XCTestCase {
    struct Outcome {
        let status: Int32
        let crashed: Bool
        let stdout: String
        let stderr: String
    }

    /// The `ponder` executable that `swift build` / `swift test` put next to the test bundle.
    func ponderURL() throws -> URL {
        let url = Bundle.main.bundleURL.appendingPathComponent("ponder")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            XCTFail("\(url.path) is missing; build the ponder product (swift build) before running these tests")
            throw XCTSkip("no ponder binary")
        }
        return url
    }

    func ponder(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = try ponderURL()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Asserts a clean failure whose stderr contains every fragment.
    func assertFails(_ arguments: [String], mentioning fragments: [String], status: Int32 = 1,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try ponder(arguments)
        XCTAssertFalse(outcome.crashed, "ponder crashed: \(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(outcome.status, status, outcome.stderr, file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(outcome.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(outcome.stderr)", file: file, line: line)
        }
    }

    /// A copy of a fixture model in a temporary directory, for breaking.
    func copyOfFixture(_ name: String) throws -> String {
        let dir = try makeTemporaryDirectory(self) + "/" + name
        try FileManager.default.copyItem(atPath: Fixtures.modelPath(name), toPath: dir)
        return dir
    }

    func testGenerateJSONMatchesTheReferenceGreedyContinuation() throws {
        let expected = try Fixtures.expected("qwen2-gqa-bias")
        let prompt = expected.prompts[1].map(String.init).joined(separator: ",")
        let outcome = try ponder(["generate", "--model", Fixtures.modelPath("qwen2-gqa-bias"), "--prompt-tokens", prompt,
                                  "--max-new-tokens", "8", "--temperature", "0", "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "--json prints exactly one object")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["prompt_tokens"] as? [Int], expected.prompts[1])
        XCTAssertEqual(object["tokens"] as? [Int], Array(expected.greedy.tokens.prefix(8)))
        let logprobs = try XCTUnwrap(object["logprobs"] as? [Double]).map(Float.init)
        XCTAssertLessThan(maxAbsDifference(logprobs, expected.greedy.logprobs.prefix(8)), 1e-4)
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: Fixtures.modelPath("qwen2-gqa-bias")))
        XCTAssertEqual(object["text"] as? String,
                       try tokenizer.decode(Array(expected.greedy.tokens.prefix(8)), skipSpecialTokens: true))
        XCTAssertEqual(object["stop_reason"] as? String, "max_tokens")
    }

    func testTextPromptsAreEncodedWithTheCheckpointsTokenizerAndChatTemplate() throws {
        let model = Fixtures.modelPath("qwen2-gqa-bias")
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: model))
        func promptTokens(_ extra: [String]) throws -> [Int] {
            let outcome = try ponder(["generate", "--model", model, "--max-new-tokens", "2", "--temperature", "0", "--json"] + extra)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            return try XCTUnwrap(object["prompt_tokens"] as? [Int])
        }
        XCTAssertEqual(try promptTokens(["--prompt", "Hello world"]), try tokenizer.encode("Hello world"))
        let rendered = "<|im_start|>user\nHello world<|im_end|>\n<|im_start|>assistant\n"
        XCTAssertEqual(try promptTokens(["--prompt", "Hello world", "--chat"]),
                       try tokenizer.encode(rendered, addSpecialTokens: false))
    }

    func testSeededSamplingIsReproducibleAcrossRuns() throws {
        let arguments = ["generate", "--model", Fixtures.modelPath("llama-sharded"), "--prompt-tokens", "4,5,6",
                         "--max-new-tokens", "6", "--temperature", "0.9", "--top-p", "0.9", "--seed", "42", "--json"]
        let first = try ponder(arguments), second = try ponder(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
    }

    func testInspectDescribesTheCheckpoint() throws {
        let outcome = try ponder(["inspect", Fixtures.modelPath("qwen2-tied-bf16")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        for fragment in ["architecture:    qwen2", "parameters:      55,696", "BF16 × 26", "context length:  256",
                         "eos token ids:   0, 2", "bos token id:    1", "tied embeddings"] {
            XCTAssertTrue(outcome.stdout.contains(fragment), "missing \"\(fragment)\" in:\n\(outcome.stdout)")
        }
        let sharded = try ponder(["inspect", Fixtures.modelPath("llama-sharded")])
        XCTAssertTrue(sharded.stdout.contains("model-00001-of-00002.safetensors, model-00002-of-00002.safetensors"))
    }

    func testMissingDirectoryAndMissingFiles() throws {
        try assertFails(["generate", "--model", "/nonexistent/model", "--prompt-tokens", "1"],
                        mentioning: ["/nonexistent/model", "not a directory"])
        let empty = try makeTemporaryDirectory(self)
        try assertFails(["inspect", empty], mentioning: ["config.json"])
        let noWeights = try copyOfFixture("qwen2-gqa-bias")
        try FileManager.default.removeItem(atPath: noWeights + "/model.safetensors")
        try assertFails(["inspect", noWeights], mentioning: ["no model.safetensors"])
    }

    func testTruncatedAndCorruptSafetensors() throws {
        let truncated = try copyOfFixture("qwen2-gqa-bias")
        let path = truncated + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        try assertFails(["generate", "--model", truncated, "--prompt-tokens", "1"], mentioning: [path, "truncated"])

        let corrupt = try copyOfFixture("llama-sharded")
        let shard = corrupt + "/model-00002-of-00002.safetensors"
        var garbage = try Data(contentsOf: URL(fileURLWithPath: shard))
        garbage.replaceSubrange(8..<16, with: Data(repeating: 0xFF, count: 8))
        try garbage.write(to: URL(fileURLWithPath: shard))
        try assertFails(["generate", "--model", corrupt, "--prompt-tokens", "1"], mentioning: [shard])
        try assertFails(["inspect", corrupt], mentioning: [shard])
    }

    func testShapeThatDisagreesWithConfig() throws {
        let dir = try copyOfFixture("qwen2-gqa-bias")
        let configPath = dir + "/config.json"
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
            .replacingOccurrences(of: "\"intermediate_size\": 64", with: "\"intermediate_size\": 80")
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
        try assertFails(["generate", "--model", dir, "--prompt-tokens", "1"],
                        mentioning: ["model.layers.0.mlp.gate_proj.weight", "[64, 32]", "[80, 32]", "config.json"])
    }

    func testUnsupportedArchitectureAndRope() throws {
        let dir = try copyOfFixture("llama-rope-llama3")
        let configPath = dir + "/config.json"
        let original = try String(contentsOfFile: configPath, encoding: .utf8)
        try original.replacingOccurrences(of: "\"model_type\": \"llama\"", with: "\"model_type\": \"gpt_neox\"")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        try assertFails(["generate", "--model", dir, "--prompt-tokens", "1"], mentioning: ["model_type", "gpt_neox", "config.json"])
        try original.replacingOccurrences(of: "\"rope_type\": \"llama3\"", with: "\"rope_type\": \"yarn\"")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        try assertFails(["inspect", dir], mentioning: ["rope_scaling.rope_type", "yarn"])
    }

    func testBadFlags() throws {
        let model = Fixtures.modelPath("qwen2-gqa-bias")
        try assertFails(["generate", "--model", model, "--prompt", "hello", "--prompt-tokens", "1"],
                        mentioning: ["not both"], status: 64)
        try assertFails(["generate", "--model", model, "--prompt-tokens", "1", "--chat"], mentioning: ["--chat"], status: 64)
        let bare = try copyOfFixture("qwen2-gqa-bias")
        try FileManager.default.removeItem(atPath: bare + "/tokenizer.json")
        try assertFails(["generate", "--model", bare, "--prompt", "hello"], mentioning: ["no tokenizer.json", bare])
        try assertFails(["generate", "--model", model, "--prompt-tokens", "1,two"], mentioning: ["\"two\""], status: 64)
        try assertFails(["generate", "--model", model, "--prompt-tokens", "1, -2"], mentioning: ["\"-2\""], status: 64)
        try assertFails(["generate", "--model", model, "--prompt-tokens", ""], mentioning: ["--prompt-tokens is empty"], status: 64)
        try assertFails(["detokenize", "--model", model, "--ids", "5,,6"], mentioning: ["--ids", "\"\""], status: 64)
        try assertFails(["generate", "--model", model, "--prompt-tokens", "1", "--top-p", "1.5"], mentioning: ["--top-p"], status: 64)
        try assertFails(["generate", "--model", model, "--prompt-tokens", "999"], mentioning: ["token id 999"])
        try assertFails(["generate", "--model", model, "--prompt-tokens", "1", "--max-new-tokens", "1000"],
                        mentioning: ["context length"])
    }
}
