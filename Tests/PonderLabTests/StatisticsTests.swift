import XCTest
@testable import PonderLab

final class StatisticsTests: XCTestCase {
    func testWilsonMatchesHandComputedValues() throws {
        let seven = try Proportion.wilson(successes: 7, trials: 10)
        XCTAssertEqual(seven.estimate, 0.7)
        XCTAssertEqual(seven.low, 0.396778, accuracy: 1e-6)
        XCTAssertEqual(seven.high, 0.892209, accuracy: 1e-6)
        let zero = try Proportion.wilson(successes: 0, trials: 10)
        XCTAssertEqual(zero.low, 0)
        XCTAssertEqual(zero.high, 0.277533, accuracy: 1e-6)
        let all = try Proportion.wilson(successes: 10, trials: 10)
        XCTAssertEqual(all.low, 0.722467, accuracy: 1e-6)
        XCTAssertEqual(all.high, 1, accuracy: 1e-12)
        XCTAssertThrowsError(try Proportion.wilson(successes: 3, trials: 0))
    }

    func testExactMcNemarOnKnownTables() throws {
        // b = 10, c = 2: p = 2 · P(Bin(12, ½) ≤ 2) = 2 · 79/4096
        XCTAssertEqual(try McNemar.test(onlyFirst: 10, onlySecond: 2).pValue, 158.0 / 4096, accuracy: 1e-12)
        XCTAssertEqual(try McNemar.test(onlyFirst: 0, onlySecond: 5).pValue, 2.0 / 32, accuracy: 1e-12)
        XCTAssertEqual(try McNemar.test(onlyFirst: 4, onlySecond: 4).pValue, 1)
        XCTAssertEqual(try McNemar.test(onlyFirst: 0, onlySecond: 0).pValue, 1)
        // symmetric in its arguments
        XCTAssertEqual(try McNemar.test(onlyFirst: 3, onlySecond: 9).pValue,
                       try McNemar.test(onlyFirst: 9, onlySecond: 3).pValue, accuracy: 1e-15)
    }

    /// The estimator equals the fraction of k-subsets (of n samples, c correct) with a correct one.
    func testPassAtKEqualsBruteForceOverSubsets() throws {
        let n = 8
        for c in 0...n {
            for k in 1...n {
                var hits = 0, subsets = 0
                for mask in 0..<(1 << n) where mask.nonzeroBitCount == k {
                    subsets += 1
                    if mask & ((1 << c) - 1) != 0 { hits += 1 }  // samples 0..<c are the correct ones
                }
                XCTAssertEqual(try PassAtK.estimate(samples: n, correct: c, k: k), Double(hits) / Double(subsets),
                               accuracy: 1e-12, "n=\(n) c=\(c) k=\(k)")
            }
        }
        // large n: no overflow, and the known closed form for k = 1 is c/n
        XCTAssertEqual(try PassAtK.estimate(samples: 1000, correct: 3, k: 1), 0.003, accuracy: 1e-12)
        XCTAssertEqual(try PassAtK.estimate(samples: 1000, correct: 500, k: 100), 1, accuracy: 1e-12)
        XCTAssertThrowsError(try PassAtK.estimate(samples: 4, correct: 5, k: 1))
        XCTAssertEqual(try PassAtK.mean([(4, 0), (4, 4)], k: 2), 0.5)
    }

    func testBootstrapIsDeterministicAndCalibrated() throws {
        // 400 coin flips with 200 heads: the percentile interval is close to ±1.96·√(¼/400) = ±0.049
        let values = (0..<400).map { Double($0 % 2) }
        let interval = try Bootstrap.meanInterval(values)
        XCTAssertEqual(interval.estimate, 0.5)
        XCTAssertEqual(interval.high - interval.low, 0.098, accuracy: 0.012)
        XCTAssertEqual(try Bootstrap.meanInterval(values), interval, "a fixed seed replays exactly")
        XCTAssertNotEqual(try Bootstrap.meanInterval(values, options: BootstrapOptions(seed: 99)), interval)
        let constant = try Bootstrap.meanInterval([0.25, 0.25, 0.25])
        XCTAssertEqual([constant.low, constant.high], [0.25, 0.25])
        XCTAssertThrowsError(try Bootstrap.meanInterval([]))
    }

