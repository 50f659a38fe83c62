import XCTest
import PonderModel
@testable import PonderSearch

/// Shared helpers: the toy benchmark, contexts, and a checker that counts its calls.
enum Fixture {
    /// A result as sorted-key JSON without its wall time: what "replays byte for byte" compares.
    static func replayBytes(_ result: SearchResult) throws -> Data {
        var copy = result
        copy.ledger = copy.ledger.withoutWallTime
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(copy)
    }

    /// A small toy benchmark (cheap enough to build per test).
    static func toy(problems: Int = 12, seed: UInt64 = 7) throws -> TabularToy {
        try TabularToy.make(problems: problems, seed: seed)
    }

    /// A context for problem `k` of `toy` (the trial seed mixes `seed` with `k`, as the lab does).
    static func context(_ toy: TabularToy, _ k: Int, budget: Budget = .unlimited, seed: UInt64 = 1,
                        value: (any ValueFunction)? = TabularPolicy.perfectValueHead,
                        mode: EvaluationMode = .verifierHidden, checker: (any AnswerChecker)? = nil,
                        temperature: Float = 1) throws -> SearchContext {
        var trial = SeededRNG.derived(seed: seed, UInt64(k))
        return try SearchContext(policy: toy.policy, valueFunction: value, budget: budget, seed: trial.next(), mode: mode,
                          sampling: SamplingParameters(temperature: temperature),
                          task: toy.hooks(for: k, checker: checker))
    }

    /// Whether `result` answered problem `k` correctly.
    static func correct(_ result: SearchResult, _ toy: TabularToy, _ k: Int) -> Bool {
        result.answer == toy.correctAnswers[k]
    }

    /// A two-problem hand-built policy. Problem 0 ("vote"): answer 7 (correct) comes from two
    /// paths of 0.25 each (0.5 total), answer 9 from one path of 0.3 (the greedy path), answer
    /// 5 from 0.2. Problem 1 ("stop") holds the stop string "END" in its only completion.
    static func handBuilt(promptLength: Int = 8, stopStrings: [String] = []) throws -> TabularPolicy {
        var b = TabularPolicyBuilder()
        b.addProblem(prompt: "vote", correctAnswer: "7", completions: [
            (["a", "\n", "Answer: 7", "<eos>"], 0.25),
            (["b", "\n", "Answer: 7", "<eos>"], 0.25),
            (["c", "\n", "Answer: 9", "<eos>"], 0.3),
            (["d", "\n", "Answer: 5", "<eos>"], 0.2),
        ])
        b.addProblem(prompt: "stop", correctAnswer: "1", completions: [
            (["x", "y", "END", "z", "<eos>"], 1),
        ])
        return try b.build(promptLength: promptLength, flopModel: tinyModel, stepDelimiters: ["\n"],
                           stopStrings: stopStrings, maxNewTokens: 32, extractor: .after("Answer:"))
    }

    /// A small architecture whose FLOPs are easy to check by hand.
    static let tinyModel = FlopModel(hiddenSize: 8, layers: 2, heads: 2, kvHeads: 1, headDim: 4,
                                     intermediateSize: 16, vocabSize: 32)

    /// Hooks for the hand-built policy.
    static func handHooks(checker: (any AnswerChecker)? = nil) -> TaskHooks {
        TaskHooks(stepSplitter: .delimiters(["\n"]), answerExtractor: .after("Answer:"),
                  checker: checker ?? CheckerFunction { _, a in a == "7" })
    }
}

/// A checker that counts how often it is asked.
final class CountingChecker: AnswerChecker {
    private(set) var calls = 0
    let correct: String
    init(correct: String) { self.correct = correct }
    func check(completion: String, answer: String?) -> Bool {
        calls += 1
        return answer == correct
    }
}

/// Every built-in strategy with small settings, by name (value-based where the strategy needs it).
let smallStrategies: [(String, [String: ParameterValue])] = [
    ("greedy", [:]),
    ("sample", [:]),
    ("best-of-n", ["n": .int(6), "selection": .string("majority")]),
    ("best-of-n", ["n": .int(6), "selection": .string("weighted-vote"), "batch": .int(2)]),
    ("best-of-n", ["n": .int(6), "selection": .string("max-value")]),
    ("rejection", ["max_samples": .int(6), "threshold": .double(0.6)]),
    ("beam", ["beam_width": .int(2), "expansions": .int(2)]),
    ("beam", ["beam_width": .int(2), "expansions": .int(2), "diverse": .bool(true)]),
    ("mcts-step", ["simulations": .int(6), "width": .int(3), "batch": .int(2)]),
    ("mcts-step", ["simulations": .int(6), "width": .int(3), "root": .string("gumbel"), "leaf": .string("mix")]),
    ("mcts-token", ["simulations": .int(3), "width": .int(2)]),
]
