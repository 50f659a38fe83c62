import Foundation
import Synchronization

/// A sequence living in an `Engine`: an opaque, copyable name for its KV blocks and length.
///
/// Handles stay valid until `Engine.release`; using one afterwards (or with another engine)
/// throws `EngineError.unknownSequence` rather than touching a recycled sequence.
public struct SequenceHandle: Hashable, Sendable, CustomStringConvertible {
    let engine: UInt32
    let slot: Int32
    let generation: UInt32

    public var description: String { "sequence \(slot).\(generation)" }
}

/// Settings of an `Engine`.
public struct EngineOptions: Sendable, Equatable {
    /// Positions per KV block. Smaller blocks waste less on partial blocks and copy less on
    /// copy-on-write; larger ones mean shorter block tables. 16 is vLLM's default.
    public var blockSize: Int
    /// The most memory the KV cache may take; `extend` throws `EngineError.cacheFull` past it.
    public var cacheLimit: KVCacheLimit
    /// New tokens per forward pass. A call with more (long prompts, wide batches) runs in
    /// several passes, each appending to the cache, so scratch memory stays bounded.
    public var maxTokensPerPass: Int

    /// Defaults: 16-position blocks, a 2 GiB KV cache, 512 tokens per pass.
    public init(blockSize: Int = 16, cacheLimit: KVCacheLimit = .bytes(2 << 30), maxTokensPerPass: Int = 512) {
        self.blockSize = blockSize
        self.cacheLimit = cacheLimit
        self.maxTokensPerPass = maxTokensPerPass
    }
}

/// A snapshot of the KV cache's bookkeeping.
public struct KVCacheUsage: Sendable, Equatable {
    /// Positions per block.
    public let blockSize: Int
    /// Bytes per block (all layers' keys and values).
    public let bytesPerBlock: Int
    /// The cap, in blocks.
    public let capacityBlocks: Int
    /// Blocks held by at least one sequence.
    public let blocksInUse: Int
    /// Blocks allocated from the system so far (in use or free for reuse).
    public let blocksAllocated: Int
    /// Blocks that can still be handed out: `capacityBlocks − blocksInUse`.
    public var blocksAvailable: Int { capacityBlocks - blocksInUse }
    /// Live sequences.
    public let sequences: Int
}

/// Why an `Engine` call was refused. Every refusal happens before anything changes, so the
/// caller can fix the request (or free memory) and call again.
public enum EngineError: Error, Sendable, Equatable {
    /// The handle was released, or belongs to another engine.
    case unknownSequence(SequenceHandle)
    /// The same handle appears twice in one `extend`.
    case duplicateSequence(SequenceHandle)
    /// `extend` got a different number of token lists than handles.
    case countMismatch(handles: Int, tokenLists: Int)
    /// The KV cache cannot hold the new positions.
    case cacheFull(neededBlocks: Int, availableBlocks: Int, blockSize: Int, capacityBlocks: Int)
    /// `truncate` asked for a length beyond the sequence's.
    case truncateBeyondEnd(length: Int, requested: Int)
    /// An `EngineOptions` value is out of range.
    case invalidOptions(String)
}

extension EngineError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .unknownSequence(handle):
            return "\(handle) is not live in this engine (released, or made by another engine)"
        case let .duplicateSequence(handle):
            return "\(handle) appears twice in one extend call; give each sequence its tokens once"
        case let .countMismatch(handles, lists):
            return "extend got \(handles) handles but \(lists) token lists; pass one list per handle"
        case let .cacheFull(needed, available, blockSize, capacity):
            return "the KV cache is full: this call needs \(needed) more blocks of \(blockSize) positions but only \(available) of \(capacity) are free; release finished sequences and retry, or raise EngineOptions.cacheLimit"
        case let .truncateBeyondEnd(length, requested):
            return "cannot truncate a sequence of \(length) positions to \(requested); the length must be at most the current one"
        case let .invalidOptions(reason):
            return "invalid engine options: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

/// Engine identities, so a handle from one engine is refused by another.
enum EngineIdentity {
    static let counter = Atomic<UInt32>(0)
    static func next() -> UInt32 { counter.wrappingAdd(1, ordering: .relaxed).newValue }
}
