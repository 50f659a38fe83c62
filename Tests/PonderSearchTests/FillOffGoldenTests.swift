import XCTest
import PonderModel
@testable import PonderSearch

/// `fill: false` is exactly the search as it was before fill mode: fingerprints of whole
/// results (every candidate, the ledger, the budget report, the tree) recorded with the code
/// of 5dc7814 under FLOP, token and sample caps, replayed with `fill: false`.
final class FillOffGoldenTests: XCTestCase {
    /// FNV-1a over a result's JSON (sorted keys, wall time cleared).
    private func fingerprint(_ result: SearchResult) throws -> UInt64 {
        var copy = result
        copy.ledger = copy.ledger.withoutWallTime
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in try encoder.encode(copy) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The fixed-size searches the goldens were recorded with (before fill mode existed).
    static let strategies: [(String, [String: ParameterValue])] = [
        ("best-of-n", ["n": .int(6), "selection": .string("majority")]),
        ("best-of-n", ["n": .int(6), "selection": .string("weighted-vote"), "batch": .int(2)]),
        ("rejection", ["max_samples": .int(6), "threshold": .double(0.6)]),
        ("beam", ["beam_width": .int(2), "expansions": .int(2)]),
        ("beam", ["beam_width": .int(2), "expansions": .int(2), "diverse": .bool(true)]),
        ("mcts-step", ["simulations": .int(6), "width": .int(3), "batch": .int(2)]),
        ("mcts-step", ["simulations": .int(6), "width": .int(3), "root": .string("gumbel"), "leaf": .string("mix")]),
        ("mcts-token", ["simulations": .int(3), "width": .int(2)]),
    ]

    /// Per strategy: problems 0–2 under 3 samples' FLOPs, then 40 tokens, then 2 samples.
    static let goldens: [[UInt64]] = [
        [0x34858d46bae55750, 0x52f03cf808832690, 0xf07f3ef64fad2722, 0xa9e40b0ad88b4993, 0x55663a2ef7d8af59, 0x1167c93c1652b05f, 0x12820a4fb529c46e, 0x3013103eb4305936, 0xa9e9e71203793567],
        [0xaf77d83d687e09f6, 0x9ae4de1da9184cc1, 0xb23460d69bdce994, 0x5dcc9dcb0662f8cf, 0xb0d2b47f9b1e870d, 0x6243fa7c4dc2ac0d, 0x35d3e21fae2b9996, 0x2c1b8c2d761b153f, 0x56cac955f8bbea2c],
        [0x58b8b0678fbe59ee, 0xced6578783e5faf6, 0x10f5ea73ea4835be, 0x2bd0d4af77b3c338, 0x3b16088cbea6da96, 0x5c2f1a147e8c12d3, 0x95ad1fdeaf3ef6c6, 0xea347a5d477782f0, 0x1fe10dcd93ac4f2],
        [0xee1d87e78d687632, 0x961e96ad78e64cfc, 0x26565a572727f51f, 0x7b57fbf22be931d5, 0x760e1ce12eab90c2, 0x8ab9ea617959bbd7, 0xee19b225253bbdba, 0xa02b3448597a142d, 0xdad982ec26aa539a],
        [0xf34b0ca3ea65b238, 0x2c72e5d993a65599, 0x33ed098d544cbfb7, 0x7b57fbf22be931d5, 0x760e1ce12eab90c2, 0x8ab9ea617959bbd7, 0xee19b225253bbdba, 0xa02b3448597a142d, 0xdad982ec26aa539a],
        [0x455f25e9b3fb5460, 0x4f037d061158f64e, 0x8e4ecb57d53fb9a9, 0x78232ca3e28c516e, 0xb18038043687f786, 0x5ec8ae3d926b59f, 0x5c4c64bbd078e0bf, 0xa3cb1f7404eef89d, 0xab7f1a90e834ba56],
        [0x498c884f47cec3e5, 0xc29dc3c45b500d5f, 0x45711aeb3efa5ae0, 0xd76f92c505a43c99, 0x7692eaca3a65527a, 0x45e624cb800bb98, 0x33be9d5f18687895, 0xfed2b9198c58ff9b, 0x5730f84218ff888d],
        [0x394785046f3f64c5, 0xac6ab07c7499bc85, 0x460ccc225f56e1, 0x6750efb4650904e1, 0xeba1cf1c4a1b44f0, 0x42f771eb09b56758, 0xb2162f77d404c707, 0x3375696970a0eccb, 0x37b896e5cdc54297],
    ]

    func testFillOffReproducesTheFixedSizeSearchesExactly() throws {
        let toy = try Fixture.toy(problems: 3)
        let one = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger.flops
        for ((name, parameters), expected) in zip(Self.strategies, Self.goldens) {
            var off = parameters
            off["fill"] = .bool(false)
            let strategy = try StrategyRegistry.builtIn.make(name, parameters: off)
            var got: [UInt64] = []
            for budget in [Budget.flops(3 * one), .tokens(40), .samples(2)] {
                for k in 0..<3 {
                    got.append(try fingerprint(try strategy.search(toy.problems[k], in: Fixture.context(toy, k, budget: budget))))
                }
            }
            XCTAssertEqual(got, expected, "\(name) \(parameters)")
        }
    }
}
