import Foundation
import XCTest
@testable import PonderModel

/// Asserts that two strings have the same UTF-8 bytes. `XCTAssertEqual` on `String` uses
/// canonical equivalence ("e\u{301}" == "\u{E9}"), which would hide a normalization bug.
func assertSameText(_ actual: @autoclosure () throws -> String, _ expected: String,
                    _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    do {
        let value = try actual()
        if !value.utf8.elementsEqual(expected.utf8) {
            XCTFail("\(value.debugDescription) is not byte-equal to \(expected.debugDescription) \(message)",
                    file: file, line: line)
        }
    } catch {
        XCTFail("threw \(error) \(message)", file: file, line: line)
    }
}

/// Locates the tokenizer fixtures (Tests/Fixtures/tokenizers, made by
/// make_tokenizer_fixtures.py) and reads their goldens.
enum TokenizerFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // PonderModelTests
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures/tokenizers")

    static func directory(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// Every fixture directory (one holding goldens.json), sorted.
    static func allDirectories() throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var directories: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent == "goldens.json" { directories.append(url.deletingLastPathComponent()) }
        }
        return directories.sorted { $0.path < $1.path }
    }

    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let idsNoSpecial: [Int]
        let decoded: String?
        let decodedSkipSpecial: String?

        var expectedDecoded: String { decoded ?? text }
        var expectedDecodedSkippingSpecial: String { decodedSkipSpecial ?? expectedDecoded }
    }

    struct DecodeCase: Decodable {
        let ids: [Int]
        let decoded: String
        let decodedSkipSpecial: String?
    }

    struct WithoutIgnoreMerges: Decodable {
        let text: String
        let idsNoSpecial: [Int]
    }

    struct Goldens: Decodable {
        let fixture: String
        let cases: [Case]
        let decodeCases: [DecodeCase]
        let withoutIgnoreMerges: [WithoutIgnoreMerges]?
    }

    static func goldens(in directory: URL) throws -> Goldens {
        let data = try Data(contentsOf: directory.appendingPathComponent("goldens.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Goldens.self, from: data)
    }

    static func load(_ name: String) throws -> Tokenizer {
        try Tokenizer.load(directory: directory(name))
    }

    /// A fresh temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Copies fixture `name`'s tokenizer.json into a temporary directory after `edit` has
    /// changed its JSON object; returns the directory.
    static func edited(_ name: String, test: XCTestCase,
                       _ edit: (inout [String: Any]) throws -> Void) throws -> URL {
        let source = directory(name).appendingPathComponent("tokenizer.json")
        guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: source))
                as? [String: Any] else {
            throw XCTSkip("fixture \(name) is not a JSON object")
        }
        try edit(&object)
        let target = try temporaryDirectory(test)
        let data = try JSONSerialization.data(withJSONObject: object)
        try data.write(to: target.appendingPathComponent("tokenizer.json"))
        return target
    }
}
