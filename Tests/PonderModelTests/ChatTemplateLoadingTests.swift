import Foundation
import XCTest
@testable import PonderModel

/// Loading templates and special-token strings from checkpoint directories, and the ordered
/// JSON values templates receive.
final class ChatTemplateLoadingTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ponder-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func writeConfig(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        try data.write(to: directory.appendingPathComponent("tokenizer_config.json"))
    }

    func testLoadsAStringTemplateFromTokenizerConfig() throws {
        let source = try ChatTemplateFixtures.source("deepseek-r1-distill.jinja")
        try writeConfig([
            "chat_template": source,
            "bos_token": ["__type": "AddedToken", "content": ChatTemplateFixtures.r1BOS, "lstrip": false],
            "eos_token": ChatTemplateFixtures.r1EOS,
            "unk_token": NSNull(),
        ])
        let template = try XCTUnwrap(try ChatTemplate.load(directory: directory))
        XCTAssertEqual(Array(template.source.unicodeScalars), Array(source.unicodeScalars))
        XCTAssertEqual(template.family, .r1Distill)
        XCTAssertEqual(template.name, "tokenizer_config.json chat_template")

        let special = try TokenizerSpecialStrings.load(directory: directory)
        XCTAssertEqual(special, TokenizerSpecialStrings(bosToken: ChatTemplateFixtures.r1BOS, eosToken: ChatTemplateFixtures.r1EOS))
        let prompt = try template.render(messages: [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true, specialStrings: special)
        XCTAssertTrue(PythonText.hasPrefix(prompt, ChatTemplateFixtures.r1BOS + "<\u{FF5C}User\u{FF5C}>Hi"))
    }

    func testNamedTemplateListPicksDefault() throws {
        try writeConfig(["chat_template": [["name": "tool_use", "template": "T"], ["name": "default", "template": "D{{ 1 + 1 }}"]]])
        let template = try XCTUnwrap(try ChatTemplate.load(directory: directory))
        XCTAssertEqual(try template.render(variables: [:]), "D2")

        try writeConfig(["chat_template": [["name": "tool_use", "template": "T"]]])
        XCTAssertThrowsError(try ChatTemplate.load(directory: directory)) { error in
            guard case .config(_, let message)? = error as? ChatTemplateError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("tool_use") && message.contains("default"), message)
        }

        try writeConfig(["chat_template": 42])
        XCTAssertThrowsError(try ChatTemplate.load(directory: directory))
    }

    func testAbsentTemplateIsNilAndJinjaFileWins() throws {
        XCTAssertNil(try ChatTemplate.load(directory: directory), "no tokenizer_config.json")
        try writeConfig(["bos_token": "<s>"])
        XCTAssertNil(try ChatTemplate.load(directory: directory), "config without chat_template")

        try writeConfig(["chat_template": "from config"])
        try Data("from file\n".utf8).write(to: directory.appendingPathComponent("chat_template.jinja"))
        let template = try XCTUnwrap(try ChatTemplate.load(directory: directory))
        XCTAssertEqual(template.name, "chat_template.jinja")
        XCTAssertEqual(try template.render(variables: [:]), "from file", "jinja drops one trailing newline")
    }

    func testMalformedConfigIsAConfigError() throws {
        try Data("{\"chat_template\": \"x\",".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        XCTAssertThrowsError(try ChatTemplate.load(directory: directory)) { error in
            guard case .config(let file, let message)? = error as? ChatTemplateError else { return XCTFail("\(error)") }
            XCTAssertTrue(file.hasSuffix("tokenizer_config.json"))
            XCTAssertTrue(message.contains("invalid JSON"), message)
        }
        try writeConfig(["bos_token": 7])
        XCTAssertThrowsError(try TokenizerSpecialStrings.load(directory: directory))
    }

    func testSyntaxErrorInALoadedTemplateNamesTheConfig() throws {
        try writeConfig(["chat_template": "{% for m in messages %}"])
        XCTAssertThrowsError(try ChatTemplate.load(directory: directory)) { error in
            XCTAssertEqual((error as? ChatTemplateError)?.templateName, "tokenizer_config.json chat_template")
        }
    }

    func testJSONKeepsMemberOrderAndPythonEscapes() throws {
        let json = #"{"z": 1, "a": [1.5, -0.0, 1e400, true, null], "s": "\u00e9\ud83d\ude00\n", "z": 2}"#
        let value = try TemplateValue(json: Data(json.utf8))
        XCTAssertEqual(value.objectMembers?.map(\.key), ["z", "a", "s"])
        XCTAssertEqual(value["z"], .int(2), "a repeated key keeps its first position and its last value, as in Python")
        XCTAssertEqual(value["s"], .string("\u{e9}\u{1F600}\n"))
        let template = try ChatTemplate(source: "{{ v | tojson }}|{{ v | tojson(ensure_ascii=true, sort_keys=true) }}")
        XCTAssertEqual(try template.render(variables: ["v": value]),
                       #"{"z": 2, "a": [1.5, -0.0, Infinity, true, null], "s": "é😀\n"}|"#
                       + #"{"a": [1.5, -0.0, Infinity, true, null], "s": "\u00e9\ud83d\ude00\n", "z": 2}"#)
        XCTAssertThrowsError(try TemplateValue(json: Data(#"{"a": "\ud800"}"#.utf8)))
        XCTAssertThrowsError(try TemplateValue(json: Data("[1, 2".utf8)))
    }

    /// Python's `json.loads` quirks: `NaN`/`Infinity`, `int` versus `float` by the literal,
    /// no leading zeros; a byte-order mark (hand-edited configs) is tolerated.
    func testJSONReadsNumbersAsPythonDoes() throws {
        let value = try TemplateValue(json: Data("\u{FEFF}[NaN, -Infinity, 7, 7.0, -0, 1e2, 12345678901234567890]".utf8))
        guard case .array(let items) = value, items.count == 7 else { return XCTFail("\(value)") }
        guard case .double(let nan) = items[0], nan.isNaN else { return XCTFail("\(items[0])") }
        XCTAssertEqual(Array(items[1...]), [.double(-.infinity), .int(7), .double(7), .int(0), .double(100),
                                            .double(1.2345678901234567e19)])
        XCTAssertThrowsError(try TemplateValue(json: Data("[01]".utf8)))
        XCTAssertThrowsError(try TemplateValue(json: Data("[1,]".utf8))) { error in
            guard case .config(let file, let message)? = error as? ChatTemplateError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "JSON")
            XCTAssertEqual(message, "invalid JSON at byte 3: expected a value")
        }
    }

    func testLiteralsBuildOrderedValues() throws {
        let tool: TemplateValue = ["type": "function", "function": ["name": "add", "parameters": ["b": 1, "a": 2.5]]]
        let template = try ChatTemplate(source: "{{ t | tojson }}")
        XCTAssertEqual(try template.render(variables: ["t": tool]),
                       #"{"type": "function", "function": {"name": "add", "parameters": {"b": 1, "a": 2.5}}}"#)
    }
}
