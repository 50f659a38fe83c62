import XCTest
import PonderModel
@testable import PonderSearch

/// Value heads (TRL names, MLP) and the random draws search uses (Marsaglia–Tsang gamma,
/// Dirichlet, Gumbel).
final class ValueAndRandomTests: XCTestCase {
    func testLinearHeadLoadsTRLTensorNamesAndAppliesTheSigmoid() throws {
        let head = try LinearValueHead.load(tensors: [
            "v_head.summary.weight": ([1, 3], [0.5, -1, 2]),
            "v_head.summary.bias": ([1], [0.25]),
        ])
        XCTAssertEqual(head.inputSize, 3)
        let v = try head.values([[1, 1, 1], [0, 0, 0]])
        XCTAssertEqual(v[0], 1 / (1 + exp(-(0.5 - 1 + 2 + 0.25))), accuracy: 1e-12)
        XCTAssertEqual(v[1], 1 / (1 + exp(-0.25)), accuracy: 1e-12)
        XCTAssertEqual(head.flopsPerCall, 7)
        XCTAssertThrowsError(try head.values([[1, 2]])) { error in
            XCTAssertEqual(error as? ValueHeadError, .inputWidth(expected: 3, got: 2))
        }
    }

    func testLoadingErrorsNameTheTensorAndTheExpectedShape() {
        XCTAssertThrowsError(try LinearValueHead.load(tensors: ["v_head.summary.weight": ([1, 2], [1, 2])])) { error in
            XCTAssertTrue("\(error)".contains("v_head.summary.bias"), "\(error)")
        }
        XCTAssertThrowsError(try LinearValueHead.load(tensors: [
            "v_head.summary.weight": ([2, 1], [1, 2]), "v_head.summary.bias": ([1], [0]),
        ])) { error in
            XCTAssertEqual(error as? ValueHeadError, .badShape(name: "v_head.summary.weight", expected: "[1, hidden]", got: [2, 1]))
        }
        XCTAssertThrowsError(try LinearValueHead.load(tensors: [
            "v_head.summary.weight": ([1, 3], [1, 2]), "v_head.summary.bias": ([1], [0]),
        ])) { error in
            XCTAssertEqual(error as? ValueHeadError, .badData(name: "v_head.summary.weight", shape: [1, 3], count: 2))
        }
    }

    func testMLPHeadMatchesAHandComputation() throws {
        // h = [1, -2]; W1 = [[1, 0], [1, 1]], b1 = [0, 0.5] → z = [1, -0.5] → relu [1, 0];
        // w2 = [2, 3], b2 = -1 → 2·1 + 3·0 − 1 = 1 → σ(1).
        let tensors: [String: ([Int], [Float])] = [
            "v_head.mlp.0.weight": ([2, 2], [1, 0, 1, 1]), "v_head.mlp.0.bias": ([2], [0, 0.5]),
            "v_head.mlp.2.weight": ([1, 2], [2, 3]), "v_head.mlp.2.bias": ([1], [-1]),
        ]
        let head = try XCTUnwrap(try ValueHeads.load(tensors: tensors) as? MLPValueHead)
        XCTAssertEqual(try head.values([[1, -2]])[0], 1 / (1 + exp(-1)), accuracy: 1e-12)
        let tanhHead = try MLPValueHead.load(tensors: tensors, activation: .tanh)
        XCTAssertEqual(try tanhHead.values([[1, -2]])[0], 1 / (1 + exp(-(2 * tanh(1) + 3 * tanh(-0.5) - 1))), accuracy: 1e-9)
        XCTAssertTrue(try ValueHeads.load(tensors: ["v_head.summary.weight": ([1, 1], [1]), "v_head.summary.bias": ([1], [0])])
                        is LinearValueHead)
    }

    func testAValueHeadOfTheWrongWidthIsRefusedByTheContext() throws {
        let toy = try Fixture.toy(problems: 1)
        XCTAssertThrowsError(try SearchContext(policy: toy.policy, valueFunction: LinearValueHead(weight: [1, 2], bias: 0),
                                               task: toy.hooks(for: 0))) { error in
            XCTAssertEqual(error as? SearchError, .valueInputMismatch(expected: 4, got: 2))
        }
    }

    func testTheTabularPerfectHeadIsTheExactSuccessProbability() throws {
        let toy = try Fixture.toy(problems: 2)
        let context = try Fixture.context(toy, 1)
        let root = try context.policy.start(prompt: toy.problems[1].prompt)
        let lanes = try context.generate([GenerationRequest(root, lanes: 6)], until: .step)
        let values = try context.values([root] + lanes.compactMap(\.sequence), for: "test")
        for (sequence, value) in zip([root] + lanes.compactMap(\.sequence), values) {
            // The value call computed each lane's pending last token, so the node is known.
            guard let at = toy.policy.node(of: sequence) else { return XCTFail("no node for \(sequence)") }
            XCTAssertEqual(value, toy.policy.successProbability(problem: at.problem, node: at.node), accuracy: 1e-3)
        }
    }

    func testGammaDrawsHaveTheRightMeanAndVariance() {
        var rng = SeededRNG(seed: 42)
        for shape in [0.3, 1.0, 2.5, 9.0] {
            let n = 20_000
            let draws = (0..<n).map { _ in rng.nextGamma(shape: shape) }
            let mean = draws.reduce(0, +) / Double(n)
            let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            // Gamma(k, 1): mean k, variance k.
            XCTAssertEqual(mean, shape, accuracy: 4 * (shape / Double(n)).squareRoot() + 0.01, "shape \(shape)")
            XCTAssertEqual(variance, shape, accuracy: 0.08 * shape + 0.01, "shape \(shape)")
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 })
        }
        XCTAssertEqual(rng.nextGamma(shape: 0), 0)
    }

    func testDirichletAndGumbelDraws() {
        var rng = SeededRNG(seed: 7)
        var means = [Double](repeating: 0, count: 4)
        for _ in 0..<5000 {
            let d = rng.nextDirichlet(alpha: 0.3, count: 4)
            XCTAssertEqual(d.reduce(0, +), 1, accuracy: 1e-9)
            for i in 0..<4 { means[i] += d[i] / 5000 }
        }
        for m in means { XCTAssertEqual(m, 0.25, accuracy: 0.03) }
        let g = (0..<20_000).map { _ in rng.nextGumbel() }
        XCTAssertEqual(g.reduce(0, +) / 20_000, 0.5772, accuracy: 0.03, "the Euler–Mascheroni constant")
        var a = SeededRNG(seed: 3), b = SeededRNG(seed: 3)
        XCTAssertEqual(a.nextDirichlet(alpha: 0.3, count: 5), b.nextDirichlet(alpha: 0.3, count: 5))
    }
}
