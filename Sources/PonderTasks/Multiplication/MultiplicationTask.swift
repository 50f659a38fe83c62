import PonderModel

/// The Multiplication problem space and its train/test split.
public struct MultiplicationConfig: Sendable, Hashable, Codable {
    /// How many digits each operand has, drawn uniformly per operand (so short operands are
    /// common enough to learn from); 1–9. TinyZero's default is up to 3 digits.
    public var digits: ClosedRange<Int>
    /// The share of operand pairs reserved for the test split, in [0, 1).
    public var testShare: Double
    /// Decides split membership together with the pair (see `split(a:b:)`), independent of
    /// the generation seed so that every run agrees on which pairs are test pairs.
    public var holdoutSeed: UInt64

    public init(digits: ClosedRange<Int> = 1...3, testShare: Double = 0.1, holdoutSeed: UInt64 = 0) {
        self.digits = digits
        self.testShare = testShare
        self.holdoutSeed = holdoutSeed
    }

    /// Checks the ranges.
    public func validate() throws {
        guard digits.lowerBound >= 1, digits.upperBound <= 9 else {
            throw TaskError.invalidConfiguration(
                "multiplication digits \(digits) must lie within 1...9 (products must fit in 64 bits)")
        }
        guard testShare >= 0, testShare < 1 else {
            throw TaskError.invalidConfiguration("multiplication testShare \(testShare) must be at least 0 and below 1")
        }
    }

    /// The split a pair belongs to, by a stable hash of the *unordered* pair, so `a × b` and
    /// `b × a` always land together and a test product is never seen in training.
    public func split(a: Int, b: Int) -> Split {
        let key = "\(holdoutSeed):\(min(a, b))x\(max(a, b))"
        let bucket = Double(StableHash.of(key) % 1_000_000) / 1_000_000
        return bucket < testShare ? .test : .train
    }
}

/// Multiplication as in TinyZero: `a × b`, exact integer answer, with a step-by-step
/// decomposition as reasoning: one partial product per non-zero digit of `b` (lowest digit
/// first), then running sums, one step per line:
///
///     <think>
///     123 * 5 = 615
///     123 * 40 = 4920
///     615 + 4920 = 5535
///     </think>
///     <answer>5535</answer>
///
/// The verifier accepts a single whole number, optionally signed, optionally with
/// thousands separators in the right places (`5,535`); anything else (an expression, a
/// decimal, `= 5535`, words) is invalid with the reason.
public struct MultiplicationTask: ReasoningTask {
    public let name = "multiplication"
    public let stepSeparator = "\n"
    public let config: MultiplicationConfig

    /// Consecutive failed draws (wrong split or repeat) before giving up.
    static let maxConsecutiveFailures = 20_000

    public init(config: MultiplicationConfig = MultiplicationConfig()) throws {
        try config.validate()
        self.config = config
    }

    public func problems(split: Split, count: Int?, seed: UInt64) throws -> [Problem] {
        guard let count, count >= 0 else {
            throw TaskError.invalidConfiguration("multiplication generates problems on demand; ask for 0 or more")
        }
        let values = config.digits.reduce(0) { $0 + Self.operands(withDigits: $1).count }
        let space = Double(values) * Double(values)
        guard Double(count) <= space else {
            throw TaskError.invalidConfiguration(
                "asked for \(count) multiplication problems but only \(Int(space)) operand pairs exist with \(config.digits) digits")
        }
        var rng = SeededRNG.derived(seed: seed, split.streamLabel)
        var seen = Set<[Int]>()
        var problems: [Problem] = []
        var failures = 0
        while problems.count < count {
            let a = rng.nextInt(in: Self.operands(withDigits: rng.nextInt(in: config.digits)))
            let b = rng.nextInt(in: Self.operands(withDigits: rng.nextInt(in: config.digits)))
            if config.split(a: a, b: b) == split, seen.insert([a, b]).inserted {
                problems.append(Self.makeProblem(a: a, b: b, split: split))
                failures = 0
            } else {
                failures += 1
                if failures >= Self.maxConsecutiveFailures {
                    throw TaskError.invalidConfiguration(
                        "found only \(problems.count) of \(count) multiplication \(split) problems; widen digits or ask for fewer")
                }
            }
        }
        return problems
    }

    public func userMessage(for problem: Problem) throws -> String {
        let (a, b) = try operands(problem)
        return "What is \(a) * \(b)? Work it out step by step, one step per line, and give the final number in <answer> </answer> tags, for example <answer> 1234 </answer>."
    }

    /// `"123 * 45"`.
    public func compactQuestion(for problem: Problem) throws -> String {
        let (a, b) = try operands(problem)
        return "\(a) * \(b)"
    }

