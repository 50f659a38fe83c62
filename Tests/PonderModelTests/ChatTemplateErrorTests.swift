import Foundation
import XCTest
@testable import PonderModel

/// Malformed templates, unsupported features and template-raised errors surface as typed
/// `ChatTemplateError`s that name the template and the position (never a crash, never a skip).
final class ChatTemplateErrorTests: XCTestCase {
    private func parseError(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> ChatTemplateError? {
        do {
            _ = try ChatTemplate(source: source, name: "t.jinja")
            XCTFail("expected a parse error for \(source.debugDescription)", file: file, line: line)
        } catch let error as ChatTemplateError {
            return error
        } catch {
            XCTFail("untyped error \(error)", file: file, line: line)
        }
        return nil
    }

    private func renderError(_ source: String, _ variables: [String: TemplateValue] = [:],
                             file: StaticString = #filePath, line: UInt = #line) -> ChatTemplateError? {
        do {
            let output = try ChatTemplate(source: source, name: "t.jinja").render(variables: variables)
            XCTFail("expected a render error, got \(output.debugDescription)", file: file, line: line)
        } catch let error as ChatTemplateError {
            return error
        } catch {
            XCTFail("untyped error \(error)", file: file, line: line)
        }
        return nil
    }

    func testUnclosedTagsPointAtTheirStart() {
        let variable = parseError("Hello\n  {{ name ")
        guard case .syntax(let t, let location, let message)? = variable else { return XCTFail("\(String(describing: variable))") }
        XCTAssertEqual(t, "t.jinja")
        XCTAssertEqual(location, TemplateSourceLocation(line: 2, column: 3))
        XCTAssertTrue(message.contains("'}}'"), message)
        XCTAssertTrue(variable?.description.hasPrefix("t.jinja:2:3: syntax error") ?? false, variable?.description ?? "")

        guard case .syntax(_, let blockAt, let blockMessage)? = parseError("x\r\n{% if a %}body") else { return XCTFail() }
        XCTAssertEqual(blockAt, TemplateSourceLocation(line: 2, column: 1), "CRLF counts as one line break")
        XCTAssertTrue(blockMessage.contains("endif"), blockMessage)

        guard case .syntax(_, let commentAt, _)? = parseError("ok {# no end") else { return XCTFail() }
        XCTAssertEqual(commentAt, TemplateSourceLocation(line: 1, column: 4))

        guard case .syntax(_, let stringAt, let stringMessage)? = parseError("{{ 'open }}") else { return XCTFail() }
        XCTAssertEqual(stringAt, TemplateSourceLocation(line: 1, column: 4))
        XCTAssertTrue(stringMessage.contains("unterminated string"), stringMessage)

        guard case .syntax(_, let bracketAt, _)? = parseError("{{ x[0 }}") else { return XCTFail() }
        XCTAssertEqual(bracketAt, TemplateSourceLocation(line: 1, column: 8), "'}' closes nothing while '[' is open")
    }

    func testUnknownFilterAndTestAreUnsupportedWithPosition() {
        guard case .unsupported(_, let location, let message)? = parseError("ab\n{{ x | trim | frobnicate(1) }}") else { return XCTFail() }
        XCTAssertEqual(location, TemplateSourceLocation(line: 2, column: 15))
        XCTAssertTrue(message.contains("'frobnicate'"), message)

        guard case .unsupported(_, let testAt, let testMessage)? = parseError("{% if x is frobnicated %}{% endif %}") else { return XCTFail() }
        XCTAssertEqual(testAt, TemplateSourceLocation(line: 1, column: 12))
        XCTAssertTrue(testMessage.contains("'frobnicated'"), testMessage)
    }

    func testUnknownAndUnsupportedTags() {
        guard case .syntax(_, let at, let message)? = parseError("{% frob %}") else { return XCTFail() }
        XCTAssertEqual(at, TemplateSourceLocation(line: 1, column: 4))
        XCTAssertTrue(message.contains("unknown tag 'frob'"), message)

        guard case .unsupported(_, _, let macro)? = parseError("{% macro m() %}x{% endmacro %}") else { return XCTFail() }
        XCTAssertTrue(macro.contains("macro"), macro)

        guard case .syntax(_, _, let stray)? = parseError("{% if a %}{% endfor %}{% endif %}") else { return XCTFail() }
        XCTAssertTrue(stray.contains("endfor") && stray.contains("'{% if %}'"), stray)

        guard case .syntax(_, _, let outside)? = parseError("{% break %}") else { return XCTFail() }
        XCTAssertTrue(outside.contains("outside of a for loop"), outside)
    }

    func testRaiseExceptionIsATypedRecoverableError() {
        let source = "{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}\n"
            + "  {{ raise_exception('Bad role: ' + m.role) }}{% endif %}{% endfor %}"
        let error = renderError(source, ["messages": [["role": "user", "content": "q"], ["role": "narrator", "content": "x"]]])
        guard case .raised(let template, let location, let message)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(template, "t.jinja")
        XCTAssertEqual(message, "Bad role: narrator")
        XCTAssertEqual(location, TemplateSourceLocation(line: 2, column: 6))
    }

    func testRenderErrorsCarryPositions() {
        guard case .render(_, let plusAt, let typeMessage)? = renderError("{{ 'a' + 1 }}") else { return XCTFail() }
        XCTAssertEqual(plusAt, TemplateSourceLocation(line: 1, column: 8))
        XCTAssertTrue(typeMessage.contains("can only concatenate str"), typeMessage)

        guard case .render(_, _, let undefined)? = renderError("{{ missing.attr }}") else { return XCTFail() }
        XCTAssertTrue(undefined.contains("'missing' is undefined"), undefined)

        guard case .render(_, _, let missingKey)? = renderError("{{ '<u>' + message['content'] }}", ["message": ["role": "user"]]) else {
            return XCTFail()
        }
        XCTAssertTrue(missingKey.contains("'dict object' has no attribute 'content'"), missingKey)

        for source in ["{{ 1 // 0 }}", "{{ 'abc'[::0] }}", "{{ none | length }}", "{% for x in 3 %}{% endfor %}", "{{ x | tojson }}",
                       "{% set a, b = [1] %}", "{% set n = 1 %}{% set n.x = 2 %}", "{{ 9223372036854775807 + 1 }}", "{{ range(10**9) }}"] {
            guard case .render? = renderError(source) else { return XCTFail(source) }
        }
        guard case .unsupported? = renderError("{{ 'x'.format(1) }}") else { return XCTFail() }
    }

    func testHostileNestingFailsCleanly() {
        guard case .syntax? = parseError("{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}") else {
            return XCTFail()
        }
        guard case .syntax? = parseError("{{ " + String(repeating: "not ", count: 5000) + "1 }}") else { return XCTFail() }
        guard case .syntax? = parseError("{{ " + String(repeating: "- ", count: 5000) + "1 }}") else { return XCTFail() }
        guard case .syntax? = parseError(String(repeating: "{% if x %}", count: 5000)) else { return XCTFail() }
        XCTAssertNoThrow(try ChatTemplate(source: "{{ " + String(repeating: "[", count: 50) + "1" + String(repeating: "]", count: 50) + " }}"))
    }

    func testHostileValuesFailCleanly() throws {
        let deep = "{% set ns = namespace(x=[]) %}{% for i in range(5000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}"
        guard case .render(_, _, let message)? = renderError(deep) else { return XCTFail() }
        XCTAssertTrue(message.contains("deep"), message)
        let chain = "{% set h = namespace(n=0) %}{% for i in range(5000) %}{% set h.n = namespace(p=h.n) %}{% endfor %}"
        guard case .render? = renderError(chain) else { return XCTFail() }
        // A namespace holding itself prints like Python's recursive containers and cannot be serialized.
        let cycle = try ChatTemplate(source: "{% set ns = namespace(a=1) %}{% set ns.me = ns %}{{ ns.a }}")
        XCTAssertEqual(try cycle.render(variables: [:]), "1")
        guard case .render? = renderError("{% set ns = namespace(a=1) %}{% set ns.me = ns %}{{ ns | tojson }}") else { return XCTFail() }
        XCTAssertNoThrow(try ChatTemplate(source: "{% set ns = namespace(a=1) %}{% set ns.me = ns %}{{ ns }}").render(variables: [:]))
    }

    func testErrorsAreLocalized() {
        let error = renderError("{{ raise_exception('nope') }}")
        XCTAssertEqual(error?.errorDescription, error?.description)
        XCTAssertTrue(error?.description.contains("t.jinja:1:4") ?? false, error?.description ?? "")
    }
}
