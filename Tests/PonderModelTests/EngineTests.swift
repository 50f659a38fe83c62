import XCTest
@testable import PonderModel

/// The engine's batched, forked, chunked and truncated paths against the plain
/// single-sequence path (`TransformerModel.forward` on a contiguous cache).
final class EngineTests: XCTestCase {
    static let tolerance: Float = 1e-5

    func loadModel(_ name: String = "qwen2-gqa-bias") throws -> TransformerModel {
        try TransformerModel.load(directory: Fixtures.modelPath(name))
    }

    /// Next-token logits of `tokens` computed alone from scratch.
    func plain(_ model: TransformerModel, _ tokens: [Int], hidden: Bool = false) throws -> ForwardResult {
        try model.forward(tokens: tokens, cache: model.makeCache(), returnHiddenStates: hidden)
    }

    func testBatchedMixedPrefillAndDecodeEqualsPlainPath() throws {
        for name in ["qwen2-gqa-bias", "llama-rope-llama3"] {
            let model = try loadModel(name)
            // Block size 4 so sequences span several blocks and partial ones.
            let engine = try Engine(model: model, options: EngineOptions(blockSize: 4))
            let a = [5, 17, 42, 99, 7, 8, 9], b = [250, 3], c = Array(1...21)
            let (ha, _) = try engine.start(prompt: a)
            let (hb, _) = try engine.start(prompt: b)
            let hc = engine.start()
            // One pass: a decodes one token, b adds three, c prefills 21 from empty.
            let step = try engine.extend([ha, hb, hc], tokens: [[60], [4, 5, 6], c], returnHiddenStates: true)
            let expected = [a + [60], b + [4, 5, 6], c]
            XCTAssertEqual(step.passes, 1)
            for i in 0..<3 {
                let reference = try plain(model, expected[i], hidden: true)
                XCTAssertLessThan(maxAbsDifference(step.logits(i), reference.lastLogits), Self.tolerance, "\(name) \(i)")
                XCTAssertLessThan(maxAbsDifference(step.hiddenState(i), try XCTUnwrap(reference.hiddenStates)),
                                  Self.tolerance, "\(name) hidden \(i)")
            }
            XCTAssertEqual(step.computedTokens, [1, 3, 21])
            XCTAssertEqual(step.reusedTokens, [7, 2, 0])
            XCTAssertEqual(try engine.length(of: hb), 5)
        }
    }

