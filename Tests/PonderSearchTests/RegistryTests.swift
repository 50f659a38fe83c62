import XCTest
import PonderModel
@testable import PonderSearch

/// Configs name strategies and parameters; mistakes are errors that name the strategy and the
/// parameter and list what is allowed.
final class RegistryTests: XCTestCase {
    func testBuiltInsAreRegisteredByName() throws {
        XCTAssertEqual(StrategyRegistry.builtIn.names,
                       ["beam", "best-of-n", "greedy", "mcts-step", "mcts-token", "rejection", "sample"])
        let strategy = try StrategyRegistry.builtIn.make("best-of-n", parameters: ["n": .int(5), "selection": .string("weighted-vote")])
        let bon = try XCTUnwrap(strategy as? BestOfN)
        XCTAssertEqual(bon.n, 5)
        XCTAssertEqual(bon.selection, .weightedVote)
        XCTAssertEqual(bon.batch, 0, "omitted parameters take their defaults")
        let mcts = try XCTUnwrap(try StrategyRegistry.builtIn.make("mcts-step", parameters: [
            "c_init": .int(3), "root": .string("gumbel"), "leaf": .string("mix"), "lambda": .double(0.25),
        ]) as? MCTSStep)
        XCTAssertEqual(mcts.configuration.cInit, 3, "an integer is accepted for a real parameter")
        XCTAssertEqual(mcts.configuration.root, .gumbel)
        XCTAssertEqual(mcts.configuration.leaf, .mix)
        XCTAssertEqual(mcts.configuration.expansionCap, mcts.configuration.width)
    }

    func testUnknownNamesAndBadValuesAreErrorsThatNameEverything() {
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("best-of-m")) { error in
            XCTAssertTrue("\(error)".contains("best-of-m") && "\(error)".contains("best-of-n, greedy"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("beam", parameters: ["width": .int(4)])) { error in
            XCTAssertEqual(error as? RegistryError, .unknownParameter(strategy: "beam", parameter: "width", known:
                ["beam_width", "expansions", "diverse", "max_steps", "selection", "fill", "value", "oracle_rollouts"]))
            XCTAssertTrue("\(error)".contains("known parameters: beam_width"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("rejection", parameters: ["threshold": .double(1.5)])) { error in
            XCTAssertTrue("\(error)".contains("'rejection'") && "\(error)".contains("'threshold'")
                          && "\(error)".contains("0.0...1.0"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("best-of-n", parameters: ["selection": .string("best")])) { error in
            XCTAssertTrue("\(error)".contains("one of majority, weighted-vote, max-value, checker"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("best-of-n", parameters: ["n": .string("8")])) { error in
            XCTAssertTrue("\(error)".contains("an integer in 1...65536"), "\(error)")
        }
        XCTAssertThrowsError(try StrategyRegistry.builtIn.make("mcts-step", parameters: ["c_init": .double(.nan)]))
    }

    func testRegisteringANewStrategyAndRejectingDuplicates() throws {
        var registry = StrategyRegistry.builtIn
        let descriptor = StrategyDescriptor(name: "twice", summary: "greedy, for the test",
                                            parameters: [.int("k", 1...3, default: 2, "unused")]) { p in
            _ = try p.int("k")
            return Greedy()
        }
        try registry.register(descriptor)
        XCTAssertTrue(registry.names.contains("twice"))
        XCTAssertThrowsError(try registry.register(descriptor)) { error in
            XCTAssertEqual(error as? RegistryError, .duplicateStrategy(name: "twice"))
        }
        XCTAssertNoThrow(try registry.make("twice", parameters: ["k": .int(3)]))
        XCTAssertFalse(StrategyRegistry.builtIn.names.contains("twice"), "registries are values")
    }

    func testParameterValuesDecodeFromJSONScalars() throws {
        let json = #"{"n": 16, "threshold": 0.75, "diverse": true, "selection": "majority"}"#
        let values = try JSONDecoder().decode([String: ParameterValue].self, from: Data(json.utf8))
        XCTAssertEqual(values, ["n": .int(16), "threshold": .double(0.75), "diverse": .bool(true),
                                "selection": .string("majority")])
        let back = try JSONDecoder().decode([String: ParameterValue].self, from: JSONEncoder().encode(values))
        XCTAssertEqual(back, values)
    }
}
