import PonderModel

/// How far one call of `SearchContext.generate` runs each lane.
public enum GenerationUnit: Sendable, Equatable {
    /// Until the sequence stops (EOS, stop string, length cap).
    case completion
    /// Until the task's step splitter says the step is complete, or the sequence stops.
    case step
    /// At most this many tokens, or until the sequence stops.
    case tokens(Int)
}

/// Why a lane ended.
public enum LaneEnd: String, Codable, Sendable, Equatable {
    /// An end-of-sequence token.
    case eos
    /// A stop string.
    case stopString = "stop-string"
    /// The length cap.
    case maxLength = "max-length"
    /// A reasoning step ended; the sequence may continue.
    case stepEnd = "step-end"
    /// The requested number of tokens was generated; the sequence may continue.
    case tokenLimit = "token-limit"
    /// The budget did not allow this lane to continue; its sequence was released.
    case budget

    /// Whether the sequence is finished for good (a complete sample).
    public var isTerminal: Bool { self == .eos || self == .stopString || self == .maxLength }

    init(_ stop: StopReason) {
        switch stop {
        case .eos: self = .eos
        case .stopString: self = .stopString
        case .maxTokens: self = .maxLength
        }
    }
}

/// Asks for `lanes` continuations of `parent`, each in its own forked sequence.
public struct GenerationRequest: Sendable, Equatable {
    /// The sequence the lanes fork from (it stays the caller's and is not extended).
    public var parent: SequenceID
    /// How many continuations.
    public var lanes: Int
    /// This request's own sampling stream, or `nil` to draw from the context's `samplingRNG`.
    ///
    /// Many prompts batched into one `generate` call (evaluation, rollouts, a GRPO batch of
    /// groups) each keep their own stream, so a prompt's samples do not depend on which other
    /// prompts share its batch: seeded with `SearchContext.samplingStream(seed:)`, a request
    /// draws exactly what a context of that seed draws for it alone (under no budget cut).
    public var stream: SeededRNG?

    /// `lanes` continuations of `parent`, drawing from `stream` when given.
    public init(_ parent: SequenceID, lanes: Int = 1, stream: SeededRNG? = nil) {
        self.parent = parent
        self.lanes = lanes
        self.stream = stream
    }
}

/// One continuation produced by `SearchContext.generate`.
public struct LaneOutcome: Sendable, Equatable {
    /// Index of the request this lane belongs to.
    public var request: Int
    /// The lane's sequence (owned by the caller), or `nil` when the budget dropped the lane.
    public var sequence: SequenceID?
    /// Why the lane ended.
    public var end: LaneEnd
    /// The tokens this call generated.
    public var tokens: [Int]
    /// Sum of the unprocessed model log-probabilities of `tokens`.
    public var logprob: Double
    /// `tokens` as text.
    public var text: String

    /// Length-normalized log-probability (the step prior of step-level MCTS).
    public var meanLogprob: Double { tokens.isEmpty ? 0 : logprob / Double(tokens.count) }
}

extension SearchContext {
    /// Generates continuations in lockstep: every iteration runs one batched forward over all
    /// live lanes and draws one token per lane (in lane order, from the request's `stream`
    /// or else `samplingRNG`).
    ///
    /// Budget handling, the same for every strategy: under a samples cap, lanes beyond the
    /// samples left are dropped before they start; before each forward under a FLOP or token
    /// cap, lanes are dropped from the end until the step fits, so generation never crosses
    /// the cap and the earliest lanes are the ones that finish.
    /// - Parameters:
    ///   - requests: parents and lane counts; the parents are read, forked, and left as they are.
    ///   - unit: how far each lane runs.
    ///   - sampling: overrides the context's sampling parameters (greedy: temperature 0).
    /// - Returns: one outcome per lane, in request order.
    public func generate(_ requests: [GenerationRequest], until unit: GenerationUnit,
                         sampling override: SamplingParameters? = nil) throws -> [LaneOutcome] {
        struct Lane {
            var request: Int
            var sequence: SequenceID?
            var tokens: [Int] = []
            var logprob: Double = 0
            var end: LaneEnd?
        }
        let params = override ?? sampling
        let processor: any LogitsProcessor = params.isGreedy
            ? TopK(1)
            : SamplingChain(temperature: params.temperature, topK: params.topK, topP: params.topP, minP: params.minP)
        var lanes: [Lane] = []
        var streams = requests.map(\.stream)
        for (index, request) in requests.enumerated() {
            for _ in 0..<max(0, request.lanes) { lanes.append(Lane(request: index)) }
        }
        if let left = remainingSamples {
            for i in lanes.indices where i >= left { lanes[i].end = .budget }
        }

        while true {
            var active = lanes.indices.filter { lanes[$0].end == nil }
            if active.isEmpty { break }
            // The sequence each lane reads candidates from: its own, or its parent's before the
            // first token (so the parent is computed once and every lane forks from it).
            func sources(_ active: [Int]) -> [SequenceID] {
                var seen = Set<SequenceID>(), list: [SequenceID] = []
                for i in active {
                    let id = lanes[i].sequence ?? requests[lanes[i].request].parent
                    if seen.insert(id).inserted { list.append(id) }
                }
                return list
            }
            var reads = sources(active)
            var cost = policy.flushCost(reads)
            cost.generatedTokens = active.count
            while !active.isEmpty, !budget.allows(ledger, plus: cost) {
                let dropped = active.removeLast()
                if let id = lanes[dropped].sequence { policy.release(id) }
                lanes[dropped].sequence = nil
                lanes[dropped].end = .budget
                droppedForBudget = true
                reads = sources(active)
                cost = policy.flushCost(reads)
                cost.generatedTokens = active.count
            }
            if active.isEmpty { break }
            policy.noteStep(cost)
            let candidates = try policy.candidates(reads, processor: processor)
            let position = Dictionary(uniqueKeysWithValues: reads.enumerated().map { ($1, $0) })
            for i in active {
                let source = lanes[i].sequence ?? requests[lanes[i].request].parent
                let set = candidates[position[source] ?? 0]
                let pick: (id: Int, modelLogprob: Float)?
                if params.isGreedy {
                    pick = set.argmax
                } else if var stream = streams[lanes[i].request] {
                    pick = set.sample(using: &stream)
                    streams[lanes[i].request] = stream
                } else {
                    pick = set.sample(using: &samplingRNG)
                }
                guard let pick else { throw SearchError.emptyCandidates(source) }
                let id = try lanes[i].sequence ?? policy.fork(source)
                lanes[i].sequence = id
                lanes[i].tokens.append(pick.id)
                lanes[i].logprob += Double(pick.modelLogprob)
                if let stop = try policy.append(id, token: pick.id) {
                    lanes[i].end = LaneEnd(stop)
                    continue
                }
                switch unit {
                case .completion:
                    break
                case .step:
                    if stepSplitter.isComplete(policy.detokenize(lanes[i].tokens)) { lanes[i].end = .stepEnd }
                case .tokens(let n):
                    if lanes[i].tokens.count >= n { lanes[i].end = .tokenLimit }
                }
            }
        }
        return lanes.map { lane in
            LaneOutcome(request: lane.request, sequence: lane.sequence, end: lane.end ?? .budget,
                        tokens: lane.tokens, logprob: lane.logprob, text: policy.detokenize(lane.tokens))
        }
    }
}
