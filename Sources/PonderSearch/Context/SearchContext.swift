import PonderModel

/// Everything one search of one problem runs in: the metered policy, an optional value
/// function, the budget and ledger, seeded random streams, the task's hooks and the evaluation
/// mode. Create one per (problem, strategy, budget, seed) trial.
///
/// The context is the only way a strategy reaches the model, the value head or the checker,
/// and each of those routes charges the ledger, so strategies cannot under-report what they
/// spent.
public final class SearchContext {
    /// The model, metered: every forward and fork is charged here.
    public let policy: MeteredPolicy
    /// The cap on this search.
    public var budget: Budget { policy.budget }
    /// Whether strategies may consult the checker.
    public let mode: EvaluationMode
    /// Default sampling parameters for generation (temperature, top-k, top-p, min-p).
    public let sampling: SamplingParameters
    /// Where reasoning steps end.
    public let stepSplitter: StepSplitter
    /// How answers are extracted from completions.
    public let answerExtractor: AnswerExtractor
    /// The seed both random streams derive from.
    public let seed: UInt64
    /// The stream every token draw uses. It is separate from `searchRNG` so that search
    /// decisions (noise, tie-breaks) never shift which tokens get sampled: with a budget of
    /// one sample, every sampling strategy reproduces `sample` exactly.
    public var samplingRNG: SeededRNG
    /// The stream for search decisions: Dirichlet noise, Gumbel draws, tie-breaking.
    public var searchRNG: SeededRNG

    private let valueFunction: (any ValueFunction)?
    /// The checker; reached only through `check`, which refuses it in verifier-hidden mode.
    private let checker: (any AnswerChecker)?
    private let startedAt: ContinuousClock.Instant
    /// Set once a FLOP or token cap made generation drop a lane.
    var droppedForBudget = false
    /// Where `values(_:for:)` reads P(success) from: the value head (the default) or, in
    /// verifier-charged mode, the oracle (`ValueSource.oracle`). Value-reading strategies set
    /// it from their `value` parameter at the start of a search.
    public var valueSource: ValueSource = .head

    /// Creates the context of one search.
    /// - Parameters:
    ///   - policy: the model (shared across searches; the context wraps it with its own ledger).
    ///   - valueFunction: the value head, if any; its input width must equal `policy.hiddenSize`.
    ///   - budget: the cap (FLOPs by default).
    ///   - seed: the trial's seed; the same seed replays the same search. Derive it per
    ///     (problem, strategy, seed) trial (`SeededRNG.derived(seed:_:)`): contexts that share a
    ///     seed share their token draws, which correlates results across problems.
    ///   - mode: whether the checker may be used during search.
    ///   - sampling: default sampling parameters.
    ///   - task: step splitter, answer extractor and checker.
    ///   - stopConditions: overrides the policy's stop conditions (length cap, stop strings).
    public init(policy: any Policy, valueFunction: (any ValueFunction)? = nil,
                budget: Budget = .unlimited, seed: UInt64 = 0,
                mode: EvaluationMode = .verifierHidden,
                sampling: SamplingParameters = SamplingParameters(temperature: 1),
                task: TaskHooks, stopConditions: StopConditions? = nil) throws {
        if let valueFunction, valueFunction.inputSize != policy.hiddenSize {
            throw SearchError.valueInputMismatch(expected: policy.hiddenSize, got: valueFunction.inputSize)
        }
        let stops = stopConditions ?? policy.defaultStopConditions
        self.policy = MeteredPolicy(policy, stopConditions: stops, budget: budget)
        self.valueFunction = valueFunction
        self.mode = mode
        self.sampling = sampling
        self.stepSplitter = task.stepSplitter ?? .delimiters(stops.stepDelimiters)
        self.answerExtractor = task.answerExtractor
        self.checker = task.checker
        self.seed = seed
        self.samplingRNG = Self.samplingStream(seed: seed)
        self.searchRNG = SeededRNG.derived(seed: seed, 0x5345_4152)     // "SEAR"
        self.startedAt = ContinuousClock.now
    }