    /// The trimmed content of the last `<answer>` tag.
    public func extractAnswer(from completion: String) -> ExtractedAnswer? {
        guard let raw = CompletionParts(completion).lastAnswer else { return nil }
        return ExtractedAnswer(text: raw.trimmingWhitespace(), source: .answerTag)
    }

    public func verify(answer: String, for problem: Problem) -> Verdict {
        guard case .multiplication(let a, let b) = problem.content else {
            return .invalid(reason: "problem '\(problem.id)' is not a multiplication problem")
        }
        let (expected, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { return .invalid(reason: "\(a) * \(b) overflows 64-bit integers; operands may have at most 9 digits") }
        switch Self.parseWholeNumber(answer) {
        case .failure(let reason): return .invalid(reason: reason.description)
        case .success(let value):
            return value == expected ? .correct : .incorrect(reason: "\(value) is not \(a) * \(b)")
        }
    }

    public func referenceCompletion(for problem: Problem, startsInsideThink: Bool) throws -> String? {
        let (a, b) = try operands(problem)
        guard let steps = Self.decomposition(a: a, b: b) else { return nil }
        return formatCompletion(steps: steps, answer: String(a &* b),  // no overflow: checked above
                                startsInsideThink: startsInsideThink)
    }

    /// The reference reasoning lines for `a × b` (see the type's documentation); nil for
    /// negative operands or when a product would overflow (hand-made problems only: the
    /// generator's operands have at most 9 digits).
    public static func decomposition(a: Int, b: Int) -> [String]? {
        guard a >= 0, b >= 0 else { return nil }
        var partials: [Int] = []
        var lines: [String] = []
        var rest = b
        var place = 1
        while rest > 0 {
            let digit = rest % 10
            if digit != 0 {
                let (factor, o1) = place.multipliedReportingOverflow(by: digit)
                let (partial, o2) = a.multipliedReportingOverflow(by: factor)
                guard !o1, !o2 else { return nil }
                partials.append(partial)
                lines.append("\(a) * \(factor) = \(partial)")
            }
            rest /= 10
            if rest > 0 {
                let (next, overflow) = place.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                place = next
            }
        }
        if partials.isEmpty { return ["\(a) * \(b) = 0"] }
        var sum = partials[0]
        for p in partials.dropFirst() {
            let (next, overflow) = sum.addingReportingOverflow(p)
            guard !overflow else { return nil }
            lines.append("\(sum) + \(p) = \(next)")
            sum = next
        }
        return lines
    }

    /// Builds a problem; its id is `multiplication:123x45`, its bin `3x2` (digits of a × b),
    /// its depth the number of reference lines.
    public static func makeProblem(a: Int, b: Int, split: Split) -> Problem {
        let bin = "\(String(a).count)x\(String(b).count)"
        return Problem(id: "multiplication:\(a)x\(b)", split: split,
                       difficulty: Difficulty(bin: bin, depth: decomposition(a: a, b: b)?.count),
                       content: .multiplication(a: a, b: b))
    }

    /// Parses `-?digits` with optional well-placed thousands commas (`12,345`).
    static func parseWholeNumber(_ text: String) -> Result<Int, ParseFailure> {
        var body = Substring(text.trimmingWhitespace())
        guard !body.isEmpty else { return .failure(ParseFailure("empty answer: expected a whole number")) }
        var negative = false
        if let first = body.first, first == "-" || first == "\u{2212}" || first == "+" {
            negative = first != "+"
            body = body.dropFirst()
        }
        let groups = body.split(separator: ",", omittingEmptySubsequences: false)
        let wellGrouped = groups.count == 1
            || (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCIIDigit || $0 == "," }), wellGrouped else {
            return .failure(ParseFailure("expected a single whole number such as 5535, found '\(text.trimmingWhitespace())'"))
        }
        guard let value = Int(groups.joined()) else {
            return .failure(ParseFailure("the number in the answer is too large"))
        }
        return .success(negative ? -value : value)
    }

    /// The operands with exactly `d` digits (1-digit operands start at 1: × 0 teaches nothing).
    static func operands(withDigits d: Int) -> ClosedRange<Int> {
        var low = 1
        for _ in 1..<max(d, 1) { low *= 10 }
        return (d == 1 ? 1 : low)...(low * 10 - 1)
    }

    private func operands(_ problem: Problem) throws -> (Int, Int) {
        guard case .multiplication(let a, let b) = problem.content else {
            throw TaskError.wrongProblemKind(task: name, problemID: problem.id)
        }
        return (a, b)
    }
}
