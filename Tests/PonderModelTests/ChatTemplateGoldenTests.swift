import Foundation
import XCTest
@testable import PonderModel

/// Replays every case of `Tests/Fixtures/chat-templates/goldens.json` (rendered by jinja2 as
/// transformers configures it) and asserts byte-exact equality.
final class ChatTemplateGoldenTests: XCTestCase {
    private var cases: [TemplateValue] = []
    private var templates: [String: ChatTemplate] = [:]

    override func setUpWithError() throws {
        cases = try XCTUnwrap(ChatTemplateFixtures.goldens()["cases"]?.arrayValue)
    }

    private func template(_ file: String) throws -> ChatTemplate {
        if let t = templates[file] { return t }
        let t = try ChatTemplateFixtures.template(file)
        templates[file] = t
        return t
    }

    private func cases(kind: String) -> [TemplateValue] {
        cases.filter { $0["kind"]?.stringValue == kind }
    }

    private func check(_ rendered: String, _ golden: TemplateValue, file: StaticString = #filePath, line: UInt = #line) throws {
        let id = golden["id"]?.stringValue ?? "?"
        let expected = try XCTUnwrap(golden["expected"]?.stringValue, "\(id) has no expected string")
        // Compare code points: Swift's == would accept canonically equivalent but different text.
        XCTAssertTrue(rendered.unicodeScalars.elementsEqual(expected.unicodeScalars),
                      "\(id): \(ChatTemplateFixtures.firstDifference(rendered, expected))", file: file, line: line)
    }

    /// Role/content conversations through the public `render(messages:...)` API.
    func testAPICasesMatchJinja2() throws {
        let api = cases(kind: "api")
        XCTAssertGreaterThanOrEqual(api.count, 90, "the goldens should cover every template × conversation")
        var seen = Set<String>()
        for golden in api {
            let id = golden["id"]?.stringValue ?? "?"
            let file = try XCTUnwrap(golden["template"]?.stringValue)
            seen.insert(file)
            let variables = try XCTUnwrap(golden["variables"])
            let messages = try XCTUnwrap(variables["messages"]?.arrayValue).map { m in
                ChatMessage(role: m["role"]?.stringValue ?? "", content: m["content"]?.stringValue ?? "")
            }
            var extra: [String: String] = [:]
            for member in golden["extra"]?.objectMembers ?? [] { extra[member.key] = member.value.stringValue }
            guard case .bool(let generationPrompt)? = variables["add_generation_prompt"] else { return XCTFail("\(id): no add_generation_prompt") }
            do {
                let rendered = try template(file).render(messages: messages, addGenerationPrompt: generationPrompt,
                                                         bosToken: variables["bos_token"]?.stringValue,
                                                         eosToken: variables["eos_token"]?.stringValue, extra: extra)
                try check(rendered, golden)
            } catch {
                XCTFail("\(id): \(error)")
            }
        }
        XCTAssertEqual(seen, ["deepseek-r1-distill.jinja", "llamacpp-deepseek-r1-distill-llama-8b.jinja", "qwen2.5-instruct.jinja",
                              "qwen2-instruct.jinja", "llama-3.1-instruct.jinja", "llama-3-instruct.jinja", "r1-zero.jinja"])
    }

    /// Tool definitions, tool calls and tool outputs through `render(variables:)`.
    func testRawCasesWithToolsMatchJinja2() throws {
        let raw = cases(kind: "raw")
        XCTAssertGreaterThanOrEqual(raw.count, 7)
        for golden in raw {
            let id = golden["id"]?.stringValue ?? "?"
            let file = try XCTUnwrap(golden["template"]?.stringValue)
            var variables: [String: TemplateValue] = [:]
            for member in golden["variables"]?.objectMembers ?? [] { variables[member.key] = member.value }
            do {
                try check(try template(file).render(variables: variables), golden)
            } catch {
                XCTFail("\(id): \(error)")
            }
        }
    }

    /// One small template per Jinja feature.
    func testFeatureCasesMatchJinja2() throws {
        let features = cases(kind: "feature")
        XCTAssertGreaterThanOrEqual(features.count, 40)
        for golden in features {
            let id = golden["id"]?.stringValue ?? "?"
            var variables: [String: TemplateValue] = [:]
            for member in golden["variables"]?.objectMembers ?? [] { variables[member.key] = member.value }
            do {
                let source = try XCTUnwrap(golden["source"]?.stringValue)
                let template = ChatTemplateFixtures.deterministic(try ChatTemplate(source: source, name: id))
                try check(try template.render(variables: variables), golden)
            } catch {
                XCTFail("\(id): \(error)")
            }
        }
    }

    /// Templates jinja2 rejects are rejected here too, with a typed error.
    func testJinja2ErrorCasesAreTypedErrors() throws {
        let errors = try XCTUnwrap(ChatTemplateFixtures.goldens()["errors"]?.arrayValue)
        XCTAssertGreaterThanOrEqual(errors.count, 10)
        for golden in errors {
            let id = golden["id"]?.stringValue ?? "?"
            var variables: [String: TemplateValue] = [:]
            for member in golden["variables"]?.objectMembers ?? [] { variables[member.key] = member.value }
            do {
                let template = try ChatTemplate(source: try XCTUnwrap(golden["source"]?.stringValue), name: id)
                let rendered = try template.render(variables: variables)
                XCTFail("\(id): rendered \(rendered.debugDescription) but jinja2 fails with \(golden["jinja_error"]?.stringValue ?? "?")")
            } catch let error as ChatTemplateError {
                XCTAssertEqual(error.templateName, id)
                XCTAssertNotNil(error.location, "\(id): \(error)")
            }
        }
    }
}
