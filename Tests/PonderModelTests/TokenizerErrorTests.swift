import Foundation
import XCTest
@testable import PonderModel

/// Bad input fails loudly with a typed error that names the file (and the component).
final class TokenizerErrorTests: XCTestCase {
    /// Loads fixture `name` after `edit`, expecting an error; returns it and the file path.
    private func loadError(_ name: String = "qwen2-style",
                           _ edit: (inout [String: Any]) -> Void) throws -> (TokenizerError, String) {
        let directory = try TokenizerFixtures.edited(name, test: self) { edit(&$0) }
        let file = directory.appendingPathComponent("tokenizer.json").path
        do {
            _ = try Tokenizer(tokenizerFile: URL(fileURLWithPath: file), configFile: nil)
        } catch let error as TokenizerError {
            XCTAssertTrue(error.description.contains(file), "message must name the file: \(error)")
            return (error, file)
        }
        XCTFail("loading should have failed")
        return (.fileNotFound(file: ""), file)
    }

    private func unsupported(_ edit: (inout [String: Any]) -> Void, component: String,
                             line: UInt = #line) throws {
        let (error, file) = try loadError("qwen2-style", edit)
        guard case .unsupported(let errorFile, let errorComponent, _) = error else {
            return XCTFail("expected unsupported, got \(error)", line: line)
        }
        XCTAssertEqual(errorFile, file, line: line)
        XCTAssertEqual(errorComponent, component, line: line)
    }

    private func setModel(_ object: inout [String: Any], _ key: String, _ value: Any) {
        var model = object["model"] as? [String: Any] ?? [:]
        model[key] = value
        object["model"] = model
    }

    func testMissingFilesNameThePath() throws {
        let directory = try TokenizerFixtures.temporaryDirectory(self)
        XCTAssertThrowsError(try Tokenizer.load(directory: directory)) { error in
            XCTAssertEqual(error as? TokenizerError,
                           .fileNotFound(file: directory.appendingPathComponent("tokenizer.json").path))
        }
        let config = directory.appendingPathComponent("tokenizer_config.json")
        XCTAssertThrowsError(try Tokenizer(
            tokenizerFile: TokenizerFixtures.directory("qwen2-style").appendingPathComponent("tokenizer.json"),
            configFile: config)) { error in
            XCTAssertEqual(error as? TokenizerError, .fileNotFound(file: config.path))
            XCTAssertTrue("\(error)".contains("tokenizer_config.json"))
        }
    }

    func testMalformedJSON() throws {
        let directory = try TokenizerFixtures.temporaryDirectory(self)
        let file = directory.appendingPathComponent("tokenizer.json")
        let original = try Data(contentsOf: TokenizerFixtures.directory("qwen2-style")
            .appendingPathComponent("tokenizer.json"))
        for broken in [original.prefix(original.count / 2), Data("{\"model\": [}".utf8), Data()] {
            try broken.write(to: file)
            XCTAssertThrowsError(try Tokenizer.load(directory: directory)) { error in
                guard case .malformedJSON(let errorFile, _, _) = error as? TokenizerError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(errorFile, file.path)
            }
        }
        // Valid JSON, wrong shape.
        try Data("[1, 2]".utf8).write(to: file)
        XCTAssertThrowsError(try Tokenizer.load(directory: directory))
        try Data("{\"version\": \"1.0\"}".utf8).write(to: file)
        XCTAssertThrowsError(try Tokenizer.load(directory: directory)) { error in
            XCTAssertEqual(error as? TokenizerError, .missingField(file: file.path, field: "model"))
        }
    }

