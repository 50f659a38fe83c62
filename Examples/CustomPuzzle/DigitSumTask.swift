// A task written outside Ponder: add up the digits of a number, one running sum per line.
// Registered by `main.swift`; configs name it `digit-sum` with options `digits`, `test_share`.
import Foundation
import Ponder

/// What one problem stores (Ponder keeps it as JSON and hands it back with `payload(as:)`).
struct DigitSumPuzzle: Codable, Hashable {
    var digits: [Int]
    var sum: Int { digits.reduce(0, +) }
}

/// `4 7 2 -> sum`: the model writes `4 + 7 = 11`, `11 + 2 = 13`, then `<answer>13</answer>`.
struct DigitSumTask: ReasoningTask {
    let name = "digit-sum"
    let stepSeparator = "\n"
    /// How many digits a problem has (drawn uniformly per problem).
    var digitCounts: ClosedRange<Int>
    /// The share of digit strings that belong to the test split.
    var testShare: Double

    /// Typed, validated options: configs write `digits: [3, 5]`, `test_share: 0.2`.
    static let descriptor = TaskDescriptor(
        name: "digit-sum", summary: "add up the digits of a number, one running sum per line",
        options: [
            .range("digits", within: 2...12, default: 3...5, single: true, "how many digits a problem has"),
            .double("test_share", 0...0.9, default: 0.2, "share of digit strings held out for the test split"),
        ]
    ) { options in DigitSumTask(digitCounts: try options.range("digits"), testShare: try options.double("test_share")) }

    /// Distinct problems of `split`, drawn in order from `seed`'s stream, so a shorter list is a
    /// prefix of a longer one. A digit string's split depends on the string alone (a stable
    /// hash), so train and test never share a problem whatever the seeds.
    func problems(split: Split, count: Int?, seed: UInt64) throws -> [Problem] {
        guard let count else {
            throw TaskError.invalidConfiguration("digit-sum generates problems; say how many")
        }
        var rng = SeededRNG(seed: seed)
        var problems: [Problem] = []
        var seen = Set<[Int]>()
        var attempts = 0
        while problems.count < count {
            attempts += 1
            guard attempts <= 1_000 + 100 * count else {
                throw TaskError.invalidConfiguration(
                    "digit-sum found only \(problems.count) distinct \(split) problems; ask for fewer or allow more digits")
            }
            let n = digitCounts.lowerBound + rng.nextInt(below: digitCounts.count)
            let digits = (0..<n).map { _ in rng.nextInt(below: 10) }
            guard Self.split(of: digits, testShare: testShare) == split, seen.insert(digits).inserted else { continue }
            problems.append(try Problem(id: "digit-sum-" + digits.map(String.init).joined(), split: split,
                                        difficulty: Difficulty(bin: "d\(n)", depth: n - 1),
                                        payload: DigitSumPuzzle(digits: digits)))
        }
        return problems
    }

    static func split(of digits: [Int], testShare: Double) -> Split {
        let hash = digits.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) } % 1_000
        return Double(hash) < testShare * 1_000 ? .test : .train
    }

    func userMessage(for problem: Problem) throws -> String {
        let puzzle = try problem.payload(as: DigitSumPuzzle.self, task: name)
        return "What is the sum of the digits of \(puzzle.digits.map(String.init).joined())? "
            + "Add them one at a time, one line per step as \"a + b = c\", "
            + "and give the sum in <answer> </answer> tags."
    }

    func compactQuestion(for problem: Problem) throws -> String {
        try problem.payload(as: DigitSumPuzzle.self, task: name).digits.map(String.init).joined(separator: " ") + " -> sum"
    }

    func extractAnswer(from completion: String) -> ExtractedAnswer? {
        guard let raw = CompletionParts(completion).lastAnswer else { return nil }
        return ExtractedAnswer(text: raw.trimmingCharacters(in: .whitespacesAndNewlines), source: .answerTag)
    }

    func verify(answer: String, for problem: Problem) -> Verdict {
        guard let puzzle = try? problem.payload(as: DigitSumPuzzle.self, task: name) else {
            return .invalid(reason: "problem '\(problem.id)' is not a digit-sum problem")
        }
        guard let value = Int(answer) else { return .invalid(reason: "'\(answer)' is not a whole number") }
        return value == puzzle.sum ? .correct : .incorrect(reason: "\(value) is not \(puzzle.sum)")
    }

    func referenceCompletion(for problem: Problem, startsInsideThink: Bool) throws -> String? {
        let digits = try problem.payload(as: DigitSumPuzzle.self, task: name).digits
        var total = digits[0]
        let steps = digits.dropFirst().map { digit -> String in
            defer { total += digit }
            return "\(total) + \(digit) = \(total + digit)"
        }
        return formatCompletion(steps: steps, answer: String(total), startsInsideThink: startsInsideThink)
    }
}
