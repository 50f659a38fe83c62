/// A ranked set of next-token candidates: what the sampling chain and every search strategy
/// work on (the llama.cpp `llama_token_data_array` idea), rather than a single token.
///
/// `logprobs` are natural-log probabilities of the *current* (possibly processed)
/// distribution; `modelLogprobs` keep the unmodified model's log-probabilities of the same
/// ids, which generation reports and which ledgers and priors use.
public struct Candidates: Sendable, Equatable {
    /// Token ids, sorted by decreasing `logprobs` when `isSorted` is true.
    public var ids: [Int]
    /// Log-probabilities after processing, renormalized over `ids`.
    public var logprobs: [Float]
    /// Log-probabilities under the unmodified model distribution (same order as `ids`).
    public var modelLogprobs: [Float]
    /// Whether `ids` are in decreasing order of `logprobs`.
    public var isSorted: Bool

    /// Builds the full candidate set from raw logits (log-softmax over all entries).
    /// Entries at or above `validCount` (padding rows beyond the tokenizer's vocabulary)
    /// are dropped so that no strategy can pick an undecodable token.
    public init(logits: UnsafeBufferPointer<Float>, validCount: Int? = nil) {
        let n = min(validCount ?? logits.count, logits.count)
        var maxLogit = -Float.infinity
        for i in 0..<n where logits[i] > maxLogit { maxLogit = logits[i] }
        var sum: Double = 0
        for i in 0..<n { sum += Double(expf(logits[i] - maxLogit)) }
        let logZ = maxLogit + Float(log(sum))
        var lp = [Float](repeating: 0, count: n)
        for i in 0..<n { lp[i] = logits[i] - logZ }
        ids = Array(0..<n)
        logprobs = lp
        modelLogprobs = lp
        isSorted = false
    }

    /// Builds a candidate set from explicit ids and log-probabilities (tabular policies, tests).
    public init(ids: [Int], logprobs: [Float]) {
        precondition(ids.count == logprobs.count, "ids and logprobs must have the same count")
        self.ids = ids
        self.logprobs = logprobs
        self.modelLogprobs = logprobs
        self.isSorted = false
    }

    /// The number of candidates left.
    public var count: Int { ids.count }

    /// Sorts by decreasing processed log-probability (ties by smaller id, so order is stable).
    public mutating func sort() {
        guard !isSorted else { return }
        let order = ids.indices.sorted { a, b in
            logprobs[a] != logprobs[b] ? logprobs[a] > logprobs[b] : ids[a] < ids[b]
        }
        ids = order.map { ids[$0] }
        logprobs = order.map { logprobs[$0] }
        modelLogprobs = order.map { modelLogprobs[$0] }
        isSorted = true
    }

    /// Keeps the first `k` entries (call after `sort()`), then renormalizes.
    public mutating func truncate(to k: Int) {
        guard k < ids.count else { return }
        ids.removeSubrange(k...)
        logprobs.removeSubrange(k...)
        modelLogprobs.removeSubrange(k...)
        renormalize()
    }

    /// Renormalizes `logprobs` so that they sum to one in probability space.
    public mutating func renormalize() {
        guard let maxLP = logprobs.max(), maxLP.isFinite else { return }
        var sum: Double = 0
        for lp in logprobs { sum += Double(expf(lp - maxLP)) }
        let logZ = maxLP + Float(log(sum))
        for i in logprobs.indices { logprobs[i] -= logZ }
    }

    /// The candidate with the highest processed log-probability (smallest id on ties).
    public var argmax: (id: Int, modelLogprob: Float)? {
        guard !ids.isEmpty else { return nil }
        var best = 0
        for i in 1..<ids.count
        where logprobs[i] > logprobs[best] || (logprobs[i] == logprobs[best] && ids[i] < ids[best]) {
            best = i
        }
        return (ids[best], modelLogprobs[best])
    }

    /// Draws one candidate from the processed distribution with an explicit RNG.
    public func sample(using rng: inout SeededRNG) -> (id: Int, modelLogprob: Float)? {
        guard let maxLP = logprobs.max() else { return nil }
        var weights = [Double](repeating: 0, count: ids.count)
        var total: Double = 0
        for i in ids.indices {
            let w = Double(expf(logprobs[i] - maxLP))
            weights[i] = w
            total += w
        }
        var u = rng.nextDouble() * total
        for i in ids.indices {
            u -= weights[i]
            if u < 0 { return (ids[i], modelLogprobs[i]) }
        }
        // Rounding left a sliver: the last candidate with positive weight takes it.
        let last = weights.lastIndex { $0 > 0 } ?? ids.count - 1
        return (ids[last], modelLogprobs[last])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
