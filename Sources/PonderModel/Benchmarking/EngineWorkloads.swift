/// The engine workloads `ponder bench` and `Benchmarks/` time: prefill, batched decode and a
/// search-tree workload with and without forking. Each returns raw measurements; rooflines
/// and reporting live with the callers.
public struct EngineWorkloads {
    /// The engine under test.
    public let engine: Engine
    /// Seeds the token streams (timing does not depend on which tokens).
    public var seed: UInt64 = 7

    /// Workloads on `engine`.
    public init(engine: Engine) { self.engine = engine }

    var vocabulary: Int { engine.model.validVocabularySize }

    /// `count` random token ids from a stream derived from `labels`.
    func tokens(_ count: Int, _ labels: UInt64...) -> [Int] {
        var rng = SeededRNG(seed: seed)
        for label in labels { rng = SeededRNG.derived(seed: rng.next(), label) }
        return (0..<count).map { _ in rng.nextInt(below: vocabulary) }
    }

    /// Seconds to prefill a fresh `length`-token prompt, one value per repeat (the sequence is
    /// released after each).
    public func prefill(length: Int, repeats: Int) throws -> [Double] {
        try (0..<repeats).map { r in
            let prompt = tokens(length, 1, UInt64(r))
            var handle: SequenceHandle?
            let seconds = try MachineLimits.time { handle = try engine.start(prompt: prompt).handle }
            if let handle { try engine.release(handle) }
            return seconds
        }
    }

    /// Seconds per decode step of `batch` independent sequences (each prefilled with its own
    /// `context`-token prompt, untimed), one value per timed step after `warmup` steps.
    public func decode(batch: Int, context: Int, steps: Int, warmup: Int = 2) throws -> [Double] {
        let handles = (0..<batch).map { _ in engine.start() }
        defer { for handle in handles { try? engine.release(handle) } }
        var result = ExtendResult()
        try engine.extend(handles, tokens: (0..<batch).map { tokens(context, 2, UInt64($0)) }, into: &result)
        var next = [Int](repeating: 0, count: batch)
        var times: [Double] = []
        times.reserveCapacity(steps)
        for step in 0..<(warmup + steps) {
            for i in 0..<batch { next[i] = (step * 7919 + i * 104_729) % vocabulary }
            let seconds = try MachineLimits.time { try engine.extend(handles, nextTokens: next, into: &result) }
            if step >= warmup { times.append(seconds) }
        }
        return times
    }

    /// A search tree measured both ways.
    public struct TreeRun: Sendable, Encodable {
        /// Tokens run through the model.
        public var computedTokens: Int
        /// Wall-clock seconds.
        public var seconds: Double
        /// Logits after the last level (to check that both ways agree).
        public var finalLogits: [Float]

        enum CodingKeys: String, CodingKey {
            case computedTokens = "computed_tokens", seconds
        }
    }

    /// A beam-like search tree: a `prompt`-token root, then `depth` levels of `width` nodes,
    /// each node a child of a node of the level above (chosen by a seeded draw) extended by
    /// `step` tokens decoded one at a time, the level's nodes batched together. `forked`
    /// forks each child from its parent's cache; otherwise every node re-encodes its whole
    /// prefix first, as a engine without prefix sharing would.
    public func tree(depth: Int, width: Int, step: Int, prompt: Int, forked: Bool) throws -> TreeRun {
        var rng = SeededRNG(seed: seed &+ 99)
        let root = tokens(prompt, 3)
        var computed = 0
        var result = ExtendResult()
        var lastLogits: [Float] = []
        let seconds = try MachineLimits.time {
            // Each node: its handle and its full token sequence.
            var level: [(handle: SequenceHandle, sequence: [Int])] = []
            if forked {
                let (handle, first) = try engine.start(prompt: root)
                computed += first.totalComputedTokens
                level = [(handle, root)]
            } else {
                level = [(engine.start(), root)]  // computed by each first-level child
            }
            for d in 0..<depth {
                let parents = (0..<width).map { _ in d == 0 ? 0 : rng.nextInt(below: level.count) }
                var children: [(handle: SequenceHandle, sequence: [Int])] = []
                for p in parents {
                    let handle = forked ? try engine.fork(level[p].handle) : engine.start()
                    children.append((handle, level[p].sequence))
                }
                for node in level { try engine.release(node.handle) }
                if !forked {  // re-encode every child's prefix, batched
                    try engine.extend(children.map(\.handle), tokens: children.map(\.sequence), into: &result)
                    computed += result.totalComputedTokens
                }
                let handles = children.map(\.handle)
                var next = [Int](repeating: 0, count: width)
                for t in 0..<step {
                    for i in 0..<width {
                        next[i] = tokens(1, 4, UInt64(d), UInt64(parents[i]), UInt64(i), UInt64(t))[0]
                        children[i].sequence.append(next[i])
                    }
                    try engine.extend(handles, nextTokens: next, into: &result)
                    computed += result.totalComputedTokens
                }
                level = children
            }
            lastLogits = Array(result.logits)
            for node in level { try engine.release(node.handle) }
        }
        return TreeRun(computedTokens: computed, seconds: seconds, finalLogits: lastLogits)
    }
}

extension MachineLimits {
    /// Seconds `body` takes, rethrowing its error.
    static func time(_ body: () throws -> Void) throws -> Double {
        var failure: (any Error)?
        let seconds = time { do { try body() } catch { failure = error } }
        if let failure { throw failure }
        return seconds
    }
}
