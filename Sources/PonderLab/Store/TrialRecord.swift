import Foundation
import PonderSearch

/// The compute a trial spent, one column per ledger unit (mirrors PonderSearch's ledger).
public struct LedgerColumns: Sendable, Hashable, Codable {
    public var prefillTokens: Int
    public var decodeTokens: Int
    /// KV tokens reused through forks instead of being re-encoded (saved work).
    public var reusedTokens: Int
    public var forwardBatches: Int
    public var valueCalls: Int
    public var verifierCalls: Int
    public var flops: Double
    public var wallSeconds: Double

    public init(prefillTokens: Int = 0, decodeTokens: Int = 0, reusedTokens: Int = 0,
                forwardBatches: Int = 0, valueCalls: Int = 0, verifierCalls: Int = 0,
                flops: Double = 0, wallSeconds: Double = 0) {
        self.prefillTokens = prefillTokens
        self.decodeTokens = decodeTokens
        self.reusedTokens = reusedTokens
        self.forwardBatches = forwardBatches
        self.valueCalls = valueCalls
        self.verifierCalls = verifierCalls
        self.flops = flops
        self.wallSeconds = wallSeconds
    }

    /// The same fields as canonical JSON, used when the runner has no richer ledger JSON.
    public var json: String {
        ConfigValue.map([
            "prefill_tokens": .int(prefillTokens), "decode_tokens": .int(decodeTokens),
            "reused_tokens": .int(reusedTokens), "forward_batches": .int(forwardBatches),
            "value_calls": .int(valueCalls), "verifier_calls": .int(verifierCalls),
            "flops": .double(flops), "wall_seconds": .double(wallSeconds),
        ]).canonicalJSON
    }
}

/// The rule rewards of a trial's final output (R1-style, from PonderTasks).
public struct RewardComponents: Sendable, Hashable, Codable {
    public var accuracy: Double
    public var format: Double
    public var language: Double
    public var combined: Double

    public init(accuracy: Double, format: Double, language: Double, combined: Double) {
        self.accuracy = accuracy
        self.format = format
        self.language = language
        self.combined = combined
    }
}

/// One finished trial: one row of the results store and of `trials.csv`.
///
/// The runner builds it from a `TrialSpec`, the task's problem, the `SearchResult` and the
/// verifier's score, then calls `ResultsStore.insert(_:)` at once.
public struct TrialRecord: Sendable, Hashable, Codable {
    public var runID: String
    /// `TrialSpec.key`; unique within a run.
    public var trialKey: String
    public var problemIndex: Int
    /// The task's id for the problem (stable across runs, e.g. a hash of the numbers).
    public var problemID: String
    /// The task's difficulty measure, when it has one (binned in reports).
    public var difficulty: Double?
    /// The strategy's label from the config.
    public var strategy: String
    /// The registered strategy name.
    public var strategyName: String
    /// The strategy's parameters as canonical JSON.
    public var paramsJSON: String
    public var budgetKind: Budget.Unit
    public var budgetValue: Double
    public var seed: Int
    /// The extracted final answer; nil when none could be extracted.
    public var answer: String?
    /// The verifier's verdict on the final answer.
    public var correct: Bool
    public var rewards: RewardComponents
    public var ledger: LedgerColumns
    /// The full ledger as JSON (may carry more than `ledger`'s columns).
    public var ledgerJSON: String
    /// Tokens the policy generated for this trial (all branches, not only the answer).
    public var generatedTokens: Int
    /// The chosen completion's text.
    public var completion: String
    /// How many complete candidates the strategy produced (nil if it does not produce a set).
    public var candidateCount: Int?
    /// How many of those candidates the verifier accepts: scored after search for reporting
    /// (oracle pass@N), never shown to a verifier-hidden strategy.
    public var candidatesCorrect: Int?
    /// The search tree as JSON (`TreeNode` layout), for strategies that build one.
    public var treeJSON: String?
    public var finishedAt: Date
    /// The curve the trial's strategy belongs to (the label of the swept entry it was expanded
    /// from, else its own label).
    public var family: String
    /// Every finished sample of a bank trial, in draw order (nil for other trials).
    public var bankSamples: [BankSample]?

