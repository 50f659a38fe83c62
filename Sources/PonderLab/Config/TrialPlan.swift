import Foundation
import PonderModel

/// One unit of work: a problem, a strategy with its parameters, a budget cap and a seed.
public struct TrialSpec: Sendable, Hashable {
    /// Index of the problem in the task's selection (0-based).
    public var problemIndex: Int
    /// The strategy entry (label, registered name, params).
    public var strategy: StrategySpec
    /// The budget cap.
    public var budget: BudgetPoint
    /// The replication seed from the config's `seeds`.
    public var seed: UInt64

    /// A stable key, unique within a run: `p12|mcts-step|flops=2000000000000|s1`.
    ///
    /// Labels are unique within a config and the run id covers parameters, so the key needs
    /// nothing else; it never depends on the trial's position in the list.
    public var key: String {
        "p\(problemIndex)|\(strategy.label)|\(budget)|s\(seed)"
    }

    /// The seed of the trial's own random stream, derived from (seed, problem, label, budget).
    ///
    /// Different strategies on the same problem and seed get different streams; the same
    /// trial always gets the same stream, whatever else is in the run or shard.
    public var rngSeed: UInt64 {
        // Hash the whole key rather than XOR-ing small integers together, where
        // (seed 0, problem 1) and (seed 1, problem 0) would collide.
        var rng = SeededRNG(seed: StableHash.fnv1a("\(seed)|\(problemIndex)|\(strategy.label)|\(budget)"))
        return rng.next()
    }

    /// A fresh generator for this trial's search.
    public func makeRNG() -> SeededRNG {
        SeededRNG(seed: rngSeed)
    }
}

/// `--shard i/n`: a deterministic slice of a run's trials for job arrays.
///
/// Shards are 0-based (`0/4` … `3/4`, matching Slurm's `SLURM_ARRAY_TASK_ID`) and take the
/// trials round-robin, so each gets a balanced mix of cheap and expensive strategies.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw ShardError.outOfRange(index: index, count: count)
        }
        self.index = index
        self.count = count
    }

    /// Parses `i/n`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError.malformed(text)
        }
        try self.init(index: index, count: count)
    }

    /// Whether the trial at `position` of the full, ordered trial list belongs to this shard.
    public func contains(position: Int) -> Bool {
        position % count == index
    }

    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that cannot be used.
public enum ShardError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case malformed(String)
    case outOfRange(index: Int, count: Int)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "--shard \(text): expected `i/n`, e.g. `--shard 0/4` for the first of four shards."
        case .outOfRange(let index, let count):
            return "--shard \(index)/\(count): the index must be in 0..<n and n ≥ 1 (shards are 0-based: 0/\(max(count, 1)) … \(max(count, 1) - 1)/\(max(count, 1)))."
        }
    }

    public var errorDescription: String? { description }
}

extension ExperimentConfig {
    /// Every trial of the run in a fixed order: problem, then strategy, then budget, then seed.
    ///
    /// Problem-major order means a partial run (or an interrupted one) has complete, paired
    /// rows for its first problems rather than one strategy's rows for all problems.
    public func trials() -> [TrialSpec] {
        var trials: [TrialSpec] = []
        for problem in 0..<task.problemCount {
            for strategy in runnableStrategies {
                for budget in budgetPoints(for: strategy) {
                    for seed in seeds {
                        trials.append(TrialSpec(problemIndex: problem, strategy: strategy,
                                                budget: budget, seed: seed))
                    }
                }
            }
        }
        return trials
    }

    /// This shard's slice of `trials()` (all trials when `shard` is nil).
    public func trials(shard: Shard?) -> [TrialSpec] {
        let all = trials()
        guard let shard else { return all }
        return all.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element)
    }

    /// The run id: SHA-256 of the normalized config plus the model and code versions.
    ///
    /// Any change to what the run computes (a parameter, a default, the problem count, the
    /// model's weights, the code) gives a new id, so old results are never mixed in.
    /// `output` is not part of it: moving a run folder does not change its results.
    public func runID(modelVersion: String, codeVersion: String) -> String {
        let material = normalized.canonicalJSON + "\nmodel:" + modelVersion + "\ncode:" + codeVersion
        return SHA256.hex(material)
    }
}
