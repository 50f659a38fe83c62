/// The BPE model of a tokenizer.json: vocabulary, merge ranks and the options tokenizers'
/// `models/bpe` honours. Ports `BPE::tokenize`, `merge_word` and `Word::merge_all`.
struct BPEModel: Sendable {
    /// Token content → id.
    let vocab: [TokenKey: Int32]
    /// Packed pair `left << 32 | right` → packed `rank << 32 | mergedId`. Rank is the index
    /// in `model.merges`; a repeated pair keeps its last rank, as tokenizers' map insert does.
    let merges: [UInt64: UInt64]
    /// Emit a piece whole when it is already in the vocabulary (Llama-3 sets this).
    let ignoreMerges: Bool
    let unkId: Int32?
    let fuseUnk: Bool
    /// For each scalar below U+0144 (the whole byte-level alphabet): the id of the
    /// one-scalar token, or -1. Spares a String hash per symbol on the hot path.
    private let scalarIds: [Int32]

    /// Builds the model; `mergePairs` are the merges in file order, by content.
    init(vocab: [TokenKey: Int32], mergePairs: [(String, String)], ignoreMerges: Bool,
         unkToken: String?, fuseUnk: Bool, file: String) throws {
        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(mergePairs.count)
        for (rank, (left, right)) in mergePairs.enumerated() {
            guard let leftId = vocab[TokenKey(left)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(file: file, mergeIndex: rank, token: left)
            }
            guard let rightId = vocab[TokenKey(right)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(file: file, mergeIndex: rank, token: right)
            }
            let merged = left + right
            guard let mergedId = vocab[TokenKey(merged)] else {
                throw TokenizerError.mergeTokenNotInVocabulary(file: file, mergeIndex: rank, token: merged)
            }
            merges[Self.pack(leftId, rightId)] = UInt64(rank) << 32 | UInt64(UInt32(mergedId))
        }
        if let unkToken {
            guard let id = vocab[TokenKey(unkToken)] else {
                throw TokenizerError.tokenNotInVocabulary(file: file, field: "model.unk_token",
                                                          content: unkToken)
            }
            unkId = id
        } else {
            unkId = nil
        }
        var scalarIds = [Int32](repeating: -1, count: ByteLevelAlphabet.scalarLimit)
        for value in 0..<ByteLevelAlphabet.scalarLimit {
            if let scalar = Unicode.Scalar(UInt32(value)), let id = vocab[TokenKey(String(scalar))] {
                scalarIds[value] = id
            }
        }
        self.vocab = vocab
        self.merges = merges
        self.ignoreMerges = ignoreMerges
        self.fuseUnk = fuseUnk
        self.scalarIds = scalarIds
    }

