import XCTest
@testable import PonderModel

final class GenerationTests: XCTestCase {
    func load(_ name: String) throws -> PretrainedModel {
        try PretrainedModel.load(directory: Fixtures.modelPath(name), validVocabularySize: 300)
    }

    func testSamplingReplaysExactlyFromASeed() throws {
        let model = try load("llama-sharded").model
        let options = GenerationOptions(maxNewTokens: 20, sampling: SamplingParameters(temperature: 1.2, topK: 50, topP: 0.9))
        func run(_ seed: UInt64) throws -> GenerationResult {
            var rng = SeededRNG(seed: seed)
            return try model.generate(prompt: [5, 6, 7], options: options, rng: &rng)
        }
        let first = try run(11), again = try run(11), other = try run(12)
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first.tokens, other.tokens)
    }

    /// Reported log-probabilities are those of the unmodified model, even when temperature and
    /// top-k reshape the distribution the token was drawn from.
    func testLogprobsAreUnderTheUnmodifiedDistribution() throws {
        let model = try load("qwen2-gqa-bias").model
        var rng = SeededRNG(seed: 3)
        let prompt = [10, 20, 30]
        let result = try model.generate(prompt: prompt, options: GenerationOptions(
            maxNewTokens: 6, sampling: SamplingParameters(temperature: 0.5, topK: 5)), rng: &rng)
        let full = try model.forward(tokens: prompt + result.tokens.dropLast(), cache: model.makeCache(), outputs: .all)
        for (i, token) in result.tokens.enumerated() {
            let logits = full.logits(row: prompt.count - 1 + i)
            let maximum = logits.max() ?? 0
            let logZ = maximum + Float(log(logits.reduce(0.0) { $0 + Double(expf($1 - maximum)) }))
            XCTAssertEqual(result.logprobs[i], logits[logits.startIndex + token] - logZ, accuracy: 1e-4, "token \(i)")
        }
    }

    func testStopsAtEOSAndIncludesIt() throws {
        let pretrained = try load("qwen2-gqa-bias")
        let expected = try Fixtures.expected("qwen2-gqa-bias")
        let stop = expected.greedy.tokens[3]
        XCTAssertFalse(expected.greedy.tokens.prefix(3).contains(stop), "fixture assumption")
        var rng = SeededRNG(seed: 0)
        let result = try pretrained.model.generate(
            prompt: expected.prompts[1], options: GenerationOptions(maxNewTokens: 32, stopTokenIds: [stop]), rng: &rng)
        XCTAssertEqual(result.stopReason, .eos)
        XCTAssertEqual(result.tokens, Array(expected.greedy.tokens.prefix(4)))
        XCTAssertEqual(result.logprobs.count, 4)
    }

    func testCallbackStreamsEveryTokenAndCanStop() throws {
        let model = try load("llama-rope-llama3").model
        var streamed: [GeneratedToken] = []
        var rng = SeededRNG(seed: 0)
        let result = try model.generate(prompt: [3, 4], options: GenerationOptions(maxNewTokens: 10), rng: &rng) { token in
            streamed.append(token)
            return token.index == 4 ? .stop(.stopString) : .proceed
        }
        XCTAssertEqual(result.stopReason, .stopString)
        XCTAssertEqual(result.tokens.count, 5)
        XCTAssertEqual(streamed.map(\.id), result.tokens)
        XCTAssertEqual(streamed.map(\.logprob), result.logprobs)
        XCTAssertEqual(streamed.map(\.index), Array(0..<5))
    }

    func testLimitsAndBadRequests() throws {
        let model = try load("qwen2-gqa-bias").model
        var rng = SeededRNG(seed: 0)
        let none = try model.generate(prompt: [1], options: GenerationOptions(maxNewTokens: 0), rng: &rng)
        XCTAssertEqual(none.tokens, [])
        XCTAssertEqual(none.stopReason, .maxTokens)
        assertThrows(ModelError.self, try model.generate(prompt: [], options: GenerationOptions(maxNewTokens: 3), rng: &rng)) {
            $0 == .emptyInput
        }
        let limit = model.config.maxPositionEmbeddings
        assertThrows(ModelError.self, try model.generate(prompt: [1, 2], options: GenerationOptions(maxNewTokens: limit), rng: &rng)) {
            $0 == .contextTooLong(needed: limit + 1, limit: limit)
        }
        // Exactly filling the context is allowed: the last token is never fed back.
        let fits = try model.generate(prompt: [1], options: GenerationOptions(maxNewTokens: 3), rng: &rng)
        XCTAssertEqual(fits.tokens.count, 3)
    }

    /// Padded rows (config vocab 320, tokenizer 300) are never produced, even when sampling
    /// hot; without the mask they would be reachable.
    func testPaddedVocabularyIsNeverSampled() throws {
        let masked = try load("qwen2-tied-bf16").model
        var rng = SeededRNG(seed: 5)
        let options = GenerationOptions(maxNewTokens: 60, sampling: SamplingParameters(temperature: 50))
        let result = try masked.generate(prompt: [1, 2, 3], options: options, rng: &rng)
        XCTAssertTrue(result.tokens.allSatisfy { $0 < 300 }, "\(result.tokens)")

        // The control run asks for the config's full vocabulary explicitly (by default the
        // tokenizer's size masks the padding).
        let unmasked = try PretrainedModel.load(directory: Fixtures.modelPath("qwen2-tied-bf16"),
                                                validVocabularySize: 320).model
        XCTAssertEqual(try PretrainedModel.load(directory: Fixtures.modelPath("qwen2-tied-bf16")).model.validVocabularySize, 300)
        XCTAssertEqual(unmasked.validVocabularySize, 320)
        var rng2 = SeededRNG(seed: 5)
        let wild = try unmasked.generate(prompt: [1, 2, 3], options: options, rng: &rng2)
        XCTAssertTrue(wild.tokens.contains { $0 >= 300 }, "the control run should reach padded ids")
        assertThrows(ModelError.self, try unmasked.withValidVocabularySize(321))
    }
}
