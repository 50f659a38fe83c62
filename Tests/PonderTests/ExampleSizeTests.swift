import Foundation
import XCTest

/// The guides' measure: a new strategy fits in one file of under 60 lines. The example itself is
/// a package target, so every build compiles it against the public API; this keeps its size
/// honest, and `docs/adding-a-strategy.md` quotes the count.
final class ExampleSizeTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testTheSelfConsistencyStrategyIsUnderSixtyLines() throws {
        let url = Self.repository.appendingPathComponent("Examples/SelfConsistency/main.swift")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("// MARK: The strategy") })
        let end = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("// MARK: Register it") })
        let strategy = lines[(start + 1)..<end].drop { $0.isEmpty }.reversed().drop { $0.isEmpty }
        XCTAssertLessThan(strategy.count, 60)
        let guide = try String(contentsOf: Self.repository.appendingPathComponent("docs/adding-a-strategy.md"), encoding: .utf8)
        XCTAssertTrue(guide.contains("**\(strategy.count) lines**"), "update the count in docs/adding-a-strategy.md to \(strategy.count)")
    }
}
