/// One kept completion: a line of the rejection-sampling output, ready for SFT.
///
/// JSON keys are snake_case: `problem_id`, `prompt`, `completion`, `accuracy`, `format`,
/// `language`, `reward` (the combined reward), `tokens`, `sample` (its index among the k
/// samples drawn for the problem) and `difficulty` (`{"bin": …, "solutions": …, "depth": …}`).
public struct RejectionRecord: Sendable, Hashable, Codable {
    public var problemID: String
    public var prompt: String
    public var completion: String
    public var accuracy: Double
    public var format: Double
    public var language: Double
    public var reward: Double
    public var tokens: Int
    public var sample: Int
    public var difficulty: Difficulty

    public init(problemID: String, prompt: String, completion: String, score: Score,
                tokens: Int, sample: Int, difficulty: Difficulty) {
        self.problemID = problemID
        self.prompt = prompt
        self.completion = completion
        self.accuracy = score.accuracy
        self.format = score.format
        self.language = score.language
        self.reward = score.combined
        self.tokens = tokens
        self.sample = sample
        self.difficulty = difficulty
    }

    enum CodingKeys: String, CodingKey {
        case problemID = "problem_id"
        case prompt, completion, accuracy, format, language, reward, tokens, sample, difficulty
    }
}

/// What happened to one problem: how many samples were drawn and kept, and why the others
/// were dropped. One line per finished problem in the progress file beside the output.
public struct ProblemOutcome: Sendable, Hashable, Codable {
    public var problemID: String
    public var bin: String
    public var sampled: Int
    public var accepted: Int
    /// For each keep rule, how many samples failed it (a sample can fail several);
    /// `duplicate` counts identical completions dropped after the first.
    public var rejections: [String: Int]

    public init(problemID: String, bin: String, sampled: Int, accepted: Int, rejections: [String: Int]) {
        self.problemID = problemID
        self.bin = bin
        self.sampled = sampled
        self.accepted = accepted
        self.rejections = rejections
    }

    enum CodingKeys: String, CodingKey {
        case problemID = "problem_id"
        case bin, sampled, accepted, rejections
    }
}

/// Acceptance statistics, overall and per difficulty bin.
public struct AcceptanceStatistics: Sendable, Hashable, Codable {
    /// Counts for one group of problems.
    public struct Counts: Sendable, Hashable, Codable {
        public var problems = 0
        /// Problems with at least one kept completion.
        public var solvedProblems = 0
        public var samples = 0
        public var accepted = 0

        public init() {}

        /// Kept samples over drawn samples (0 with no samples).
        public var acceptanceRate: Double { samples == 0 ? 0 : Double(accepted) / Double(samples) }
        /// Problems with a kept sample over problems (0 with no problems).
        public var coverage: Double { problems == 0 ? 0 : Double(solvedProblems) / Double(problems) }

        mutating func add(_ outcome: ProblemOutcome) {
            problems += 1
            if outcome.accepted > 0 { solvedProblems += 1 }
            samples += outcome.sampled
            accepted += outcome.accepted
        }
    }

    public var overall = Counts()
    public var byBin: [String: Counts] = [:]
    /// Samples failing each rule, summed over problems.
    public var rejections: [String: Int] = [:]

    public init() {}

    /// Adds one finished problem.
    public mutating func add(_ outcome: ProblemOutcome) {
        overall.add(outcome)
        byBin[outcome.bin, default: Counts()].add(outcome)
        for (rule, n) in outcome.rejections { rejections[rule, default: 0] += n }
    }

    /// A plain-text table: one row per bin (sorted), then the total, then rejection counts.
    public var summary: String {
        func row(_ name: String, _ c: Counts) -> String {
            "\(name.padded(14)) problems \(String(c.problems).leftPadded(6))  samples \(String(c.samples).leftPadded(7))  kept \(String(c.accepted).leftPadded(7))  rate \(percent(c.acceptanceRate).leftPadded(6))  coverage \(percent(c.coverage).leftPadded(6))"
        }
        var lines = byBin.keys.sorted().compactMap { bin in byBin[bin].map { row(bin, $0) } }
        lines.append(row("all", overall))
        if !rejections.isEmpty {
            lines.append("rejected by rule: " + rejections.keys.sorted()
                .map { "\($0) \(rejections[$0] ?? 0)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// `0.1234` → `"12.3%"`, without Foundation's formatters.
func percent(_ x: Double) -> String {
    let tenths = Int((x * 1000).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
