import Foundation
import PonderModel

/// Settings for `DifficultyFrontier.analyze`.
public struct DifficultyFrontierOptions: Sendable, Hashable {
    /// Quantile bins of the held-out difficulty (Snell et al. use 5).
    public var quantileBins: Int
    /// At most this many distinct difficulty values get a bin each instead (see `DifficultyBinning`).
    public var maxLevels: Int
    /// Seeds the split of problems into the two halves.
    public var splitSeed: UInt64
    public var bootstrap: BootstrapOptions

    public init(quantileBins: Int = 5, maxLevels: Int = 8, splitSeed: UInt64 = 0,
                bootstrap: BootstrapOptions = BootstrapOptions()) {
        self.quantileBins = quantileBins
        self.maxLevels = maxLevels
        self.splitSeed = splitSeed
        self.bootstrap = bootstrap
    }
}

/// The strategy a half of the problems chose for one difficulty bin.
public struct BinChoice: Sendable, Hashable, Codable {
    public var bin: DifficultyBin
    /// `[chosen on half A (scored on half B), chosen on half B (scored on half A)]`.
    public var chosen: [String]
}

/// How much compute the per-bin choice saves against the best single strategy at equal accuracy.
public enum EqualAccuracySaving: Sendable, Hashable, Codable {
    /// The single-strategy curve reaches the per-bin accuracy at `singleFlops`;
    /// `factor` = singleFlops / the per-bin choice's mean spend.
    case reached(singleFlops: Double, factor: Double)
    /// The single curve's cheapest point already beats the per-bin accuracy, so it reaches it
    /// somewhere at or below that spend: the saving is at most `factor`.
    case belowCurve(cheapestFlops: Double, factor: Double)
    /// The single curve never gets there (its best accuracy is below the per-bin choice's).
    case notReached(bestSingleAccuracy: Double)

    /// The saving factor when the curve reaches the per-bin accuracy inside its measured range.
    public var factor: Double? {
        if case .reached(_, let factor) = self { return factor }
        return nil
    }
}

/// The per-bin choice against the best single strategy at one budget cap.
public struct DifficultyFrontierPoint: Sendable, Hashable, Codable {
    public var budget: BudgetPoint
    /// Problems scored: every one has a held-out difficulty and trials of every strategy here.
    public var problems: Int
    /// Cross-fitted accuracy of choosing a strategy per difficulty bin (bootstrap over problems).
    public var perBinAccuracy: Interval
    public var perBinMeanFlops: Double
    /// Cross-fitted accuracy of the single strategy best on the other half.
    public var singleAccuracy: Interval
    public var singleMeanFlops: Double
    /// Per-bin minus single, with a paired bootstrap interval.
    public var advantage: Interval
    public var choices: [BinChoice]
    /// `[best single on half A, best single on half B]`.
    public var singleChoice: [String]
    public var saving: EqualAccuracySaving
}

/// Everything `DifficultyFrontier.analyze` found.
public struct DifficultyFrontierReport: Sendable, Hashable, Codable {
    public var bins: [DifficultyBin]
    /// The best-single-strategy curve on all problems: the upper envelope of every strategy's
    /// (mean FLOPs, accuracy) points, which the savings interpolate along.
    public var singleCurve: [FrontierPoint]
    /// One point per budget cap, in budget order.
    public var points: [DifficultyFrontierPoint]
    /// Problems with trials but no held-out difficulty (left out of everything above).
    public var unratedProblems: Int
}