    /// The token-draw stream a context of `seed` starts with (`samplingRNG`). A
    /// `GenerationRequest` given this stream draws what such a context would, alone.
    public static func samplingStream(seed: UInt64) -> SeededRNG {
        SeededRNG.derived(seed: seed, 0x5A4D_504C)   // "SMPL"
    }

    /// What this search has spent so far.
    public var ledger: ComputeLedger { policy.ledger }

    /// Whether a value function is available.
    public var hasValueFunction: Bool { valueFunction != nil }

    /// Whether `check` may be called (verifier-charged mode with a checker).
    public var canCheck: Bool { mode == .verifierCharged && checker != nil }

    /// Whether the budget leaves nothing for another step: the cap is reached, or generation
    /// already had to drop a lane to stay under it. Strategies stop when this turns true.
    public var isExhausted: Bool {
        droppedForBudget || budget.used(ledger) >= budget.limit
    }

    /// Finished samples the budget still allows (`nil` unless the budget counts samples).
    public var remainingSamples: Int? {
        guard budget.unit == .samples else { return nil }
        let left = budget.remaining(ledger)
        return left >= Double(Int.max) ? Int.max : Int(left)
    }

    /// The answer in `completion`, by the task's extractor.
    public func answer(in completion: String) -> String? {
        answerExtractor.extract(completion)
    }

    /// P(success) for each sequence, from the value head on its last hidden state: one batched
    /// forward for pending tokens (if any) and one value-head batch, both charged. Allowed while
    /// the ledger is within the cap, so it can cross it by this one step. With
    /// `valueSource = .oracle`, the values are checker rewards of charged rollouts instead
    /// (see `ValueSource`; verifier-charged mode only).
    public func values(_ sequences: [SequenceID], for strategy: String) throws -> [Double] {
        if case .oracle(let rollouts) = valueSource {
            return try oracleValues(sequences, rollouts: rollouts, for: strategy)
        }
        guard let valueFunction else {
            throw SearchError.noValueFunction(strategy: strategy, reason: "to score states")
        }
        guard !sequences.isEmpty else { return [] }
        guard budget.allows(ledger) else {
            throw SearchError.budgetExhausted(used: budget.used(ledger), limit: budget.limit, unit: budget.unit)
        }
        var cost = policy.flushCost(sequences)
        cost.valueCalls = sequences.count
        cost.valueFLOPs = Double(sequences.count) * valueFunction.flopsPerCall
        policy.noteStep(cost)
        let hidden = try policy.hiddenStates(sequences)
        let values = try valueFunction.values(hidden)
        var charge = ComputeLedger()
        charge.valueCalls = cost.valueCalls
        charge.valueFLOPs = cost.valueFLOPs
        policy.charge(charge)
        return values
    }

    /// Asks the ground-truth checker about a completion: verifier-charged mode only, one
    /// verifier call charged per use.
    public func check(completion: String, for strategy: String) throws -> Bool {
        guard mode == .verifierCharged else {
            throw SearchError.verifierHidden(strategy: strategy, use: "to check a completion")
        }
        guard let checker else { throw SearchError.noChecker(strategy: strategy) }
        var charge = ComputeLedger()
        charge.verifierCalls = 1
        policy.charge(charge)
        return checker.check(completion: completion, answer: answer(in: completion))
    }

    /// Throws unless values can be read: a value function is present, or the source is the
    /// oracle and the checker may be used (strategies call this before spending).
    public func requireValueFunction(for strategy: String, reason: String) throws {
        if case .oracle = valueSource {
            try requireChecker(for: strategy, use: "value = oracle, \(reason)")
            return
        }
        if valueFunction == nil { throw SearchError.noValueFunction(strategy: strategy, reason: reason) }
    }

    /// Throws unless the checker may be used (verifier-charged mode with a checker).
    public func requireChecker(for strategy: String, use: String) throws {
        guard mode == .verifierCharged else { throw SearchError.verifierHidden(strategy: strategy, use: use) }
        if checker == nil { throw SearchError.noChecker(strategy: strategy) }
    }

    /// Seconds since the context was created.
    var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - startedAt
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
