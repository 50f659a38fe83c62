import XCTest
import PonderModel
@testable import PonderSearch

/// The ledger charges what each strategy really computes: greedy pays exactly its tokens,
/// best-of-N pays one prefill plus N samples' decode, forks are counted as reuse.
final class LedgerTests: XCTestCase {
    func testFlopModelMatchesHandCount() {
        let m = Fixture.tinyModel
        // Per layer: Q,O 2·8·8·2 = 256; K,V 2·8·4·2 = 128; gated MLP 2·8·16·3 = 768 → ×2 layers.
        XCTAssertEqual(m.blockMatmulFLOPsPerToken, 2304)
        XCTAssertEqual(m.lmHeadFLOPs, 512)
        XCTAssertEqual(m.attentionFLOPs(keys: 10), 640)
        // 3 new tokens after 5: keys 6 + 7 + 8 = 21 → 64·21 = 1344; one LM-head row.
        XCTAssertEqual(m.forwardFLOPs(newTokens: 3, pastLength: 5), 3 * 2304 + 1344 + 512)
        XCTAssertEqual(m.forwardFLOPs(newTokens: 0, pastLength: 5), 0)
        // Qwen2.5-0.5B: 494 M matmul weights with the (tied) LM head.
        XCTAssertEqual(FlopModel.qwen2_5_0_5B.matmulParameters, 493_961_216)
    }

    func testLedgersAddAndRoundTripThroughJSON() throws {
        var a = ComputeLedger()
        a.prefillTokens = 3; a.decodeTokens = 4; a.policyFLOPs = 10; a.valueCalls = 1; a.wallSeconds = 0.5
        var b = ComputeLedger()
        b.prefillTokens = 1; b.samples = 2; b.valueFLOPs = 5; b.verifierCalls = 3
        let sum = a + b
        XCTAssertEqual(sum.prefillTokens, 4)
        XCTAssertEqual(sum.flops, 15)
        XCTAssertEqual(sum.samples, 2)
        XCTAssertEqual(ComputeLedger.total([a, b, .zero]), sum)
        let decoded = try JSONDecoder().decode(ComputeLedger.self, from: JSONEncoder().encode(sum))
        XCTAssertEqual(decoded, sum)
        for budget in [Budget.unlimited, .flops(2e12), .tokens(100), .samples(8)] {
            XCTAssertEqual(try JSONDecoder().decode(Budget.self, from: JSONEncoder().encode(budget)), budget)
        }
    }

    func testGreedyCostsExactlyItsTokens() throws {
        let toy = try Fixture.toy(problems: 3)
        let flop = toy.policy.flopModel, prompt = toy.policy.promptLength
        for k in 0..<3 {
            let context = try Fixture.context(toy, k)
            let result = try Greedy().search(toy.problems[k], in: context)
            // The greedy path, followed through the tree by hand.
            let tree = toy.policy.problems[k].tree
            var node = TabularTree.root, length = 0
            while let next = tree.nodes[node].children.max(by: { a, b in
                let pa = tree.nodes[a].probability, pb = tree.nodes[b].probability
                return pa != pb ? pa < pb : tree.nodes[a].token > tree.nodes[b].token
            }) {
                node = next
                length += 1
            }
            let l = result.ledger
            XCTAssertEqual(result.completion, toy.policy.detokenize(tree.path(to: node)))
            XCTAssertEqual(result.answer == toy.correctAnswers[k], toy.policy.isCorrectLeaf(problem: k, node: node))
            XCTAssertEqual(result.candidates.first?.tokens, length)
            XCTAssertEqual(l.prefillTokens, prompt)
            XCTAssertEqual(l.generatedTokens, length)
            XCTAssertEqual(l.decodeTokens, length - 1, "the final EOS is chosen, never fed")
            XCTAssertEqual(l.forwardBatches, length)
            XCTAssertEqual(l.samples, 1)
            XCTAssertEqual(l.valueCalls, 0)
            var flops = flop.forwardFLOPs(newTokens: prompt, pastLength: 0)
            for i in 0..<(length - 1) { flops += flop.forwardFLOPs(newTokens: 1, pastLength: prompt + i) }
            XCTAssertEqual(l.policyFLOPs, flops, accuracy: flops * 1e-12)
        }
    }

