import Ponder
import XCTest

/// `import Ponder` re-exports every layer, so a type name two layers both define is ambiguous in
/// user code. This file names each once-duplicated type bare: it stops compiling if any of them
/// is defined twice again.
final class UmbrellaNamesTests: XCTestCase {
    func testOnceDuplicatedNamesResolveToOneType() {
        let stop: StopReason = .maxTokens
        let mode: EvaluationMode = .verifierCharged
        let unit: Budget.Unit = .tokens
        let error = ConfigError(key: "hidden_size", "required key is missing")
        let node = SearchTreeNode(id: 0, parent: nil, children: [], text: "", tokenStart: 0, tokenEnd: 0,
                                  prior: 1, visits: 0, value: nil, terminal: false, answer: nil)
        XCTAssertEqual(stop.rawValue, "max_tokens")
        XCTAssertEqual(mode.rawValue, "verifier-charged")
        XCTAssertEqual(BudgetPoint(kind: unit, value: 8).budget, .tokens(8))
        XCTAssertEqual(error.key, "hidden_size")
        XCTAssertNil(node.parent)
    }

    func testTheLabsRenamedTypesKeepTheirOwnNames() {
        let configError = ExperimentConfigError([])
        XCTAssertTrue(configError.issues.isEmpty)
        XCTAssertNil(TreeViewNode.parse("[1]"))
    }
}
