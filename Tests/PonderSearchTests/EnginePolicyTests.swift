import Foundation
import XCTest
import PonderModel
@testable import PonderSearch

/// The engine-backed policy on the committed fixture checkpoints: it must decode exactly what
/// the model's own generation loop decodes, fork without recomputing or perturbing anything,
/// batch without changing results, and be charged the way the ledger promises.
final class EnginePolicyTests: XCTestCase {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models")

    func load(_ name: String) throws -> PretrainedModel {
        try PretrainedModel.load(directory: Self.models.appendingPathComponent(name).path)
    }

    func context(_ model: PretrainedModel, maxNewTokens: Int, budget: Budget = .unlimited,
                 value: (any ValueFunction)? = nil) throws -> SearchContext {
        let policy = try EnginePolicy(model: model, maxNewTokens: maxNewTokens)
        return try SearchContext(policy: policy, valueFunction: value, budget: budget, seed: 3,
                                 sampling: SamplingParameters(temperature: 1),
                                 task: TaskHooks(answerExtractor: .after("Answer:")))
    }

    func testGreedyThroughThePolicyDecodesWhatGenerateDecodes() throws {
        // qwen2-tied-bf16 also has padded logit rows that neither path may pick.
        for name in ["qwen2-gqa-bias", "qwen2-tied-bf16", "llama-rope-llama3"] {
            let model = try load(name)
            let prompt = "Ponder: sample more, or search?"
            let ids = try model.encodePrompt(prompt, chat: false)
            var rng = SeededRNG(seed: 0)
            let reference = try model.model.generate(
                prompt: ids, options: GenerationOptions(maxNewTokens: 20, stopTokenIds: model.eosTokenIds), rng: &rng)

            let context = try self.context(model, maxNewTokens: 20)
            let root = try context.policy.start(prompt: prompt)
            XCTAssertEqual(try context.policy.tokens(of: root), ids, name)
            let lanes = try context.generate([GenerationRequest(root)], until: .completion,
                                             sampling: SamplingParameters(temperature: 0))
            XCTAssertEqual(lanes.first?.tokens, reference.tokens, name)
            let referenceLogprob = reference.logprobs.reduce(0) { $0 + Double($1) }
            XCTAssertEqual(lanes.first?.logprob ?? 0, referenceLogprob, accuracy: 1e-3, name)

            // The Greedy strategy returns the same text.
            let result = try Greedy().search(SearchProblem(id: "p", prompt: prompt),
                                             in: try self.context(model, maxNewTokens: 20))
            XCTAssertEqual(result.completion, try model.requireTokenizer().decode(reference.tokens, skipSpecialTokens: true), name)
        }
    }

    func testForkStartsFromTheParentsOutputsAndStaysIndependent() throws {
        let model = try load("qwen2-gqa-bias")
        let policy = try EnginePolicy(model: model)
        let prompt = try policy.encode(prompt: "fork me")
        let parent = try policy.makeSequence()
        try policy.extend([parent], tokens: [prompt])
        let blocksBefore = policy.engine.cacheUsage.blocksInUse
        let child = try policy.fork(parent)
        XCTAssertEqual(policy.engine.cacheUsage.blocksInUse, blocksBefore, "a fork shares blocks; it copies none")
        XCTAssertEqual(try policy.nextTokenCandidates([parent], processor: nil),
                       try policy.nextTokenCandidates([child], processor: nil))
        XCTAssertEqual(try policy.hiddenStates([parent]), try policy.hiddenStates([child]))

        // Both take the same token in one batch: still identical.
        try policy.extend([parent, child], tokens: [[5], [5]])
        let a = try policy.nextTokenCandidates([parent, child], processor: nil)
        XCTAssertEqual(a[0].logprobs, a[1].logprobs)

        // The child diverges; the parent continues as if it had never been forked.
        try policy.extend([child], tokens: [[9, 11]])
        try policy.extend([parent], tokens: [[7]])
        let fresh = try policy.makeSequence()
        try policy.extend([fresh], tokens: [prompt + [5, 7]])
        let parentNext = try policy.nextTokenCandidates([parent], processor: nil)[0]
        let freshNext = try policy.nextTokenCandidates([fresh], processor: nil)[0]
        XCTAssertLessThan(maxDifference(parentNext.logprobs, freshNext.logprobs), 1e-4)
        XCTAssertNotEqual(try policy.nextTokenCandidates([child], processor: nil)[0].logprobs, parentNext.logprobs)

        policy.release(child)
        XCTAssertThrowsError(try policy.nextTokenCandidates([child], processor: nil))
        XCTAssertEqual(policy.liveSequences, 2)
        policy.release(parent)
        policy.release(fresh)
        XCTAssertEqual(policy.engine.cacheUsage.blocksInUse, 0, "released sequences leave no blocks behind")
    }

