/// A model plus a paged, prefix-sharing KV cache, serving many sequences at once.
///
/// Sequences are `SequenceHandle`s:
/// - `start()` makes an empty sequence; `start(prompt:)` makes one and computes its prompt.
/// - `fork(_:)` makes a child that shares every KV block of its parent. Nothing is copied:
///   the child's block table points at the parent's blocks (one reference count per block
///   goes up). The first write into a shared, partially filled block copies just that block
///   (copy-on-write), so parent and child never see each other's later tokens.
/// - `extend(_:tokens:)` appends tokens to any number of sequences in one batched forward
///   pass — prefill and decode mixed, sequences of different lengths — and returns the
///   logits (and optionally hidden states) after each one's last new token, with the tokens
///   computed and reused per handle (`ExtendResult`).
/// - `truncate(_:to:)` backs a sequence up (a rejected step); `release(_:)` frees it.
///
/// KV memory is capped (`EngineOptions.cacheLimit`); a call that would exceed it throws
/// `EngineError.cacheFull` before changing anything, so the caller can release sequences and
/// retry. Calls longer than `maxTokensPerPass` run as several passes (chunked prefill).
///
/// An engine is used from one thread at a time (it is not `Sendable`); its arithmetic is
/// spread over the model backend's worker pool.
public final class Engine {
    /// The model (weights are shared, read-only).
    public let model: TransformerModel
    /// The settings the engine was made with.
    public let options: EngineOptions
    /// The model's FLOP formula (the same one the search ledger charges), used for `ExtendResult.flops`.
    public let flopModel: FlopModel
    let pool: KVBlockPool
    let workspace: ForwardWorkspace
    let identity = EngineIdentity.next()

    /// One sequence's state: its block table and length.
    struct Record {
        var blocks: [Int32] = []
        var length = 0
        var generation: UInt32 = 0
        var live = false
    }
    var records: [Record] = []
    var freeSlots: [Int32] = []
    var liveCount = 0

    /// An engine over `model` with the given cache settings.
    public init(model: TransformerModel, options: EngineOptions = EngineOptions()) throws {
        let c = model.config
        guard options.blockSize >= 1 else { throw EngineError.invalidOptions("blockSize must be at least 1") }
        guard options.maxTokensPerPass >= 1 else { throw EngineError.invalidOptions("maxTokensPerPass must be at least 1") }
        let bytesPerBlock = KVBlockLayout.floatsPerBlock(layers: c.numHiddenLayers, blockSize: options.blockSize,
                                                        keyValueDim: c.keyValueDim) * MemoryLayout<Float>.stride
        let capacity: Int
        switch options.cacheLimit {
        case let .bytes(bytes): capacity = bytes / bytesPerBlock
        case let .tokens(tokens): capacity = (tokens + options.blockSize - 1) / options.blockSize
        }
        guard capacity >= 1 else {
            throw EngineError.invalidOptions("cacheLimit \(options.cacheLimit) holds no block of \(bytesPerBlock) bytes")
        }
        self.model = model
        self.options = options
        flopModel = FlopModel(config: c)
        pool = KVBlockPool(blockSize: options.blockSize, layerCount: c.numHiddenLayers, keyValueDim: c.keyValueDim,
                           capacity: capacity)
        workspace = model.makeWorkspace()
    }

    /// The KV cache's bookkeeping now.
    public var cacheUsage: KVCacheUsage {
        KVCacheUsage(blockSize: pool.blockSize, bytesPerBlock: pool.bytesPerBlock, capacityBlocks: pool.capacity,
                     blocksInUse: pool.inUseCount, blocksAllocated: pool.allocatedCount, sequences: liveCount)
    }

    /// A new, empty sequence (no computation, no memory until tokens arrive).
    public func start() -> SequenceHandle {
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            records.append(Record())
            slot = Int32(records.count - 1)
        }
        records[Int(slot)].live = true
        records[Int(slot)].length = 0
        liveCount += 1
        return SequenceHandle(engine: identity, slot: slot, generation: records[Int(slot)].generation)
    }

    /// A new sequence holding `prompt`, computed in one call (chunked if long). The result
    /// has the next-token logits after the prompt. On error no sequence is left behind.
    public func start(prompt: [Int], returnHiddenStates: Bool = false) throws -> (handle: SequenceHandle, result: ExtendResult) {
        let handle = start()
        do {
            let result = try extend([handle], tokens: [prompt], returnHiddenStates: returnHiddenStates)
            return (handle, result)
        } catch {
            try? release(handle)
            throw error
        }
    }

    /// A child of `handle` holding the same positions, sharing its KV blocks.
    ///
    /// Costs one reference-count increment per block (a 4,096-token context is 256 with
    /// 16-position blocks) and copies no keys or values.
    public func fork(_ handle: SequenceHandle) throws -> SequenceHandle {
        let parent = try record(handle)
        for block in parent.blocks { pool.retain(block) }
        let child = start()
        records[Int(child.slot)].blocks = parent.blocks  // shares the array storage until written
        records[Int(child.slot)].length = parent.length
        return child
    }

    /// Frees `handle`'s blocks (those no other sequence shares) and retires the handle.
    public func release(_ handle: SequenceHandle) throws {
        _ = try record(handle)
        let i = Int(handle.slot)
        for block in records[i].blocks { pool.release(block) }
        records[i].blocks.removeAll()
        records[i].length = 0
        records[i].live = false
        records[i].generation &+= 1
        freeSlots.append(handle.slot)
        liveCount -= 1
    }

    /// Positions `handle` holds (its next token's position).
    public func length(of handle: SequenceHandle) throws -> Int {
        try record(handle).length
    }

    /// Forgets `handle`'s positions from `length` on, so it continues at position `length`.
    /// Blocks wholly past the new end are released; a shared block that the next write lands
    /// in is copied then, as after a fork.
    public func truncate(_ handle: SequenceHandle, to length: Int) throws {
        let currentLength = try record(handle).length
        guard length >= 0, length <= currentLength else {
            throw EngineError.truncateBeyondEnd(length: currentLength, requested: length)
        }
        let i = Int(handle.slot)
        let keep = pool.blocks(for: length)
        for block in records[i].blocks[keep...] { pool.release(block) }
        records[i].blocks.removeLast(records[i].blocks.count - keep)
        records[i].length = length
    }

    /// Live sequences.
    public var sequenceCount: Int { liveCount }

    /// The record of a live handle of this engine.
    func record(_ handle: SequenceHandle) throws -> Record {
        let i = Int(handle.slot)
        guard handle.engine == identity, i >= 0, i < records.count, records[i].live,
              records[i].generation == handle.generation else {
            throw EngineError.unknownSequence(handle)
        }
        return records[i]
    }
}