    func testPairedComparisonCountsDiscordantPairs() throws {
        // 20 problems: both right on 0..<5, only A on 5..<15, only B on 15, both wrong after
        let a = (0..<20).map { makeTrial(problem: $0, strategy: "A", correct: $0 < 15, flops: 2e9) }
        let b = (0..<20).map { makeTrial(problem: $0, strategy: "B", correct: $0 < 5 || $0 == 15) }
        let comparison = try XCTUnwrap(try PairedComparison.compare(first: a, second: b))
        XCTAssertEqual(comparison.pairs, 20)
        XCTAssertEqual(comparison.mcnemar.onlyFirst, 10)
        XCTAssertEqual(comparison.mcnemar.onlySecond, 1)
        // 2 · P(Bin(11, ½) ≤ 1) = 2 · 12/2048
        XCTAssertEqual(comparison.mcnemar.pValue, 24.0 / 2048, accuracy: 1e-12)
        XCTAssertEqual(comparison.difference.estimate, 0.45, accuracy: 1e-12)
        XCTAssertLessThan(comparison.difference.high, 0.8)
        XCTAssertGreaterThan(comparison.difference.high, 0.45)
        XCTAssertGreaterThan(comparison.difference.low, 0, "10 vs 1 discordant pairs over 20 problems is a clear win")
        XCTAssertEqual(comparison.firstMeanFlops, 2e9)
        XCTAssertNil(try PairedComparison.compare(first: a, second: []))
    }

    func testFrontierIsTheMonotoneUpperEnvelope() {
        let points = [
            FrontierPoint(strategy: "greedy", budget: BudgetPoint(kind: .samples, value: 1), meanFlops: 1, accuracy: 0.20),
            FrontierPoint(strategy: "bon", budget: BudgetPoint(kind: .samples, value: 4), meanFlops: 4, accuracy: 0.35),
            FrontierPoint(strategy: "beam", budget: BudgetPoint(kind: .samples, value: 4), meanFlops: 3, accuracy: 0.40),
            FrontierPoint(strategy: "bon", budget: BudgetPoint(kind: .samples, value: 16), meanFlops: 16, accuracy: 0.55),
            FrontierPoint(strategy: "beam", budget: BudgetPoint(kind: .samples, value: 16), meanFlops: 12, accuracy: 0.50),
            FrontierPoint(strategy: "mcts", budget: BudgetPoint(kind: .samples, value: 16), meanFlops: 20, accuracy: 0.52),
        ]
        let frontier = ComputeFrontier.envelope(points)
        XCTAssertEqual(frontier.map(\.strategy), ["greedy", "beam", "beam", "bon"])
        XCTAssertEqual(frontier.map(\.meanFlops), [1, 3, 12, 16])
        XCTAssertEqual(ComputeFrontier.best(within: 10, among: points)?.strategy, "beam")
        XCTAssertNil(ComputeFrontier.best(within: 0.5, among: points))
    }

    func testDifficultyBins() {
        let levels = DifficultyBinning.bins(for: [1, 2, 2, 3, 1])
        XCTAssertEqual(levels.map(\.label), ["d=1", "d=2", "d=3"])
        let continuous = DifficultyBinning.bins(for: (0..<100).map { Double($0) / 100 }, quantileBins: 4)
        XCTAssertEqual(continuous.count, 4)
        XCTAssertEqual(continuous.map(\.lower), [0, 0.25, 0.5, 0.75])
        XCTAssertEqual(DifficultyBinning.bin(of: 0.3, in: continuous)?.index, 1)
        // ties never straddle two bins
        let tied = DifficultyBinning.bins(for: Array(repeating: 0.5, count: 30) + (0..<20).map { Double($0) }, quantileBins: 5)
        for (a, b) in zip(tied, tied.dropFirst()) { XCTAssertLessThan(a.upper, b.lower) }
    }
}