    func testBestOfNCostsOnePrefillPlusNSamplesDecode() throws {
        let toy = try Fixture.toy(problems: 2)
        let prompt = toy.policy.promptLength
        for n in [1, 4, 9] {
            let greedy = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger
            let context = try Fixture.context(toy, 0, seed: UInt64(n))
            let result = try BestOfN(n: n, selection: .majority).search(toy.problems[0], in: context)
            let l = result.ledger
            // Every toy completion has the same length, so each sample's decode costs what greedy's does.
            let prefillFLOPs = toy.policy.flopModel.forwardFLOPs(newTokens: prompt, pastLength: 0)
            XCTAssertEqual(l.prefillTokens, prompt, "one prefill, shared by all N lanes")
            XCTAssertEqual(l.decodeTokens, n * greedy.decodeTokens)
            XCTAssertEqual(l.generatedTokens, n * greedy.generatedTokens)
            XCTAssertEqual(l.policyFLOPs, prefillFLOPs + Double(n) * (greedy.policyFLOPs - prefillFLOPs),
                           accuracy: l.policyFLOPs * 1e-12)
            XCTAssertEqual(l.reusedKVTokens, n * prompt, "each lane forks the prompt instead of re-encoding it")
            XCTAssertEqual(l.forwardBatches, greedy.forwardBatches, "N lanes decode in lockstep batches")
            XCTAssertEqual(l.samples, n)
            XCTAssertEqual(result.candidates.count, n)
        }
    }

    func testValueSelectionChargesValueCallsAndFeedsFinalTokensOnce() throws {
        let toy = try Fixture.toy(problems: 1)
        let greedy = try Greedy().search(toy.problems[0], in: Fixture.context(toy, 0)).ledger
        let result = try BestOfN(n: 5, selection: .maxValue).search(toy.problems[0], in: Fixture.context(toy, 0))
        XCTAssertEqual(result.ledger.valueCalls, 5)
        XCTAssertEqual(result.ledger.valueFLOPs, 5 * TabularPolicy.perfectValueHead.flopsPerCall)
        // Reading the value of a finished sample computes its EOS token: one more decode token each.
        XCTAssertEqual(result.ledger.decodeTokens, 5 * greedy.decodeTokens + 5)
        XCTAssertEqual(result.ledger.prefillTokens, toy.policy.promptLength)
    }

    func testForkedPrefixesAreCountedAsReusedNotRecomputed() throws {
        let toy = try Fixture.toy(problems: 2)
        for k in 0..<2 {
            let strategy = MCTSStep(configuration: {
                var c = MCTSConfiguration(); c.simulations = 6; c.width = 3; return c
            }())
            let result = try strategy.search(toy.problems[k], in: Fixture.context(toy, k))
            let l = result.ledger
            XCTAssertEqual(l.prefillTokens, toy.policy.promptLength, "the prompt is encoded once for the whole tree")
            XCTAssertGreaterThan(l.reusedKVTokens, 10 * toy.policy.promptLength)
            // Every computed generated token was generated once: nothing is recomputed.
            XCTAssertLessThanOrEqual(l.decodeTokens, l.generatedTokens + l.valueCalls)
        }
    }

    func testPendingTokensOfAParentAreComputedOnceBeforeForking() throws {
        let policy = try Fixture.handBuilt()
        let context = try SearchContext(policy: policy, task: Fixture.handHooks())
        let metered = context.policy
        let root = try metered.start(prompt: "vote")
        let first = try metered.candidates([root], processor: nil)
        XCTAssertEqual(metered.ledger.prefillTokens, 8)
        guard let token = first[0].argmax?.id else { return XCTFail("no candidates") }
        let child = try metered.fork(root)
        try metered.append(child, token: token)
        // Two forks of a child with one pending token: it is computed once, by the first fork.
        let a = try metered.fork(child), b = try metered.fork(child)
        XCTAssertEqual(metered.ledger.decodeTokens, 1)
        XCTAssertEqual(metered.ledger.forwardBatches, 2)
        XCTAssertEqual(metered.ledger.reusedKVTokens, 8 + 9 + 9)
        XCTAssertEqual(try metered.computedLength(of: a), 9)
        XCTAssertEqual(try metered.computedLength(of: b), 9)
        context.policy.releaseAll()
        XCTAssertEqual(context.policy.liveSequences, 0)
    }
}