    func testUnsupportedComponentsAreRejected() throws {
        try unsupported({ $0["normalizer"] = ["type": "Lowercase"] }, component: "normalizer")
        try unsupported({ $0["normalizer"] = ["type": "Sequence", "normalizers": [
            ["type": "NFC"], ["type": "Replace", "pattern": ["String": " "], "content": "▁"]]] },
            component: "normalizer.normalizers[1]")
        try unsupported({ $0["pre_tokenizer"] = ["type": "Whitespace"] }, component: "pre_tokenizer")
        try unsupported({ $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
            ["type": "ByteLevel"], ["type": "Metaspace", "replacement": "▁"]]] },
            component: "pre_tokenizer.pretokenizers[1]")
        try unsupported({ $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "\\s"],
                                                  "behavior": "Exploded", "invert": false] },
                        component: "pre_tokenizer.behavior")
        try unsupported({ $0["post_processor"] = ["type": "BertProcessing"] }, component: "post_processor")
        try unsupported({ $0["decoder"] = ["type": "Metaspace"] }, component: "decoder")
        try unsupported({ $0["decoder"] = NSNull() }, component: "decoder")
        try unsupported({ $0["truncation"] = ["max_length": 512] }, component: "truncation")
        try unsupported({ self.setModel(&$0, "type", "WordPiece") }, component: "model")
        try unsupported({ self.setModel(&$0, "byte_fallback", true) }, component: "model.byte_fallback")
        try unsupported({ self.setModel(&$0, "dropout", 0.1) }, component: "model.dropout")
        try unsupported({ self.setModel(&$0, "continuing_subword_prefix", "##") },
                        component: "model.continuing_subword_prefix")
    }

    func testInvalidModelContents() throws {
        let (badRegex, file) = try loadError { $0["pre_tokenizer"] = [
            "type": "Split", "pattern": ["Regex": "(unclosed"], "behavior": "Isolated", "invert": false] }
        guard case .invalidRegex(let regexFile, let pattern, _) = badRegex else {
            return XCTFail("\(badRegex)")
        }
        XCTAssertEqual(regexFile, file)
        XCTAssertEqual(pattern, "(unclosed")

        let (badMerge, _) = try loadError { object in
            let merges = (object["model"] as? [String: Any])?["merges"] as? [[String]] ?? []
            self.setModel(&object, "merges", merges + [["Ġ", "notatoken"]])
        }
        guard case .mergeTokenNotInVocabulary(_, _, let token) = badMerge else { return XCTFail("\(badMerge)") }
        XCTAssertEqual(token, "notatoken")

        let (badLegacy, _) = try loadError("gpt2-style") { object in
            let merges = (object["model"] as? [String: Any])?["merges"] as? [String] ?? []
            self.setModel(&object, "merges", merges + ["a b c"])
        }
        guard case .invalidField(_, let field, _) = badLegacy else { return XCTFail("\(badLegacy)") }
        XCTAssertTrue(field.hasPrefix("model.merges["))

        let (badVocab, _) = try loadError { object in
            var vocab = (object["model"] as? [String: Any])?["vocab"] as? [String: Any] ?? [:]
            vocab["x"] = "seven"
            self.setModel(&object, "vocab", vocab)
        }
        guard case .malformedJSON = badVocab else { return XCTFail("\(badVocab)") }

        let (duplicateId, _) = try loadError { object in
            var vocab = (object["model"] as? [String: Any])?["vocab"] as? [String: Any] ?? [:]
            vocab["zzz-not-a-token"] = 5
            self.setModel(&object, "vocab", vocab)
            object["added_tokens"] = []  // their ids would no longer follow the vocabulary
        }
        guard case .invalidField(_, "model.vocab", _) = duplicateId else { return XCTFail("\(duplicateId)") }

        let (badUnk, _) = try loadError { self.setModel(&$0, "unk_token", "<unk>") }
        guard case .tokenNotInVocabulary(_, let unkField, let content) = badUnk else {
            return XCTFail("\(badUnk)")
        }
        XCTAssertEqual(unkField, "model.unk_token")
        XCTAssertEqual(content, "<unk>")
    }

    /// An added token whose id disagrees with the one tokenizers would assign.
    func testAddedTokenIdMismatch() throws {
        let (error, file) = try loadError { object in
            var tokens = object["added_tokens"] as? [[String: Any]] ?? []
            tokens[0]["id"] = 5000
            object["added_tokens"] = tokens
        }
        XCTAssertEqual(error, .addedTokenIdMismatch(file: file, content: "<|endoftext|>",
                                                    declared: 5000, expected: 1000))
    }

    func testDecodeRejectsUnknownIds() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        let file = TokenizerFixtures.directory("qwen2-style").appendingPathComponent("tokenizer.json").path
        for id in [-1, tokenizer.count, 1 << 40] {
            XCTAssertThrowsError(try tokenizer.decode([1, id])) { error in
                XCTAssertEqual(error as? TokenizerError, .unknownTokenId(id, file: file))
                XCTAssertTrue("\(error)".contains(file))
            }
        }
    }

    func testConfigNamingAMissingTokenIsAnError() throws {
        let directory = try TokenizerFixtures.temporaryDirectory(self)
        try FileManager.default.copyItem(
            at: TokenizerFixtures.directory("qwen2-style").appendingPathComponent("tokenizer.json"),
            to: directory.appendingPathComponent("tokenizer.json"))
        let config = directory.appendingPathComponent("tokenizer_config.json")
        try Data(#"{"eos_token": {"content": "<|nope|>"}}"#.utf8).write(to: config)
        XCTAssertThrowsError(try Tokenizer.load(directory: directory)) { error in
            XCTAssertEqual(error as? TokenizerError,
                           .tokenNotInVocabulary(file: config.path, field: "eos_token", content: "<|nope|>"))
        }
        try Data(#"{"add_bos_token": "yes"}"#.utf8).write(to: config)
        XCTAssertThrowsError(try Tokenizer.load(directory: directory)) { error in
            XCTAssertEqual(error as? TokenizerError, .invalidField(file: config.path, field: "add_bos_token",
                                                                   reason: "must be true or false"))
        }
    }
}