/// The compute-optimal strategy per difficulty bin (Snell et al. 2024, "Scaling LLM Test-Time
/// Compute Optimally"), scored out of sample.
///
/// Choosing the best strategy per bin and scoring it on the same problems would reward luck, so
/// the problems are split in two halves: each half chooses, the other scores, and every problem
/// is scored exactly once by a choice it did not influence (two-fold cross-fitting). The
/// difficulty must be held out too, e.g. 1 − c/n from a sample bank drawn as separate trials
/// (`SampleBank.heldOutDifficulty`): binning by the strategies' own outcomes would leak them.
public enum DifficultyFrontier {
    /// Per-bin choice against best single strategy at every budget cap of `trials`.
    ///
    /// `difficulty` maps problem index to a held-out difficulty (higher is harder). A problem
    /// with several seeds counts once, with its trials averaged. Budgets where either half has
    /// no problem are left out.
    public static func analyze(_ trials: [TrialRecord], difficulty: [Int: Double],
                               options: DifficultyFrontierOptions = DifficultyFrontierOptions()) throws -> DifficultyFrontierReport {
        guard !trials.isEmpty else { throw StatisticsError.invalidArgument("difficulty frontier over no trials") }
        if let bad = trials.first(where: { !($0.ledger.flops.isFinite && $0.ledger.flops > 0) }) {
            throw StatisticsError.invalidArgument(
                "difficulty frontier is read in log FLOPs, but trial \(bad.trialKey) spent \(bad.ledger.flops) FLOPs; record the ledger's FLOPs")
        }
        let table = OutcomeTable(trials)
        let rated = table.problems.filter { difficulty[$0]?.isFinite == true }
        let bins = DifficultyBinning.bins(for: rated.compactMap { difficulty[$0] },
                                          maxLevels: options.maxLevels, quantileBins: options.quantileBins)
        var binOf: [Int: Int] = [:]
        for problem in rated {
            if let bin = DifficultyBinning.bin(of: difficulty[problem], in: bins) { binOf[problem] = bin.index }
        }
        let fold = split(Array(binOf.keys), bins: binOf, seed: options.splitSeed)

        var curvePoints: [FrontierPoint] = []
        var cells: [(BudgetPoint, [String], [Int])] = []
        for budget in table.budgets {
            let strategies = table.strategies.filter { table.has($0, budget) }
            let problems = binOf.keys.sorted().filter { p in strategies.allSatisfy { table.outcome($0, budget, p) != nil } }
            guard !problems.isEmpty else { continue }
            for strategy in strategies {
                let (accuracy, flops) = table.mean(strategy, budget, problems)
                curvePoints.append(FrontierPoint(strategy: strategy, budget: budget, meanFlops: flops, accuracy: accuracy))
            }
            cells.append((budget, strategies, problems))
        }
        let singleCurve = ComputeFrontier.envelope(curvePoints)

        var points: [DifficultyFrontierPoint] = []
        for (budget, strategies, problems) in cells {
            let halves = [problems.filter { fold[$0] == 0 }, problems.filter { fold[$0] == 1 }]
            guard !halves[0].isEmpty, !halves[1].isEmpty else { continue }
            var singleChoice: [String] = [], perBinChoice: [[Int: String]] = []
            for half in halves {
                let single = table.best(strategies, budget, half)
                singleChoice.append(single)
                var byBin: [Int: String] = [:]
                for bin in bins {
                    let inBin = half.filter { binOf[$0] == bin.index }
                    // a bin this half never saw falls back to the half's single best
                    byBin[bin.index] = inBin.isEmpty ? single : table.best(strategies, budget, inBin)
                }
                perBinChoice.append(byBin)
            }
            var perBin: [Double] = [], single: [Double] = [], perBinFlops = 0.0, singleFlops = 0.0
            for problem in problems {
                // scored by the choice of the other half
                let chooser = fold[problem] == 0 ? 1 : 0
                let binned = perBinChoice[chooser][binOf[problem] ?? 0] ?? singleChoice[chooser]
                guard let a = table.outcome(binned, budget, problem),
                      let b = table.outcome(singleChoice[chooser], budget, problem) else { continue }
                perBin.append(a.correct); perBinFlops += a.flops
                single.append(b.correct); singleFlops += b.flops
            }
            let count = Double(perBin.count)
            let intervals = try Bootstrap.meanIntervals([perBin, single, zip(perBin, single).map { $0 - $1 }],
                                                        options: options.bootstrap)
            points.append(DifficultyFrontierPoint(
                budget: budget, problems: perBin.count,
                perBinAccuracy: intervals[0], perBinMeanFlops: perBinFlops / count,
                singleAccuracy: intervals[1], singleMeanFlops: singleFlops / count, advantage: intervals[2],
                choices: bins.map { bin in BinChoice(bin: bin, chosen: perBinChoice.map { $0[bin.index] ?? "" }) },
                singleChoice: singleChoice,
                saving: saving(accuracy: intervals[0].estimate, spend: perBinFlops / count, along: singleCurve)))
        }
        return DifficultyFrontierReport(bins: bins, singleCurve: singleCurve, points: points,
                                        unratedProblems: table.problems.count - binOf.count)
    }

    /// Two halves, balanced within every bin: each bin's problems are ordered by a seeded
    /// hash of their index and dealt alternately, so the split does not depend on which
    /// problems or strategies happen to be present elsewhere.
    static func split(_ problems: [Int], bins: [Int: Int], seed: UInt64) -> [Int: Int] {
        func hash(_ problem: Int) -> UInt64 {
            var rng = SeededRNG.derived(seed: seed, UInt64(bitPattern: Int64(problem)))
            return rng.next()
        }
        var fold: [Int: Int] = [:]
        let byBin = Dictionary(grouping: problems) { bins[$0] ?? 0 }
        for key in byBin.keys.sorted() {
            let ordered = (byBin[key] ?? []).map { (hash($0), $0) }.sorted { $0 < $1 }
            for (position, entry) in ordered.enumerated() { fold[entry.1] = position % 2 }
        }
        return fold
    }

    /// Where the single curve (linear in log FLOPs between its points) reaches `accuracy`.
    static func saving(accuracy target: Double, spend: Double, along curve: [FrontierPoint]) -> EqualAccuracySaving {
        // Accuracies computed from the same per-problem values can differ in the last bits only.
        let tolerance = 1e-12
        guard let first = curve.first, let last = curve.last else { return .notReached(bestSingleAccuracy: 0) }
        if target > last.accuracy + tolerance { return .notReached(bestSingleAccuracy: last.accuracy) }
        if abs(target - first.accuracy) <= tolerance {
            return .reached(singleFlops: first.meanFlops, factor: first.meanFlops / spend)
        }
        if target < first.accuracy { return .belowCurve(cheapestFlops: first.meanFlops, factor: first.meanFlops / spend) }
        for (a, b) in zip(curve, curve.dropFirst()) where target <= b.accuracy + tolerance {
            // at a measured point take its spend as it is: exp(log(x)) is not always x
            let t = (target - a.accuracy) / (b.accuracy - a.accuracy)
            let flops = abs(target - b.accuracy) <= tolerance ? b.meanFlops
                : exp(log(a.meanFlops) + t * (log(b.meanFlops) - log(a.meanFlops)))
            return .reached(singleFlops: flops, factor: flops / spend)
        }
        return .notReached(bestSingleAccuracy: last.accuracy)
    }
}
