import PonderModel

/// The Countdown problem space and its train/test split.
///
/// Defaults follow Stream of Search's generator: numbers in 1–99, targets in 10–100, 10 % of
/// targets held out for the test split, every problem solvable by construction; the number
/// count (3 or 4, uniformly) follows TinyZero's Countdown-Tasks-3to4.
public struct CountdownConfig: Sendable, Hashable, Codable {
    /// How many numbers a problem has (drawn uniformly per problem); 2–5.
    public var numberCounts: ClosedRange<Int>
    /// The range each number is drawn from (uniformly, with repeats allowed); 0–10 000.
    public var numberRange: ClosedRange<Int>
    /// The range targets are drawn from (uniformly from the split's share); 0–1 000 000.
    public var targetRange: ClosedRange<Int>
    /// The share of targets reserved for the test split, in [0, 1). Test problems then have
    /// targets no training problem has, not merely unseen number sets.
    public var heldOutTargetShare: Double
    /// Picks which targets are held out. Separate from the generation seed on purpose: runs
    /// that generate with different seeds must still agree on the split, or test targets
    /// would leak into training.
    public var holdoutSeed: UInt64

    public init(numberCounts: ClosedRange<Int> = 3...4, numberRange: ClosedRange<Int> = 1...99,
                targetRange: ClosedRange<Int> = 10...100, heldOutTargetShare: Double = 0.1,
                holdoutSeed: UInt64 = 0) {
        self.numberCounts = numberCounts
        self.numberRange = numberRange
        self.targetRange = targetRange
        self.heldOutTargetShare = heldOutTargetShare
        self.holdoutSeed = holdoutSeed
    }

    /// Checks the ranges.
    /// - Throws: `TaskError.invalidConfiguration` naming the field and its allowed range.
    public func validate() throws {
        guard numberCounts.lowerBound >= 2, numberCounts.upperBound <= CountdownSolver.maxNumbers else {
            throw TaskError.invalidConfiguration(
                "countdown numberCounts \(numberCounts) must lie within 2...\(CountdownSolver.maxNumbers)")
        }
        guard numberRange.lowerBound >= 0, numberRange.upperBound <= 10_000 else {
            throw TaskError.invalidConfiguration("countdown numberRange \(numberRange) must lie within 0...10000")
        }
        guard targetRange.lowerBound >= 0, targetRange.upperBound <= 1_000_000 else {
            throw TaskError.invalidConfiguration("countdown targetRange \(targetRange) must lie within 0...1000000")
        }
        guard heldOutTargetShare >= 0, heldOutTargetShare < 1 else {
            throw TaskError.invalidConfiguration(
                "countdown heldOutTargetShare \(heldOutTargetShare) must be at least 0 and below 1")
        }
    }

    /// The held-out (test) targets: `ceil(share × targets)` of them, chosen by shuffling the
    /// target range with `holdoutSeed`.
    public var heldOutTargets: Set<Int> {
        var all = Array(targetRange)
        let k = Int((heldOutTargetShare * Double(all.count)).rounded(.up))
        var rng = SeededRNG(seed: holdoutSeed)
        rng.shuffle(&all)
        return Set(all.prefix(min(k, all.count)))
    }

    /// The targets problems of `split` may have, ascending.
    public func targets(for split: Split) -> [Int] {
        let held = heldOutTargets
        return Array(targetRange).filter { split == .test ? held.contains($0) : !held.contains($0) }
    }
}

/// Draws solvable Countdown problems, deterministically from a seed.
struct CountdownGenerator {
    /// Number-set spaces up to this size are enumerated exhaustively, which makes "more
    /// problems than exist" an exact error rather than a give-up after many draws.
    static let enumerationLimit = 2_000
    /// Consecutive failed draws (unsolvable or already drawn) before giving up.
    static let maxConsecutiveFailures = 5_000

    let config: CountdownConfig

