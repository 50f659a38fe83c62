import Foundation
import XCTest
import PonderModel
@testable import PonderSearch

/// The shared decode path (`BatchCompletionSampler` over `SearchContext.generate`) on a
/// fixture checkpoint: batched prompts keep their own streams, so a prompt's samples are
/// what a search context of its seed draws alone (best-of-n's samples), and every FLOP the
/// ledger charges is one the engine reports.
final class BatchCompletionSamplerTests: XCTestCase {
    func load() throws -> PretrainedModel {
        try PretrainedModel.load(directory: EnginePolicyTests.models.appendingPathComponent("qwen2-gqa-bias").path)
    }

    func stops(_ model: PretrainedModel) -> StopConditions {
        StopConditions(eosTokenIDs: model.eosTokenIds, stopStrings: ["."], maxNewTokens: 10)
    }

    func testBatchedRequestsDrawWhatBestOfNDrawsAloneForTheSameSeed() throws {
        let model = try load()
        let sampling = SamplingParameters(temperature: 1)
        let sampler = BatchCompletionSampler(model: model, chat: false, sampling: sampling, stopConditions: stops(model))
        let prompts = ["Ponder: sample more", "or search?", "Answer: 12"]
        let seeds: [UInt64] = [11, 12, 13]
        let batch = try sampler.complete(zip(prompts, seeds).map { CompletionRequest(prompt: $0, samples: 4, seed: $1) })
        XCTAssertEqual(batch.lanes.map(\.count), [4, 4, 4])
        XCTAssertEqual(batch.ledger.prefillTokens,
                       try prompts.map { try model.encodePrompt($0, chat: false).count }.reduce(0, +),
                       "each prompt is computed once")
        for (index, (prompt, seed)) in zip(prompts, seeds).enumerated() {
            let policy = try EnginePolicy(model: model, maxNewTokens: 10)
            let context = try SearchContext(policy: policy, seed: seed, sampling: sampling,
                                            task: TaskHooks(answerExtractor: .after("Answer:")),
                                            stopConditions: stops(model))
            let result = try BestOfN(n: 4, fill: false).search(SearchProblem(id: "p", prompt: prompt), in: context)
            XCTAssertEqual(batch.lanes[index].map(\.text), result.candidates.map(\.text), prompt)
            XCTAssertEqual(batch.lanes[index].map(\.end), result.candidates.map(\.end), prompt)
            XCTAssertEqual(try sampler.sample(prompt, k: 4, seed: seed).map(\.tokens), batch.lanes[index].map(\.tokens),
                           "a prompt's samples do not depend on its batch")
        }
        XCTAssertTrue(batch.lanes.joined().allSatisfy(\.end.isTerminal))
    }

    func testTheLedgerChargesExactlyWhatTheEngineReports() throws {
        let model = try load()
        let policy = try EnginePolicy(model: model, maxNewTokens: 9)
        let context = try SearchContext(policy: policy, seed: 5, task: TaskHooks(answerExtractor: .after("Answer:")))
        let root = try context.policy.start(prompt: "Ponder: sample more, or search?")
        _ = try context.generate([GenerationRequest(root, lanes: 3)], until: .completion)
        XCTAssertGreaterThan(policy.engineFLOPs, 0)
        XCTAssertEqual(context.ledger.policyFLOPs, policy.engineFLOPs)
        XCTAssertEqual(policy.flopModel, FlopModel(config: model.config))
    }

    func testHiddenStatesAfterPrefixesEqualAPlainForward() throws {
        let model = try load()
        let sampler = BatchCompletionSampler(model: model, chat: false, sampling: SamplingParameters(temperature: 1),
                                             stopConditions: stops(model))
        let prompt = "Ponder: sample more"
        let batch = try sampler.complete([CompletionRequest(prompt: prompt, samples: 2, seed: 3)])
        let ids = try model.encodePrompt(prompt, chat: false)
        let items = batch.lanes[0].map { (request: 0, tokens: $0.tokens, cuts: [0, 2, 5]) }
        let states = try batch.hiddenStates(items)
        for (item, lane) in zip(states, batch.lanes[0]) {
            XCTAssertEqual(item.count, 3)
            for (state, cut) in zip(item, [0, 2, 5]) {
                let tokens = ids + lane.tokens.prefix(cut)
                let plain = try model.model.forward(tokens: tokens, cache: model.model.makeCache(), returnHiddenStates: true)
                let reference = try XCTUnwrap(plain.hiddenStates)
                let last = Array(reference.suffix(model.config.hiddenSize))
                XCTAssertLessThan(zip(state, last).map { abs($0 - $1) }.max() ?? .infinity, 1e-4)
            }
        }
    }
}
