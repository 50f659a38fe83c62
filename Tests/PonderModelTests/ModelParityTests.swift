import XCTest
@testable import PonderModel

/// The engine against transformers' reference outputs for every fixture model (see
/// Tests/Fixtures/models/README.md). The same tolerance holds for bf16/f16 checkpoints because
/// their references were computed from the stored (rounded) weights upcast to fp32.
final class ModelParityTests: XCTestCase {
    /// Largest allowed |logit − reference| (fp32 summation order differs from PyTorch's).
    static let logitTolerance: Float = 1e-4

    func testLogitsMatchTransformersAtEveryRecordedPosition() throws {
        for name in Fixtures.modelNames {
            let expected = try Fixtures.expected(name)
            let model = try TransformerModel.load(directory: Fixtures.modelPath(name),
                                                  validVocabularySize: expected.validVocab)
            for (index, prompt) in expected.prompts.enumerated() {
                let result = try model.forward(tokens: prompt, cache: model.makeCache(), outputs: .all)
                XCTAssertEqual(result.rows, prompt.count)
                for row in expected.logits where row.prompt == index {
                    let ours = result.logits(row: row.position)
                    let worst = maxAbsDifference(ours.prefix(expected.validVocab), row.values)
                    XCTAssertLessThan(worst, Self.logitTolerance, "\(name) prompt \(index) position \(row.position)")
                    // Padded vocabulary rows (config vocab_size > tokenizer) are masked out.
                    XCTAssertTrue(ours.dropFirst(expected.validVocab).allSatisfy { $0 == -.infinity }, name)
                }
            }
        }
    }

    func testGreedyContinuationsAndLogprobsMatch() throws {
        for name in Fixtures.modelNames {
            let expected = try Fixtures.expected(name)
            let model = try TransformerModel.load(directory: Fixtures.modelPath(name),
                                                  validVocabularySize: expected.validVocab)
            var rng = SeededRNG(seed: 0)
            let result = try model.generate(prompt: expected.prompts[expected.greedy.prompt],
                                            options: GenerationOptions(maxNewTokens: expected.greedy.tokens.count),
                                            rng: &rng)
            XCTAssertEqual(result.tokens, expected.greedy.tokens, name)
            XCTAssertEqual(result.stopReason, .maxTokens)
            XCTAssertLessThan(maxAbsDifference(result.logprobs, expected.greedy.logprobs), Self.logitTolerance, name)
        }
    }

    func testFinalHiddenStateMatches() throws {
        for name in Fixtures.modelNames {
            let expected = try Fixtures.expected(name)
            let model = try TransformerModel.load(directory: Fixtures.modelPath(name))
            let result = try model.forward(tokens: expected.prompts[expected.greedy.prompt], cache: model.makeCache(),
                                           returnHiddenStates: true)
            let hidden = try XCTUnwrap(result.hiddenStates)
            XCTAssertEqual(hidden.count, model.config.hiddenSize)
            XCTAssertLessThan(maxAbsDifference(hidden, expected.hidden), Self.logitTolerance, name)
        }
    }

    func testRotaryFrequenciesMatchTransformers() throws {
        for name in Fixtures.modelNames {
            let expected = try Fixtures.expected(name)
            let config = try ModelConfig.load(path: Fixtures.modelPath(name) + "/config.json")
            let ours = RotaryEmbedding(config: config).inverseFrequencies
            XCTAssertEqual(ours.count, expected.invFreq.count, name)
            for (a, b) in zip(ours, expected.invFreq) {
                XCTAssertEqual(a, b, accuracy: max(abs(b), 1e-30) * 1e-6, name)
            }
        }
    }

    /// Decoding token by token through the KV cache gives the logits of a full recompute.
    func testCachedDecodingEqualsFullRecompute() throws {
        let expected = try Fixtures.expected("qwen2-gqa-bias")
        let model = try TransformerModel.load(directory: Fixtures.modelPath("qwen2-gqa-bias"))
        let sequence = expected.prompts[1] + expected.greedy.tokens.prefix(8)
        let full = try model.forward(tokens: sequence, cache: model.makeCache(), outputs: .all)

        let cache = model.makeCache(capacity: 4)  // small, so decoding also exercises growth
        let workspace = model.makeWorkspace()
        let prefix = 5
        var step = try model.forward(tokens: Array(sequence.prefix(prefix)), cache: cache, workspace: workspace)
        XCTAssertLessThan(maxAbsDifference(step.lastLogits, full.logits(row: prefix - 1)), 1e-5)
        for position in prefix..<sequence.count {
            step = try model.forward(tokens: [sequence[position]], cache: cache, workspace: workspace)
            XCTAssertEqual(cache.count, position + 1)
            // The two paths sum in different orders (a streaming kernel for one row, sgemm for
            // the whole sequence), so the bound is relative to the logits' size: 1e-5 at |logit| ≤ 1.
            let scale = max(1, full.logits(row: position).map(abs).max() ?? 1)
            XCTAssertLessThan(maxAbsDifference(step.lastLogits, full.logits(row: position)), 1e-5 * scale,
                              "position \(position)")
        }
    }