    func testOneBatchedExtendEqualsSeparateForwards() throws {
        let model = try load("llama-rope-llama3")
        let policy = try EnginePolicy(model: model)
        let inputs = [try policy.encode(prompt: "one"), try policy.encode(prompt: "a longer second prompt")]
        let batched = [try policy.makeSequence(), try policy.makeSequence()]
        try policy.extend(batched, tokens: inputs)
        for (i, input) in inputs.enumerated() {
            let cache = model.model.makeCache()
            let reference = try model.model.forward(tokens: input, cache: cache, returnHiddenStates: true)
            let got = try policy.nextTokenCandidates([batched[i]], processor: nil)[0]
            let expected = reference.lastLogits.withUnsafeBufferPointer {
                Candidates(logits: $0, validCount: model.model.validVocabularySize)
            }
            XCTAssertLessThan(maxDifference(got.logprobs, expected.logprobs), 1e-4)
            XCTAssertLessThan(maxDifference(try policy.hiddenStates([batched[i]])[0], reference.hiddenStates ?? []), 1e-4)
        }
        XCTAssertThrowsError(try policy.extend(batched, tokens: [[1]]), "one token list per sequence")
    }

    func testBestOfNChargesThePromptOnceAndForksTheRest() throws {
        let model = try load("qwen2-gqa-bias")
        let prompt = "how many samples?"
        let promptLength = try model.encodePrompt(prompt, chat: false).count
        let result = try BestOfN(n: 4).search(SearchProblem(id: "p", prompt: prompt),
                                              in: try context(model, maxNewTokens: 6))
        XCTAssertEqual(result.candidates.count, 4)
        XCTAssertEqual(result.ledger.prefillTokens, promptLength, "the prompt is computed once")
        XCTAssertEqual(result.ledger.reusedKVTokens, 4 * promptLength, "every lane forks the computed prompt")
        let flop = FlopModel(config: model.config)
        XCTAssertGreaterThanOrEqual(result.ledger.policyFLOPs, flop.forwardFLOPs(newTokens: promptLength, pastLength: 0))
        // One forward for the prompt, then at most one batched forward per decode position.
        XCTAssertLessThanOrEqual(result.ledger.forwardBatches, 1 + 6)
    }

    /// Every built-in strategy runs through the one protocol on a real (fixture) checkpoint,
    /// stays within its budget, and pays for what it computed.
    func testEveryBuiltInStrategyRunsOnAFixtureCheckpoint() throws {
        let model = try load("qwen2-gqa-bias")
        // A hand-set linear head over the real hidden size: enough to drive value-guided search.
        let hidden = model.config.hiddenSize
        let head = LinearValueHead(weight: (0..<hidden).map { Float(($0 % 7) - 3) * 0.01 }, bias: 0.1)
        let registry = StrategyRegistry.builtIn
        XCTAssertEqual(Set(registry.names),
                       ["greedy", "sample", "best-of-n", "rejection", "beam", "mcts-step", "mcts-token"])
        for name in registry.names {
            let budget = Budget.tokens(400)
            let context = try self.context(model, maxNewTokens: 8, budget: budget, value: head)
            let result = try registry.make(name).search(SearchProblem(id: "p", prompt: "Answer: 12"), in: context)
            XCTAssertGreaterThan(result.ledger.prefillTokens, 0, name)
            XCTAssertGreaterThan(result.ledger.policyFLOPs, 0, name)
            XCTAssertFalse(result.candidates.isEmpty, "\(name) returns its candidates")
            XCTAssertLessThanOrEqual(result.ledger.generatedTokens, 400, "\(name) never overshoots a token budget")
            XCTAssertEqual(result.ledger.verifierCalls, 0, "\(name) never calls the checker in verifier-hidden mode")
        }
    }

    func testFlopModelComesFromTheConfig() throws {
        let config = try load("llama-rope-llama3").config
        let flop = FlopModel(config: config)
        XCTAssertEqual(flop.hiddenSize, config.hiddenSize)
        XCTAssertEqual(flop.headDim, config.headDim)
        XCTAssertNotEqual(flop.headDim, config.hiddenSize / config.numAttentionHeads, "an explicit head_dim is kept")
        XCTAssertEqual(flop.kvHeads, config.numKeyValueHeads)
        XCTAssertEqual(flop.vocabSize, config.vocabSize)
        XCTAssertTrue(flop.gatedMLP)
    }

    func testChatPromptsAreEncodedWithoutAddingSpecialTokens() throws {
        let model = try load("qwen2-gqa-bias")
        let rendered = try model.renderChat("hi")
        let chat = try EnginePolicy(model: model, chat: true)
        XCTAssertEqual(try chat.encode(prompt: rendered), try model.encodePrompt("hi", chat: true))
        XCTAssertEqual(try EnginePolicy(model: model).encode(prompt: "hi"), try model.encodePrompt("hi", chat: false))
    }

    private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { $0.isInfinite && $1.isInfinite ? 0 : abs($0 - $1) }.max() ?? 0
    }
}