    @inline(__always)
    static func pack(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func id(of scalar: Unicode.Scalar) -> Int32? {
        let value = Int(scalar.value)
        if value < scalarIds.count {
            let id = scalarIds[value]
            return id < 0 ? nil : id
        }
        return vocab[TokenKey(String(scalar))]
    }

    /// Appends the ids of one pre-tokenized piece.
    func tokenize(_ piece: String, into output: inout [Int], workspace: inout BPEWorkspace) {
        if piece.isEmpty { return }
        if ignoreMerges, let id = vocab[TokenKey(piece)] {
            output.append(Int(id))
            return
        }
        workspace.reset()
        // One symbol per scalar (never per Character: a combining mark after a space is a
        // separate symbol). A scalar outside the vocabulary becomes `unk` (fused with a
        // preceding unk when `fuse_unk`), or is dropped when there is no unk token, exactly
        // as tokenizers' `merge_word` does.
        var pendingUnk = false
        for scalar in piece.unicodeScalars {
            if let id = id(of: scalar) {
                if pendingUnk, let unkId { workspace.appendSymbol(unkId) }
                pendingUnk = false
                workspace.appendSymbol(id)
            } else if let unkId {
                if pendingUnk && !fuseUnk { workspace.appendSymbol(unkId) }
                pendingUnk = true
            }
        }
        if pendingUnk, let unkId { workspace.appendSymbol(unkId) }
        mergeAll(&workspace)
        for position in workspace.ids.indices where workspace.alive[position] {
            output.append(Int(workspace.ids[position]))
        }
    }

    /// Applies merges lowest rank first (leftmost on ties) until none applies.
    private func mergeAll(_ w: inout BPEWorkspace) {
        let count = w.ids.count
        guard count > 1 else { return }
        for position in 0..<(count - 1) {
            if let merge = merges[Self.pack(w.ids[position], w.ids[position + 1])] {
                w.push(rank: UInt32(merge >> 32), position: Int32(position),
                       newId: Int32(truncatingIfNeeded: merge))
            }
        }
        while let top = w.pop() {
            let position = Int(top.position)
            guard w.alive[position] else { continue }
            let right = Int(w.next[position])
            guard right >= 0 else { continue }
            // A stale entry: the pair at this position changed since it was queued.
            guard let current = merges[Self.pack(w.ids[position], w.ids[right])],
                  Int32(truncatingIfNeeded: current) == top.newId else { continue }
            w.ids[position] = top.newId
            w.alive[right] = false
            let afterRight = w.next[right]
            w.next[position] = afterRight
            if afterRight >= 0 { w.previous[Int(afterRight)] = Int32(position) }
            let left = Int(w.previous[position])
            if left >= 0, let merge = merges[Self.pack(w.ids[left], top.newId)] {
                w.push(rank: UInt32(merge >> 32), position: Int32(left),
                       newId: Int32(truncatingIfNeeded: merge))
            }
            if afterRight >= 0,
               let merge = merges[Self.pack(top.newId, w.ids[Int(afterRight)])] {
                w.push(rank: UInt32(merge >> 32), position: Int32(position),
                       newId: Int32(truncatingIfNeeded: merge))
            }
        }
    }
}

/// Scratch space for merging one piece: the symbols as a doubly linked list over an array and
/// a binary min-heap of candidate merges. One workspace is reused for all pieces of an
/// `encode` call so that merging allocates nothing per piece once warmed up.
struct BPEWorkspace {
    // symbols: [count] — token id, neighbours (-1 = none), and whether merged away.
    var ids: [Int32] = []
    var previous: [Int32] = []
    var next: [Int32] = []
    var alive: [Bool] = []

    /// Heap entries ordered by `key = rank << 32 | position` (lowest rank first, then the
    /// leftmost position, as tokenizers' `Merge` ordering), with the id the merge makes.
    private var heapKeys: [UInt64] = []
    private var heapNewIds: [Int32] = []

    mutating func reset() {
        ids.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        alive.removeAll(keepingCapacity: true)
        heapKeys.removeAll(keepingCapacity: true)
        heapNewIds.removeAll(keepingCapacity: true)
    }

    /// Appends a symbol at the end of the list.
    mutating func appendSymbol(_ id: Int32) {
        let position = Int32(ids.count)
        ids.append(id)
        previous.append(position - 1)
        next.append(-1)
        alive.append(true)
        if position > 0 { next[Int(position) - 1] = position }
    }

    var isHeapEmpty: Bool { heapKeys.isEmpty }

    mutating func push(rank: UInt32, position: Int32, newId: Int32) {
        heapKeys.append(UInt64(rank) << 32 | UInt64(UInt32(position)))
        heapNewIds.append(newId)
        var child = heapKeys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heapKeys[child] < heapKeys[parent] else { break }
            heapKeys.swapAt(child, parent)
            heapNewIds.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the lowest-rank, leftmost candidate merge.
    mutating func pop() -> (position: Int32, newId: Int32)? {
        guard let top = heapKeys.first else { return nil }
        let result = (Int32(truncatingIfNeeded: top & 0xFFFF_FFFF), heapNewIds[0])
        let lastKey = heapKeys.removeLast()
        let lastId = heapNewIds.removeLast()
        if !heapKeys.isEmpty {
            heapKeys[0] = lastKey
            heapNewIds[0] = lastId
            var parent = 0
            let count = heapKeys.count
            while true {
                let left = 2 * parent + 1
                guard left < count else { break }
                let right = left + 1
                let smaller = right < count && heapKeys[right] < heapKeys[left] ? right : left
                guard heapKeys[smaller] < heapKeys[parent] else { break }
                heapKeys.swapAt(smaller, parent)
                heapNewIds.swapAt(smaller, parent)
                parent = smaller
            }
        }
        return result
    }
}
