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
