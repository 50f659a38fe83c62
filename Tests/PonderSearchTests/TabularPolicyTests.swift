import XCTest
import PonderModel
@testable import PonderSearch

/// The tabular policy: exact probabilities, processed candidates, stop conditions, and
/// errors for malformed trees and prompts.
final class TabularPolicyTests: XCTestCase {
    func testSuccessProbabilitiesAreExactAndSumOverLeaves() throws {
        let policy = try Fixture.handBuilt()
        XCTAssertEqual(policy.successProbability(problem: 0, node: TabularTree.root), 0.5, accuracy: 1e-12)
        let toy = try Fixture.toy(problems: 5)
        for k in 0..<5 {
            let tree = toy.policy.problems[k].tree
            let leaves = tree.leafProbabilities()
            XCTAssertEqual(leaves.values.reduce(0, +), 1, accuracy: 1e-9)
            let correctMass = leaves.filter { toy.policy.isCorrectLeaf(problem: k, node: $0.key) }.values.reduce(0, +)
            XCTAssertEqual(toy.policy.successProbability(problem: k, node: TabularTree.root), correctMass, accuracy: 1e-9)
        }
        // Across problems the toy orders sampling < greedy < majority vote (see TabularToy).
        let many = try TabularToy.make(problems: 60, seed: 3)
        var pass1 = 0.0, greedy = 0, majority = 0
        for k in 0..<60 {
            let tree = many.policy.problems[k].tree
            pass1 += many.policy.successProbability(problem: k, node: TabularTree.root) / 60
            var node = TabularTree.root
            while let next = tree.nodes[node].children.max(by: { tree.nodes[$0].probability < tree.nodes[$1].probability }) { node = next }
            if many.policy.isCorrectLeaf(problem: k, node: node) { greedy += 1 }
            var mass: [String: Double] = [:]
            for (leaf, p) in tree.leafProbabilities() {
                mass[TabularToy.extractor.extract(many.policy.detokenize(tree.path(to: leaf))) ?? "", default: 0] += p
            }
            if mass.max(by: { $0.value < $1.value })?.key == many.correctAnswers[k] { majority += 1 }
        }
        XCTAssertLessThan(pass1, Double(greedy) / 60)
        XCTAssertLessThan(greedy, majority)
    }

    func testCandidatesAreTheTreeEdgesWithProcessorsApplied() throws {
        let policy = try Fixture.handBuilt()
        let context = try SearchContext(policy: policy, task: Fixture.handHooks())
        let root = try context.policy.start(prompt: "vote")
        let raw = try context.policy.candidates([root], processor: nil)[0]
        XCTAssertEqual(raw.count, 4)
        XCTAssertEqual(raw.logprobs.map { Double(exp($0)) }.reduce(0, +), 1, accuracy: 1e-6)
        let top2 = try context.policy.candidates([root], processor: SamplingChain(temperature: 1, topK: 2))[0]
        XCTAssertEqual(top2.count, 2)
        XCTAssertEqual(top2.ids.first.map { policy.detokenize([$0]) }, "c", "the 0.3 edge ranks first")
        XCTAssertEqual(Double(exp(top2.modelLogprobs[0])), 0.3, accuracy: 1e-6, "model log-probs stay unprocessed")
        XCTAssertEqual(context.ledger.forwardBatches, 1, "reading twice computes once")
    }

    func testStopStringsAndTheLengthCapEndSequences() throws {
        let policy = try Fixture.handBuilt(stopStrings: ["END"])
        let context = try SearchContext(policy: policy, task: Fixture.handHooks())
        let result = try Sample().search(SearchProblem(id: "s", prompt: "stop"), in: context)
        XCTAssertEqual(result.candidates.first?.end, .stopString)
        XCTAssertEqual(result.completion, "xyEND")
        let capped = try SearchContext(policy: policy, task: Fixture.handHooks(),
                                       stopConditions: StopConditions(eosTokenIDs: [0], maxNewTokens: 2))
        let short = try Sample().search(SearchProblem(id: "s", prompt: "stop"), in: capped)
        XCTAssertEqual(short.candidates.first?.end, .maxLength)
        XCTAssertEqual(short.candidates.first?.tokens, 2)
        XCTAssertEqual(short.ledger.samples, 1)
    }

    func testStepsEndAtTheSplitterAndAppendAfterStopIsRefused() throws {
        let policy = try Fixture.handBuilt()
        let context = try SearchContext(policy: policy, task: Fixture.handHooks())
        let root = try context.policy.start(prompt: "vote")
        let lanes = try context.generate([GenerationRequest(root, lanes: 3)], until: .step)
        for lane in lanes {
            XCTAssertEqual(lane.end, .stepEnd)
            XCTAssertTrue(lane.text.hasSuffix("\n"))
            XCTAssertEqual(lane.tokens.count, 2)
        }
        let finished = try context.generate([GenerationRequest(try XCTUnwrap(lanes[0].sequence))], until: .completion)
        let id = try XCTUnwrap(finished[0].sequence)
        XCTAssertEqual(finished[0].end, .eos)
        XCTAssertThrowsError(try context.policy.append(id, token: 0)) { error in
            XCTAssertEqual(error as? SearchError, .appendAfterStop(id, .eos))
        }
        XCTAssertEqual(StepSplitter.delimiters(["\n"]).split("a\nb\nc"), ["a\n", "b\n", "c"])
    }

    func testMalformedTreesAndUnknownPromptsAreClearErrors() throws {
        var b = TabularPolicyBuilder()
        var tree = TabularTree()
        tree.addChild(of: TabularTree.root, token: b.token("x"), probability: 0.7)
        b.addProblem(prompt: "p", correctAnswer: "1", tree: tree)
        XCTAssertThrowsError(try b.build(extractor: .after("Answer:"))) { error in
            XCTAssertTrue("\(error)".contains("sum to 0.7"), "\(error)")
        }
        var c = TabularPolicyBuilder()
        c.addProblem(prompt: "p", correctAnswer: "1", completions: [(["x"], 1)])
        XCTAssertThrowsError(try c.build(extractor: .after("Answer:"))) { error in
            XCTAssertTrue("\(error)".contains("not reached by EOS"), "\(error)")
        }
        let policy = try Fixture.handBuilt()
        XCTAssertThrowsError(try policy.encode(prompt: "nope")) { error in
            XCTAssertEqual(error as? TabularPolicyError, .unknownPrompt("nope"))
        }
        XCTAssertEqual(AnswerExtractor.after("Answer:").extract("x\nAnswer: 12 \nmore"), "12")
        XCTAssertNil(AnswerExtractor.after("Answer:").extract("no answer"))
    }
}