    public init(runID: String, trialKey: String, problemIndex: Int, problemID: String,
                difficulty: Double?, strategy: String, strategyName: String, paramsJSON: String,
                budgetKind: Budget.Unit, budgetValue: Double, seed: Int, answer: String?,
                correct: Bool, rewards: RewardComponents, ledger: LedgerColumns,
                ledgerJSON: String? = nil, generatedTokens: Int, completion: String,
                candidateCount: Int? = nil, candidatesCorrect: Int? = nil, treeJSON: String? = nil,
                finishedAt: Date = Date(), family: String? = nil, bankSamples: [BankSample]? = nil) {
        self.runID = runID
        self.trialKey = trialKey
        self.problemIndex = problemIndex
        self.problemID = problemID
        self.difficulty = difficulty
        self.strategy = strategy
        self.strategyName = strategyName
        self.paramsJSON = paramsJSON
        self.budgetKind = budgetKind
        self.budgetValue = budgetValue
        self.seed = seed
        self.answer = answer
        self.correct = correct
        self.rewards = rewards
        self.ledger = ledger
        self.ledgerJSON = ledgerJSON ?? ledger.json
        self.generatedTokens = generatedTokens
        self.completion = completion
        self.candidateCount = candidateCount
        self.candidatesCorrect = candidatesCorrect
        self.treeJSON = treeJSON
        self.finishedAt = finishedAt
        self.family = family ?? strategy
        self.bankSamples = bankSamples
    }

    /// A record for `trial`, copying the key, strategy, params, budget and seed from it.
    public init(runID: String, trial: TrialSpec, problemID: String, difficulty: Double?,
                answer: String?, correct: Bool, rewards: RewardComponents, ledger: LedgerColumns,
                ledgerJSON: String? = nil, generatedTokens: Int, completion: String,
                candidateCount: Int? = nil, candidatesCorrect: Int? = nil, treeJSON: String? = nil,
                finishedAt: Date = Date(), bankSamples: [BankSample]? = nil) {
        self.init(runID: runID, trialKey: trial.key, problemIndex: trial.problemIndex,
                  problemID: problemID, difficulty: difficulty, strategy: trial.strategy.label,
                  strategyName: trial.strategy.name, paramsJSON: trial.strategy.paramsJSON,
                  budgetKind: trial.budget.kind, budgetValue: trial.budget.value,
                  seed: Int(truncatingIfNeeded: trial.seed), answer: answer, correct: correct,
                  rewards: rewards, ledger: ledger, ledgerJSON: ledgerJSON,
                  generatedTokens: generatedTokens, completion: completion,
                  candidateCount: candidateCount, candidatesCorrect: candidatesCorrect,
                  treeJSON: treeJSON, finishedAt: finishedAt, family: trial.strategy.family,
                  bankSamples: bankSamples)
    }

    /// Whether this is a trial of the config's sample bank rather than of a strategy.
    public var isBank: Bool { bankSamples != nil }

    /// The budget as a point (kind + value).
    public var budget: BudgetPoint {
        BudgetPoint(kind: budgetKind, value: budgetValue)
    }
}

/// What a run folder's database records about the run itself.
public struct RunInfo: Sendable, Hashable, Codable {
    public var runID: String
    public var name: String
    /// The normalized config as canonical JSON (what the run id hashes, minus versions).
    public var configJSON: String
    public var modelVersion: String
    public var codeVersion: String
    public var createdAt: Date

    public init(runID: String, name: String, configJSON: String, modelVersion: String,
                codeVersion: String, createdAt: Date = Date()) {
        self.runID = runID
        self.name = name
        self.configJSON = configJSON
        self.modelVersion = modelVersion
        self.codeVersion = codeVersion
        self.createdAt = createdAt
    }

    /// The record for a validated config.
    public init(config: ExperimentConfig, modelVersion: String, codeVersion: String, createdAt: Date = Date()) {
        self.init(runID: config.runID(modelVersion: modelVersion, codeVersion: codeVersion),
                  name: config.name, configJSON: config.normalized.canonicalJSON,
                  modelVersion: modelVersion, codeVersion: codeVersion, createdAt: createdAt)
    }
}