    func testForkSharesBlocksAndCopiesOnWrite() throws {
        let model = try loadModel()
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4))
        let prompt = [11, 12, 13, 14, 15, 16]  // one full block and a partial one (2 of 4)
        let (parent, _) = try engine.start(prompt: prompt)
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 2)
        let child = try engine.fork(parent)
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 2, "a fork shares blocks, it copies none")
        XCTAssertEqual(try engine.length(of: child), prompt.count)

        // The child writes first into the shared partial block: that block is copied.
        let childStep = try engine.extend([child], tokens: [[40]])
        XCTAssertEqual(childStep.copiedBlocks, 1)
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 3)
        XCTAssertLessThan(maxAbsDifference(childStep.logits(0), try plain(model, prompt + [40]).lastLogits), Self.tolerance)
        // The parent then writes a different token at the same position: no copy (it is the
        // block's only holder now), and the child's position 6 must survive it.
        let parentStep = try engine.extend([parent], tokens: [[77, 78]])
        XCTAssertEqual(parentStep.copiedBlocks, 0)
        XCTAssertLessThan(maxAbsDifference(parentStep.logits(0), try plain(model, prompt + [77, 78]).lastLogits),
                          Self.tolerance)
        let childNext = try engine.extend([child], tokens: [[41]])
        XCTAssertLessThan(maxAbsDifference(childNext.logits(0), try plain(model, prompt + [40, 41]).lastLogits),
                          Self.tolerance, "the parent's write leaked into the child's copy")

        // Forks of forks, extended together in one batch with the parent.
        let grandchild = try engine.fork(child)
        let batch = try engine.extend([parent, child, grandchild], tokens: [[1], [2], [3, 4]])
        let expected = [prompt + [77, 78, 1], prompt + [40, 41, 2], prompt + [40, 41, 3, 4]]
        for i in 0..<3 {
            XCTAssertLessThan(maxAbsDifference(batch.logits(i), try plain(model, expected[i]).lastLogits), Self.tolerance)
        }
    }

    func testParentWritingFirstLeavesForkIntact() throws {
        let model = try loadModel("llama-rope-llama3")
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 8))
        let prompt = [3, 1, 4, 1, 5]
        let (parent, _) = try engine.start(prompt: prompt)
        let children = try (0..<3).map { _ in try engine.fork(parent) }
        let step = try engine.extend([parent], tokens: [[9, 2, 6]])
        XCTAssertEqual(step.copiedBlocks, 1, "the parent copies the block it shares with its children")
        let after = try engine.extend(children, tokens: [[7], [8], [9, 9]])
        let expected = [prompt + [7], prompt + [8], prompt + [9, 9]]
        for i in 0..<3 {
            XCTAssertLessThan(maxAbsDifference(after.logits(i), try plain(model, expected[i]).lastLogits), Self.tolerance)
        }
    }

    func testChunkedPassesEqualOnePass() throws {
        let model = try loadModel("llama-sharded")
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4, maxTokensPerPass: 5))
        let long = Array(10..<33), short = [7, 8]
        let (other, _) = try engine.start(prompt: [1, 2, 3])
        let fresh = engine.start()
        let result = try engine.extend([fresh, other], tokens: [long, short], returnHiddenStates: true)
        XCTAssertEqual(result.passes, 5, "25 tokens in passes of 5")
        let reference = try plain(model, long, hidden: true)
        XCTAssertLessThan(maxAbsDifference(result.logits(0), reference.lastLogits), Self.tolerance)
        XCTAssertLessThan(maxAbsDifference(result.hiddenState(0), try XCTUnwrap(reference.hiddenStates)), Self.tolerance)
        XCTAssertLessThan(maxAbsDifference(result.logits(1), try plain(model, [1, 2, 3] + short).lastLogits), Self.tolerance)
    }

    func testTruncateThenContinue() throws {
        let model = try loadModel()
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4))
        let (handle, _) = try engine.start(prompt: Array(20..<31))  // 11 positions, 3 blocks
        let fork = try engine.fork(handle)
        try engine.truncate(handle, to: 6)
        XCTAssertEqual(try engine.length(of: handle), 6)
        let step = try engine.extend([handle], tokens: [[99, 98]])
        XCTAssertEqual(step.copiedBlocks, 1, "the shared block holding position 6 is copied before the write")
        XCTAssertLessThan(maxAbsDifference(step.logits(0), try plain(model, Array(20..<26) + [99, 98]).lastLogits),
                          Self.tolerance)
        let forkStep = try engine.extend([fork], tokens: [[5]])
        XCTAssertLessThan(maxAbsDifference(forkStep.logits(0), try plain(model, Array(20..<31) + [5]).lastLogits),
                          Self.tolerance)
        assertThrows(EngineError.self, try engine.truncate(handle, to: 9)) {
            $0 == .truncateBeyondEnd(length: 8, requested: 9)
        }
    }

    func testReleaseRestoresEveryBlock() throws {
        let model = try loadModel()
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4))
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 0)
        let (root, _) = try engine.start(prompt: Array(1...10))
        var handles = [root]
        for _ in 0..<4 { handles.append(try engine.fork(root)) }
        _ = try engine.extend(Array(handles.dropFirst()), tokens: [[1], [2, 3], [4, 5, 6, 7, 8], [9]])
        XCTAssertGreaterThan(engine.cacheUsage.blocksInUse, 3)
        // Releasing the root first must not free blocks its forks still hold.
        try engine.release(root)
        let survivor = handles[2]
        let step = try engine.extend([survivor], tokens: [[50]])
        XCTAssertLessThan(maxAbsDifference(step.logits(0), try plain(model, Array(1...10) + [2, 3, 50]).lastLogits),
                          Self.tolerance)
        for handle in handles.dropFirst() { try engine.release(handle) }
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 0, "no block leaks after every sequence is released")
        XCTAssertEqual(engine.cacheUsage.blocksAvailable, engine.cacheUsage.capacityBlocks)
        XCTAssertEqual(engine.sequenceCount, 0)
        assertThrows(EngineError.self, try engine.extend([root], tokens: [[1]])) { $0 == .unknownSequence(root) }
        assertThrows(EngineError.self, try engine.release(root))
        // Recycled blocks serve new sequences without allocating more.
        let allocated = engine.cacheUsage.blocksAllocated
        _ = try engine.start(prompt: Array(1...8))
        XCTAssertEqual(engine.cacheUsage.blocksAllocated, allocated)
    }

    func testCacheCapIsARecoverableError() throws {
        let model = try loadModel()
        // 32 tokens in blocks of 4: 8 blocks.
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4, cacheLimit: .tokens(32)))
        XCTAssertEqual(engine.cacheUsage.capacityBlocks, 8)
        let (first, _) = try engine.start(prompt: Array(1...18))  // 5 blocks, the last half full
        let waiting = engine.start()
        let error = assertThrows(EngineError.self, try engine.extend([waiting], tokens: [Array(1...20)])) {
            $0 == .cacheFull(neededBlocks: 5, availableBlocks: 3, blockSize: 4, capacityBlocks: 8)
        }
        XCTAssertTrue(error.map { "\($0)".contains("release") } ?? false, "the message says how to recover")
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 5, "a refused call changes nothing")
        XCTAssertEqual(try engine.length(of: waiting), 0)
        // Copy-on-write needs a block too: with the cache full, writing into a shared
        // partial block is refused.
        let fork = try engine.fork(first)
        _ = try engine.extend([fork], tokens: [Array(1...10)])  // a copy of the shared block + 2 new
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 8)
        let sibling = try engine.fork(first)
        assertThrows(EngineError.self, try engine.extend([first], tokens: [[1]])) {
            $0 == .cacheFull(neededBlocks: 1, availableBlocks: 0, blockSize: 4, capacityBlocks: 8)
        }
        try engine.release(fork)
        try engine.release(sibling)
        let retried = try engine.extend([waiting], tokens: [Array(1...12)])
        XCTAssertLessThan(maxAbsDifference(retried.logits(0), try plain(model, Array(1...12)).lastLogits), Self.tolerance)
        assertThrows(EngineError.self, try Engine(model: model, options: EngineOptions(cacheLimit: .bytes(10))))
    }

    func testBadRequestsChangeNothing() throws {
        let model = try loadModel()
        let engine = try Engine(model: model, options: EngineOptions(blockSize: 4))
        let (a, _) = try engine.start(prompt: [1, 2, 3])
        let b = engine.start()
        assertThrows(EngineError.self, try engine.extend([a, a], tokens: [[1], [2]])) { $0 == .duplicateSequence(a) }
        assertThrows(EngineError.self, try engine.extend([a, b], tokens: [[1]])) {
            $0 == .countMismatch(handles: 2, tokenLists: 1)
        }
        assertThrows(ModelError.self, try engine.extend([a, b], tokens: [[1], [300]])) {
            $0 == .invalidTokenID(300, vocabularySize: 300)
        }
        assertThrows(ModelError.self, try engine.extend([a, b], tokens: [[1], []])) { $0 == .emptyInput }
        let long = [Int](repeating: 1, count: model.config.maxPositionEmbeddings)
        assertThrows(ModelError.self, try engine.extend([a], tokens: [long])) {
            if case .contextTooLong = $0 { return true } else { return false }
        }
        XCTAssertEqual(try engine.length(of: a), 3)
        XCTAssertEqual(try engine.length(of: b), 0)
        XCTAssertEqual(engine.cacheUsage.blocksInUse, 1)
        let other = try Engine(model: model)
        assertThrows(EngineError.self, try other.fork(a)) { $0 == .unknownSequence(a) }
        XCTAssertThrowsError(try engine.start(prompt: [1000]))
        XCTAssertEqual(engine.sequenceCount, 2, "a failed start leaves no sequence behind")
    }

    func testComputeAccounting() throws {
        let model = try loadModel()
        let engine = try Engine(model: model)
        let (root, started) = try engine.start(prompt: [1, 2, 3, 4])
        XCTAssertEqual(started.totalComputedTokens, 4)
        XCTAssertEqual(started.totalReusedTokens, 0)
        XCTAssertEqual(started.totalAttendedPositions, 1 + 2 + 3 + 4)
        let child = try engine.fork(root)
        let step = try engine.extend([root, child], tokens: [[5], [6, 7]])
        XCTAssertEqual(step.computedTokens, [1, 2])
        XCTAssertEqual(step.reusedTokens, [4, 4])
        XCTAssertEqual(step.attendedPositions, [5, 5 + 6])
        let cost = FlopModel(config: model.config)
        XCTAssertEqual(step.flops, cost.flops(computedTokens: 3, outputRows: 2, attendedPositions: 16))
        XCTAssertEqual(engine.flopModel, cost)
        let c = model.config
        let perLayer = c.hiddenSize * c.queryDim * 2 + 2 * c.hiddenSize * c.keyValueDim + 3 * c.hiddenSize * c.intermediateSize
        XCTAssertEqual(cost.blockMatmulFLOPsPerToken, Double(2 * perLayer * c.numHiddenLayers))
        XCTAssertEqual(cost.attentionFLOPsPerPosition, Double(4 * c.numHiddenLayers * c.numAttentionHeads * c.headDim))
    }
}
