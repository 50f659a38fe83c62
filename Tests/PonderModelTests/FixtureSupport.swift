import Foundation
import XCTest
@testable import PonderModel

/// Locations of committed fixtures, found relative to this file (no SwiftPM resources).
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let modelsDirectory = testsDirectory.appendingPathComponent("Fixtures/models")

    /// The four parity models.
    static let modelNames = ["qwen2-gqa-bias", "llama-rope-llama3", "qwen2-tied-bf16", "llama-sharded"]

    static func modelPath(_ name: String) -> String {
        modelsDirectory.appendingPathComponent(name).path
    }

    /// The reference outputs stored beside a fixture model.
    struct Expected: Decodable {
        struct LogitsRow: Decodable {
            let prompt: Int
            let position: Int
            let values: [Float]
        }
        struct Greedy: Decodable {
            let prompt: Int
            let tokens: [Int]
            let logprobs: [Float]
        }
        let prompts: [[Int]]
        let logits: [LogitsRow]
        let greedy: Greedy
        let hidden: [Float]
        let invFreq: [Float]
        let validVocab: Int

        enum CodingKeys: String, CodingKey {
            case prompts, logits, greedy, hidden
            case invFreq = "inv_freq"
            case validVocab = "valid_vocab"
        }
    }

    static func expected(_ name: String) throws -> Expected {
        let url = modelsDirectory.appendingPathComponent(name).appendingPathComponent("expected.json")
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }
}

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "ponder-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// The largest absolute difference between two equally long sequences.
func maxAbsDifference<A: Collection, B: Collection>(_ a: A, _ b: B) -> Float
where A.Element == Float, B.Element == Float {
    precondition(a.count == b.count, "sequences must have equal length")
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
    return worst
}

/// Asserts that `body` throws an error of type `E` for which `matches` holds, and returns it.
@discardableResult
func assertThrows<E: Error, T>(_ errorType: E.Type, _ body: @autoclosure () throws -> T,
                               file: StaticString = #filePath, line: UInt = #line,
                               _ matches: (E) -> Bool = { _ in true }) -> E? {
    do {
        _ = try body()
        XCTFail("expected \(E.self) but nothing was thrown", file: file, line: line)
    } catch let error as E {
        XCTAssertTrue(matches(error), "unexpected \(E.self): \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected \(E.self) but got \(Swift.type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}
