import PonderModel

/// One sampled completion and its length in tokens (for the `max-tokens` rule).
public struct SampledCompletion: Sendable, Hashable {
    public var text: String
    public var tokenCount: Int

    public init(text: String, tokenCount: Int) {
        self.text = text
        self.tokenCount = tokenCount
    }
}

/// Draws `k` completions of `prompt` with randomness from `rng` only. The model layer
/// provides it (an engine with a sampling chain); tests provide scripted samplers.
public typealias CompletionSampler =
    (_ prompt: RenderedPrompt, _ k: Int, _ rng: inout SeededRNG) throws -> [SampledCompletion]

/// The model-independent core of R1-style rejection sampling: for each problem, sample k
/// completions, score them, keep those the filter accepts, and record everything in a
/// resumable `RejectionDataStore`.
///
/// Each problem draws from its own stream, `Problem.samplingStream(seed:)`, so
/// a resumed run samples exactly what an uninterrupted one would have.
public struct RejectionSamplingBuilder: Sendable {
    public var task: any ReasoningTask
    public var style: PromptStyle
    public var filter: RejectionFilter
    /// Completions drawn per problem (k).
    public var samplesPerProblem: Int
    public var seed: UInt64
    public var options: ScoringOptions
    /// Keep at most this many completions per problem (nil: all that pass), so easy problems
    /// do not dominate the SFT data.
    public var maxKeptPerProblem: Int?

    public init(task: any ReasoningTask, style: PromptStyle, filter: RejectionFilter,
                samplesPerProblem: Int, seed: UInt64, options: ScoringOptions = ScoringOptions(),
                maxKeptPerProblem: Int? = nil) throws {
        guard samplesPerProblem > 0 else {
            throw TaskError.invalidConfiguration("samples per problem must be at least 1, got \(samplesPerProblem)")
        }
        if let maxKeptPerProblem, maxKeptPerProblem < 1 {
            throw TaskError.invalidConfiguration("max kept per problem must be at least 1, got \(maxKeptPerProblem)")
        }
        self.task = task
        self.style = style
        self.filter = filter
        self.samplesPerProblem = samplesPerProblem
        self.seed = seed
        self.options = options
        self.maxKeptPerProblem = maxKeptPerProblem
    }

    /// Samples, scores and filters one problem; writes nothing.
    public func process(_ problem: Problem, sampler: CompletionSampler) throws
        -> (records: [RejectionRecord], outcome: ProblemOutcome) {
        let prompt = try task.prompt(for: problem, style: style)
        var rng = problem.samplingStream(seed: seed)
        let samples = try sampler(prompt, samplesPerProblem, &rng)
        var records: [RejectionRecord] = []
        var rejections: [String: Int] = [:]
        var seenTexts = Set<String>()
        for (index, sample) in samples.enumerated() {
            let score = task.score(sample.text, for: problem, prompt: prompt, options: options)
            let failed = filter.failedRules(score, tokenCount: sample.tokenCount)
            if !failed.isEmpty {
                for rule in failed { rejections[rule, default: 0] += 1 }
                continue
            }
            guard seenTexts.insert(sample.text).inserted else {
                rejections["duplicate", default: 0] += 1
                continue
            }
            if let cap = maxKeptPerProblem, records.count >= cap {
                rejections["over-cap", default: 0] += 1
                continue
            }
            records.append(RejectionRecord(problemID: problem.id, prompt: prompt.text, completion: sample.text,
                                           score: score, tokens: sample.tokenCount, sample: index,
                                           difficulty: problem.difficulty))
        }
        let outcome = ProblemOutcome(problemID: problem.id, bin: problem.difficulty.bin,
                                     sampled: samples.count, accepted: records.count, rejections: rejections)
        return (records, outcome)
    }

    /// Processes every problem not yet finished in `store`, appending as it goes, and
    /// returns the store's statistics (including problems finished before a resume).
    /// `onProblem` sees each new outcome (for progress display).
    public func run(problems: [Problem], store: RejectionDataStore, sampler: CompletionSampler,
                    onProblem: ((ProblemOutcome) -> Void)? = nil) throws -> AcceptanceStatistics {
        for problem in problems where !store.finishedProblemIDs.contains(problem.id) {
            let (records, outcome) = try process(problem, sampler: sampler)
            try store.append(records: records, outcome: outcome)
            onProblem?(outcome)
        }
        return store.statistics
    }
}