    /// Prefill in small chunks (each attending to the previous ones through the cache) gives
    /// the logits and hidden states of one pass.
    func testChunkedPrefillEqualsOnePass() throws {
        let expected = try Fixtures.expected("llama-sharded")
        let model = try TransformerModel.load(directory: Fixtures.modelPath("llama-sharded"))
        let prompt = expected.prompts[2]
        let whole = try model.forward(tokens: prompt, cache: model.makeCache(), outputs: .all, returnHiddenStates: true)
        let chunked = try model.forward(tokens: prompt, cache: model.makeCache(), outputs: .all,
                                        returnHiddenStates: true, prefillChunkSize: 7)
        XCTAssertEqual(chunked.rows, prompt.count)
        XCTAssertLessThan(maxAbsDifference(chunked.logits, whole.logits), 1e-5)
        XCTAssertLessThan(maxAbsDifference(try XCTUnwrap(chunked.hiddenStates), try XCTUnwrap(whole.hiddenStates)), 1e-5)
        let lastOnly = try model.forward(tokens: prompt, cache: model.makeCache(), prefillChunkSize: 5)
        XCTAssertEqual(lastOnly.rows, 1)
        XCTAssertLessThan(maxAbsDifference(lastOnly.lastLogits, whole.logits(row: prompt.count - 1)), 1e-5)
        // A bad token in a late chunk is refused before the first chunk touches the cache.
        let cache = model.makeCache()
        XCTAssertThrowsError(try model.forward(tokens: prompt + [10_000], cache: cache, prefillChunkSize: 4))
        XCTAssertEqual(cache.count, 0)
    }

    /// A batched `extend` over several sequences equals running each alone, and forking or
    /// trimming a cache continues exactly where the original would.
    func testBatchedExtendForkAndTrim() throws {
        let model = try TransformerModel.load(directory: Fixtures.modelPath("llama-rope-llama3"))
        let a = [5, 17, 42, 99, 7], b = [250, 3], c = [11]
        let alone = try [a, b, c].map { try model.forward(tokens: $0, cache: model.makeCache()).logits }

        let caches = [model.makeCache(), model.makeCache(), model.makeCache()]
        let batched = try model.extend(zip(caches, [a, b, c]).map { SequenceExtension(cache: $0, tokens: $1) },
                                       workspace: model.makeWorkspace())
        for i in 0..<3 { XCTAssertLessThan(maxAbsDifference(batched[i].logits, alone[i]), 1e-5) }

        // Continue sequence a in a fork and in a trimmed-and-replayed copy.
        let fork = caches[0].fork()
        let next = try model.forward(tokens: [60], cache: fork).logits
        let reference = try model.forward(tokens: a + [60], cache: model.makeCache()).logits
        XCTAssertLessThan(maxAbsDifference(next, reference), 1e-5)
        XCTAssertEqual(caches[0].count, a.count, "forking must not change the original")

        caches[1].trim(to: 1)
        let replay = try model.forward(tokens: [3], cache: caches[1]).logits
        XCTAssertLessThan(maxAbsDifference(replay, alone[1]), 1e-5)
    }

    func testBadTokensAndContextAreTypedErrors() throws {
        let model = try TransformerModel.load(directory: Fixtures.modelPath("qwen2-gqa-bias"))
        let cache = model.makeCache()
        assertThrows(ModelError.self, try model.forward(tokens: [300], cache: cache)) {
            $0 == .invalidTokenID(300, vocabularySize: 300)
        }
        assertThrows(ModelError.self, try model.forward(tokens: [-1], cache: cache))
        assertThrows(ModelError.self, try model.forward(tokens: [], cache: cache)) { $0 == .emptyInput }
        XCTAssertEqual(cache.count, 0, "a rejected request must not touch the cache")
        let tooLong = [Int](repeating: 1, count: model.config.maxPositionEmbeddings + 1)
        assertThrows(ModelError.self, try model.forward(tokens: tooLong, cache: cache)) {
            if case .contextTooLong = $0 { return true } else { return false }
        }
        let other = KVCache(layerCount: 3, keyValueDim: 16)
        assertThrows(ModelError.self, try model.forward(tokens: [1], cache: other)) {
            if case .cacheMismatch = $0 { return true } else { return false }
        }
    }
}