    /// The first `count` problems of `split` for `seed`.
    func problems(split: Split, count: Int, seed: UInt64) throws -> [Problem] {
        try config.validate()
        guard count >= 0 else {
            throw TaskError.invalidConfiguration("cannot generate \(count) problems; ask for 0 or more")
        }
        let pool = config.targets(for: split)
        guard !pool.isEmpty else {
            throw TaskError.invalidConfiguration(split == .test
                ? "countdown has no test targets: heldOutTargetShare is 0; raise it to hold out targets for testing"
                : "countdown has no training targets: every target in \(config.targetRange) is held out; lower heldOutTargetShare or widen targetRange")
        }
        let values = config.numberRange.count
        let numberSets = config.numberCounts.reduce(0.0) { $0 + multisetCount(values, $1) }
        let bound = numberSets * Double(pool.count)
        if Double(count) > bound {
            throw TaskError.invalidConfiguration(
                "asked for \(count) countdown \(split) problems but at most \(Int(bound)) exist (\(Int(numberSets)) number sets × \(pool.count) targets); widen numberRange or targetRange, or ask for fewer")
        }
        if numberSets <= Double(Self.enumerationLimit) {
            return try enumerated(split: split, count: count, seed: seed, pool: pool)
        }
        return try sampled(split: split, count: count, seed: seed, pool: pool)
    }

    /// Small spaces: list every solvable (number set, target), shuffle, take a prefix.
    private func enumerated(split: Split, count: Int, seed: UInt64, pool: [Int]) throws -> [Problem] {
        var candidates: [([Int], Int)] = []
        for k in config.numberCounts {
            forEachMultiset(of: k, in: config.numberRange) { numbers in
                let reachable = CountdownSolver.reachableValues(numbers)
                for target in pool where reachable.contains(target) {
                    candidates.append((numbers, target))
                }
            }
        }
        guard count <= candidates.count else {
            throw TaskError.invalidConfiguration(candidates.isEmpty
                ? "no solvable countdown \(split) problem exists with numbers in \(config.numberRange), \(config.numberCounts) of them, and targets in \(config.targetRange); widen the ranges"
                : "asked for \(count) countdown \(split) problems but only \(candidates.count) solvable ones exist in this configuration; ask for fewer or widen the ranges")
        }
        var rng = SeededRNG.derived(seed: seed, split.streamLabel)
        rng.shuffle(&candidates)
        return candidates.prefix(count).enumerated().map { index, candidate in
            var order = SeededRNG.derived(seed: seed, split.streamLabel, UInt64(index))
            var numbers = candidate.0
            order.shuffle(&numbers)
            return CountdownTask.makeProblem(numbers: numbers, target: candidate.1, split: split, id: nil)
        }
    }

    /// Large spaces: draw (count, numbers, target) until solvable and new, as Stream of
    /// Search does.
    private func sampled(split: Split, count: Int, seed: UInt64, pool: [Int]) throws -> [Problem] {
        var rng = SeededRNG.derived(seed: seed, split.streamLabel)
        var seen = Set<[Int]>()
        var problems: [Problem] = []
        var failures = 0
        while problems.count < count {
            let k = rng.nextInt(in: config.numberCounts)
            let numbers = (0..<k).map { _ in rng.nextInt(in: config.numberRange) }
            let target = pool[rng.nextInt(below: pool.count)]
            let key = numbers.sorted() + [-1, target]
            if !seen.contains(key), CountdownSolver.isSolvable(numbers, target: target) {
                seen.insert(key)
                problems.append(CountdownTask.makeProblem(numbers: numbers, target: target, split: split, id: nil))
                failures = 0
            } else {
                failures += 1
                if failures >= Self.maxConsecutiveFailures {
                    throw TaskError.invalidConfiguration(
                        "found only \(problems.count) of \(count) countdown \(split) problems: \(failures) draws in a row were unsolvable or repeats; widen numberRange or targetRange, or ask for fewer")
                }
            }
        }
        return problems
    }

    /// The number of multisets of size `k` from `n` values, C(n + k − 1, k), as a Double so
    /// that huge spaces cannot overflow.
    private func multisetCount(_ n: Int, _ k: Int) -> Double {
        var result = 1.0
        for i in 0..<k { result = result * Double(n + i) / Double(i + 1) }
        return result.rounded()
    }

    /// Calls `body` with every non-decreasing sequence of `k` values from `range`.
    private func forEachMultiset(of k: Int, in range: ClosedRange<Int>, _ body: ([Int]) -> Void) {
        var current = [Int](repeating: range.lowerBound, count: k)
        while true {
            body(current)
            var i = k - 1
            while i >= 0 && current[i] == range.upperBound { i -= 1 }
            if i < 0 { return }
            current[i] += 1
            for j in (i + 1)..<k { current[j] = current[i] }
        }
    }
}
