import Foundation
import XCTest
@testable import PonderModel

/// Access to `Tests/Fixtures/chat-templates` (templates and jinja2 goldens, see its README).
enum ChatTemplateFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/chat-templates")

    /// The date the goldens were rendered with (`strftime_now`), as naive local time in UTC.
    static let fixedNow: Date = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar.date(from: DateComponents(year: 2025, month: 3, day: 4, hour: 9, minute: 5, second: 7)) ?? Date()
    }()

    // Special-token strings, spelled with escapes: U+FF5C and U+2581 must never be retyped.
    static let r1BOS = "<\u{FF5C}begin\u{2581}of\u{2581}sentence\u{FF5C}>"
    static let r1EOS = "<\u{FF5C}end\u{2581}of\u{2581}sentence\u{FF5C}>"

    static func source(_ file: String) throws -> String {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try XCTUnwrap(String(data: data, encoding: .utf8), "\(file) is not UTF-8")
    }

    /// A template from a fixture file, with the goldens' fixed clock.
    static func template(_ file: String) throws -> ChatTemplate {
        deterministic(try ChatTemplate(source: source(file), name: file))
    }

    static func deterministic(_ template: ChatTemplate) -> ChatTemplate {
        var t = template
        t.now = { fixedNow }
        t.timeZone = TimeZone(identifier: "UTC") ?? .current
        return t
    }

    static func goldens() throws -> TemplateValue {
        try TemplateValue(json: Data(contentsOf: directory.appendingPathComponent("goldens.json")), source: "goldens.json")
    }

    /// Where two strings first differ, for readable failure messages.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        func around(_ s: [Unicode.Scalar]) -> String {
            String(String.UnicodeScalarView(s[max(0, i - 30)..<min(s.count, i + 30)])).debugDescription
        }
        return "first difference at scalar \(i): got \(around(x)) expected \(around(y))"
    }
}

extension TemplateValue {
    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var arrayValue: [TemplateValue]? { if case .array(let a) = self { a } else { nil } }
    var objectMembers: [Member]? { if case .object(let m) = self { m } else { nil } }
}
