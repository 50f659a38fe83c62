import Foundation
import PonderModel
import PonderSearch
import PonderTasks

/// `ponder run`'s engine: a validated config made ready to run, then every pending trial run
/// and committed, then the reports.
///
/// Setting up does everything that can fail before any trial runs: it loads the model and
/// its value head, builds the task and its problems, builds every strategy, checks that the
/// longest prompt plus `generation.max_new_tokens` fits the model's context, and dry-runs each
/// strategy with a zero budget (which costs no forward pass) so that a strategy that needs a
/// value head or the verifier-charged mode says so at once. Then it opens the run folder
/// `<output>/<name>-<run id prefix>/` and the results store.
///
/// Each trial gets its own random stream, derived from (config seed, problem id, strategy
/// label) and not from the budget: a strategy at a larger budget draws the same samples as at
/// a smaller one and then more (common random numbers), so its curve moves because of the
/// budget, not because of fresh luck. Trials share nothing else (each gets a fresh policy),
/// so a killed and resumed run, or a sharded one, reproduces the uninterrupted run exactly.
public final class ExperimentRunner {
    /// Bumped when a code change alters what trials compute; part of the run id.
    /// 0.2: the engine's small-batch kernels (a broadcast kernel for 9–16 rows among them)
    /// and decode attention sum in a different order (last bits of the logits change, so a
    /// sampled token can too).
    public static let codeVersion = "ponder-0.2"

    /// The validated config.
    public let config: ExperimentConfig
    /// The model, task, problems and strategies the trials run with.
    public let environment: TrialEnvironment
    /// The run folder.
    public let runFolder: URL
    /// The run's session: store, pending trials, progress.
    public let session: ExperimentSession

    /// Prepares a run (see the type's notes for what is checked).
    /// - Parameters:
    ///   - workingDirectory: relative model, output and task-file paths start here.
    ///   - outputParent: overrides the config's `output` folder (the parent of run folders).
    ///   - shard: run only this shard's trials, into `shards/results-i-of-n.sqlite`.
    public init(config: ExperimentConfig, workingDirectory: URL, outputParent: URL? = nil, shard: Shard? = nil,
                registry: StrategyRegistry = .builtIn, tasks: TaskRegistry = .builtIn,
                progress: ProgressReporter? = nil) throws {
        self.config = config
        environment = try TrialEnvironment(config: config, workingDirectory: workingDirectory, registry: registry,
                                           tasks: tasks)
        try environment.preflight(config.runnableStrategies)
        try environment.checkBudgetsAffordOneCompletion(config)
        let fingerprint = try ModelFingerprint.compute(directory: environment.modelDirectory)
        let runID = config.runID(modelVersion: fingerprint, codeVersion: Self.codeVersion)
        let parent = outputParent ?? TrialEnvironment.resolve(config.outputDirectory, in: workingDirectory)
        runFolder = parent.appendingPathComponent("\(config.name)-\(runID.prefix(8))", isDirectory: true)
        session = try ExperimentSession(config: config, outputFolder: runFolder, modelVersion: fingerprint,
                                        codeVersion: Self.codeVersion, shard: shard, progress: progress)
    }

    /// Runs every pending trial, committing each as it finishes, then writes the reports
    /// (unless this is a shard). Returns the run folder, the files and the analysis the reports
    /// show, for the caller to print without reading the trials again.
    @discardableResult
    public func run() throws -> RunReport {
        for trial in session.pendingTrials {
            let record: TrialRecord
            do {
                record = try runTrial(trial)
            } catch {
                session.progress.finish()
                throw RunError.trialFailed(key: trial.key, reason: "\(error)")
            }
            try session.record(record)
        }
        return try session.finish()
    }

    /// Runs one trial: search, then scoring by the task, into a record (not yet stored).
    public func runTrial(_ trial: TrialSpec) throws -> TrialRecord {
        let env = environment
        let problem = env.problems[trial.problemIndex], prompt = env.prompts[trial.problemIndex]
        let result = try env.search(trial.strategy.label, problem: trial.problemIndex,
                                    budget: trial.budget.budget, seed: Self.seed(for: trial, problem: problem))
        let task = env.task

        // Scoring happens here, after the search returned: the strategy never sees it.
        let completion = result.completion ?? ""
        let score = task.score(completion, for: problem, prompt: prompt)
        let finished = result.candidates.filter(\.isFinished)
        let finishedCorrect = finished.filter { task.score($0.text, for: problem, prompt: prompt).accuracy == 1 }.count
        let ledger = result.ledger
        let bank = trial.strategy.label == ExperimentConfig.bankLabel
            ? Self.bankSamples(result, score: { task.score($0, for: problem, prompt: prompt).accuracy == 1 },
                               flopModel: FlopModel(config: env.model.config))
            : nil
        return TrialRecord(
            runID: session.runID, trial: trial, problemID: problem.id,
            difficulty: ExperimentTask.numericDifficulty(problem), answer: score.answer?.text,
            correct: score.accuracy == 1,
            rewards: RewardComponents(accuracy: score.accuracy, format: score.format, language: score.language,
                                      combined: score.combined),
            ledger: LedgerColumns(prefillTokens: ledger.prefillTokens, decodeTokens: ledger.decodeTokens,
                                  reusedTokens: ledger.reusedKVTokens, forwardBatches: ledger.forwardBatches,
                                  valueCalls: ledger.valueCalls, verifierCalls: ledger.verifierCalls,
                                  flops: ledger.flops, wallSeconds: ledger.wallSeconds),
            ledgerJSON: try Self.ledgerJSON(result), generatedTokens: ledger.generatedTokens, completion: completion,
            candidateCount: finished.count, candidatesCorrect: finishedCorrect,
            treeJSON: result.tree.map(TreeExport.nestedJSON), bankSamples: bank)
    }

    /// A bank trial's finished samples with their verdicts and costs. The prompt's prefill is
    /// shared by every sample (one prefill, forks); the rest of the trial's FLOPs is each
    /// sample's own, split in proportion to the tokens it generated, so that the subsample of
    /// k samples costs the prefill plus their shares.
    static func bankSamples(_ result: SearchResult, score: (String) -> Bool, flopModel: FlopModel) -> [BankSample] {
        let prefill = flopModel.forwardFLOPs(newTokens: result.ledger.prefillTokens, pastLength: 0)
        let own = max(0, result.ledger.flops - prefill)
        let tokens = result.candidates.reduce(0) { $0 + $1.tokens }
        return result.candidates.filter(\.isFinished).map { candidate in
            BankSample(answer: candidate.answer, correct: score(candidate.text), value: candidate.value,
                       flops: tokens > 0 ? own * Double(candidate.tokens) / Double(tokens) : 0, tokens: candidate.tokens)
        }
    }

    /// The trial's seed: (config seed, problem id, strategy label), not the budget.
    public static func seed(for trial: TrialSpec, problem: Problem) -> UInt64 {
        var rng = SeededRNG.derived(seed: trial.seed, StableHash.of(problem.id), StableHash.of(trial.strategy.label))
        return rng.next()
    }

    private struct LedgerDocument: Encodable {
        var ledger: ComputeLedger
        var budget: BudgetReport
        var statistics: [String: Double]
        var candidates: Int
    }

    /// The full ledger, the budget report and the strategy's statistics, as sorted-key JSON.
    static func ledgerJSON(_ result: SearchResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let document = LedgerDocument(ledger: result.ledger, budget: result.budget, statistics: result.statistics,
                                      candidates: result.candidates.count)
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
