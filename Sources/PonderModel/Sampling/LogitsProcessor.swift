/// One link of the sampling chain: reshapes or filters a candidate set.
///
/// Processors compose (`SamplingChain`), in the manner of mlx-lm's `make_sampler` and the
/// llama.cpp sampler chain. They never see an RNG: drawing is the selector's job.
public protocol LogitsProcessor: Sendable {
    /// Applies the processor to `candidates` in place.
    func process(_ candidates: inout Candidates)
}

/// Divides log-probabilities by a temperature (T > 0), then renormalizes.
public struct Temperature: LogitsProcessor {
    public let value: Float
    public init(_ value: Float) { self.value = value }
    public func process(_ candidates: inout Candidates) {
        guard value > 0, value != 1 else { return }
        for i in candidates.logprobs.indices { candidates.logprobs[i] /= value }
        candidates.renormalize()
    }
}

/// Keeps the `k` most likely candidates.
public struct TopK: LogitsProcessor {
    public let k: Int
    public init(_ k: Int) { self.k = k }
    public func process(_ candidates: inout Candidates) {
        guard k > 0, k < candidates.count else { return }
        candidates.sort()
        candidates.truncate(to: k)
    }
}

/// Keeps the smallest prefix of the ranked candidates whose probability mass reaches `p`
/// (nucleus sampling, as transformers' `TopPLogitsWarper`: the token that crosses `p` stays).
public struct TopP: LogitsProcessor {
    public let p: Float
    public init(_ p: Float) { self.p = p }
    public func process(_ candidates: inout Candidates) {
        guard p < 1, candidates.count > 1 else { return }
        candidates.sort()
        var mass: Float = 0
        var keep = candidates.count
        for i in candidates.ids.indices {
            mass += expf(candidates.logprobs[i])
            if mass >= p { keep = i + 1; break }
        }
        candidates.truncate(to: max(1, keep))
    }
}

/// Drops candidates whose probability is below `minP` times the top probability.
public struct MinP: LogitsProcessor {
    public let minP: Float
    public init(_ minP: Float) { self.minP = minP }
    public func process(_ candidates: inout Candidates) {
        guard minP > 0, let top = candidates.logprobs.max() else { return }
        let threshold = top + logf(minP)
        candidates.sort()
        let keep = candidates.logprobs.firstIndex { $0 < threshold } ?? candidates.count
        candidates.truncate(to: max(1, keep))
    }
}

/// A composition of processors applied in order.
public struct SamplingChain: LogitsProcessor {
    public var processors: [any LogitsProcessor]
    public init(_ processors: [any LogitsProcessor]) { self.processors = processors }

    /// The usual chain for sampling parameters: temperature, then top-k, top-p and min-p.
    /// A temperature of 0 means greedy decoding and is handled by `SamplingParameters`.
    public init(temperature: Float, topK: Int? = nil, topP: Float? = nil, minP: Float? = nil) {
        var chain: [any LogitsProcessor] = []
        if temperature > 0 { chain.append(Temperature(temperature)) }
        if let topK { chain.append(TopK(topK)) }
        if let topP { chain.append(TopP(topP)) }
        if let minP { chain.append(MinP(minP)) }
        self.processors = chain
    }

    public func process(_ candidates: inout Candidates) {
        for processor in processors { processor.process(&candidates) }
    }
}

/// Sampling parameters as users give them (CLI flags, generation_config.json, YAML).
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// 0 means greedy (argmax).
    public var temperature: Float
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?

    public init(temperature: Float = 1, topK: Int? = nil, topP: Float? = nil, minP: Float? = nil) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
    }

    /// Whether this selects the argmax deterministically.
    public var isGreedy: Bool { temperature <= 0 }

    /// Picks the next token from `candidates`: argmax when greedy, otherwise a draw from the
    /// processed distribution. Returns the id and its log-probability under the unmodified model.
    public func select(from candidates: Candidates, using rng: inout SeededRNG) -> (id: Int, modelLogprob: Float)? {
        if isGreedy { return candidates.argmax }
        var processed = candidates
        SamplingChain(temperature: temperature, topK: topK, topP: topP, minP: minP).process(&processed)
        return processed.sample(using: &rng)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
