import Foundation
import XCTest
import PonderModel
import PonderSearch
@testable import PonderLab

final class SampleBankTests: XCTestCase {
    /// Small random banks with few answers, repeated values (so sums tie), samples without an
    /// answer or a value, and the odd sample whose verdict disagrees with its answer's (so the
    /// representative rule matters).
    func randomBanks(count: Int, sizes: ClosedRange<Int>, seed: UInt64 = 7) -> [BankProblem] {
        var rng = SeededRNG(seed: seed)
        return (0..<count).map { p in
            let n = rng.nextInt(in: sizes)
            let samples = (0..<n).map { _ -> BankSample in
                let pick = rng.nextInt(below: 5)
                let answer: String? = pick == 4 ? nil : ["1", "2", "3", "2"][pick]
                let value: Double? = rng.nextInt(below: 4) == 0 ? nil : [0.25, 0.5, 0.75][rng.nextInt(below: 3)]
                let flip = rng.nextInt(below: 10) == 0
                return BankSample(answer: answer, correct: answer == "1" ? !flip : (answer != nil && flip),
                                  value: value, flops: Double(1 + rng.nextInt(below: 5)) * 1e6, tokens: 10 + rng.nextInt(below: 20))
            }
            return BankProblem(problemIndex: 100 + p, samples: samples, sharedFlops: 3e6)
        }
    }

    /// Every k-subset, in bank order, voted by PonderSearch's `Voting` itself.
    func bruteForce(_ problem: BankProblem, k: Int) -> (pass: Double, majority: Double, weighted: Double) {
        let n = problem.samples.count
        var subsets = 0, pass = 0, majority = 0, weighted = 0
        for mask in 0..<(1 << n) where mask.nonzeroBitCount == k {
            let chosen = (0..<n).filter { mask & (1 << $0) != 0 }.map { problem.samples[$0] }
            let candidates = chosen.map {
                ScoredCandidate(text: "", answer: $0.answer, tokens: $0.tokens, logprob: 0, end: .eos, value: $0.value)
            }
            subsets += 1
            if chosen.contains(where: \.correct) { pass += 1 }
            if let i = Voting.select(candidates, by: .majority), chosen[i].correct { majority += 1 }
            if let i = Voting.select(candidates, by: .weightedVote), chosen[i].correct { weighted += 1 }
        }
        let s = Double(subsets)
        return (Double(pass) / s, Double(majority) / s, Double(weighted) / s)
    }

    func testEnumeratedVotesEqualVotingOverAllSubsets() throws {
        for problem in randomBanks(count: 40, sizes: 2...12) {
            let n = problem.samples.count
            let estimates = try SampleBank.estimates(problem, ks: Array(1...n))
            for estimate in estimates {
                let exact = bruteForce(problem, k: estimate.k)
                let label = "problem \(problem.problemIndex) n=\(n) k=\(estimate.k)"
                XCTAssertEqual(estimate.passAtK, exact.pass, accuracy: 1e-12, label)
                XCTAssertEqual(estimate.majorityAtK, exact.majority, accuracy: 1e-12, label)
                XCTAssertEqual(estimate.weightedAtK, exact.weighted, accuracy: 1e-12, label)
            }
        }
    }

    /// Sampling forced everywhere (no enumeration): within 0.5 points of the exact value on
    /// average over problems, and within 5σ of it on every problem.
    func testSampledVotesAgreeWithBruteForce() throws {
        let options = SampleBankOptions(subsets: 5000, enumerateUpTo: 0, seed: 11)
        let problems = randomBanks(count: 30, sizes: 8...12, seed: 3)
        for k in 2...7 {
            var majorityError = 0.0, weightedError = 0.0
            for problem in problems {
                let estimate = try XCTUnwrap(try SampleBank.estimates(problem, ks: [k], options: options).first)
                let exact = bruteForce(problem, k: k)
                XCTAssertEqual(estimate.passAtK, exact.pass, accuracy: 1e-12)
                XCTAssertEqual(estimate.majorityAtK, exact.majority, accuracy: 0.035, "problem \(problem.problemIndex) k=\(k)")
                XCTAssertEqual(estimate.weightedAtK, exact.weighted, accuracy: 0.035, "problem \(problem.problemIndex) k=\(k)")
                majorityError += estimate.majorityAtK - exact.majority
                weightedError += estimate.weightedAtK - exact.weighted
            }
            XCTAssertLessThan(abs(majorityError) / Double(problems.count), 0.005, "maj@\(k)")
            XCTAssertLessThan(abs(weightedError) / Double(problems.count), 0.005, "weighted@\(k)")
        }
    }

    func testKOneIsPassAtOneAndKNIsTheFullVote() throws {
        // a large bank where sampling would be used for any other k
        var rng = SeededRNG(seed: 5)
        let samples = (0..<256).map { _ -> BankSample in
            let answer: String? = rng.nextInt(below: 6) == 0 ? nil : String(rng.nextInt(below: 7))
            return BankSample(answer: answer, correct: answer == "3", value: rng.nextDouble(), flops: 1, tokens: 1)
        }
        let problem = BankProblem(problemIndex: 0, samples: samples, sharedFlops: 0)
        let options = SampleBankOptions(subsets: 1, enumerateUpTo: 0)
        let estimates = try SampleBank.estimates(problem, ks: [1, 256], options: options)
        let c = samples.filter(\.correct).count
        XCTAssertEqual(estimates[0].passAtK, Double(c) / 256)
        XCTAssertEqual(estimates[0].majorityAtK, Double(c) / 256)
        XCTAssertEqual(estimates[0].weightedAtK, Double(c) / 256)
        let candidates = samples.map { ScoredCandidate(text: "", answer: $0.answer, tokens: 1, logprob: 0, end: .eos, value: $0.value) }
        let majority = try XCTUnwrap(Voting.select(candidates, by: .majority))
        let weighted = try XCTUnwrap(Voting.select(candidates, by: .weightedVote))
        XCTAssertEqual(estimates[1].majorityAtK, samples[majority].correct ? 1 : 0)
        XCTAssertEqual(estimates[1].weightedAtK, samples[weighted].correct ? 1 : 0)
        XCTAssertEqual(estimates[1].passAtK, c > 0 ? 1 : 0)
        // a bank where nobody answers never votes right
        let silent = BankProblem(problemIndex: 1, samples: Array(repeating: BankSample(answer: nil, correct: false, flops: 1, tokens: 1), count: 4), sharedFlops: 0)
        XCTAssertEqual(try SampleBank.estimates(silent, ks: [1, 2, 4]).map(\.majorityAtK), [0, 0, 0])
    }

    func testSameSeedReplaysExactly() throws {
        let problems = randomBanks(count: 20, sizes: 10...12, seed: 9)
        let options = SampleBankOptions(subsets: 200, enumerateUpTo: 0, seed: 4)
        let first = try SampleBank.curve(problems, ks: [1, 2, 4, 8, 10], options: options)
        XCTAssertEqual(try SampleBank.curve(problems, ks: [1, 2, 4, 8, 10], options: options), first)
        // a problem's numbers depend on its own index and k, not on the other problems or ks
        let alone = try SampleBank.estimates(problems[3], ks: [4], options: options)
        let together = try SampleBank.estimates(problems[3], ks: [2, 4, 8], options: options)
        XCTAssertEqual(alone[0], together[1])
        let reseeded = try SampleBank.curve(problems, ks: [1, 2, 4, 8, 10], options: SampleBankOptions(subsets: 200, enumerateUpTo: 0, seed: 5))
        XCTAssertNotEqual(reseeded.map(\.majorityAtK.estimate), first.map(\.majorityAtK.estimate))
        XCTAssertEqual(reseeded[0], first[0], "k = 1 is exact, so no seed moves it")
        // a bank of 12 has at most 924 k-subsets: by default every k is enumerated, exactly
        XCTAssertEqual(try SampleBank.curve(problems, ks: [1, 2, 4, 8, 10]), try SampleBank.curve(problems, ks: [1, 2, 4, 8, 10],
                       options: SampleBankOptions(seed: 99)))
    }

    func testCurveCostsAndIntervals() throws {
        XCTAssertEqual(SampleBank.defaultKs(maxK: 256), [1, 2, 4, 8, 16, 32, 64, 128, 256])
        XCTAssertEqual(SampleBank.defaultKs(maxK: 12), [1, 2, 4, 8, 12])
        XCTAssertEqual(SampleBank.defaultKs(maxK: 1), [1])
        let problems = [
            BankProblem(problemIndex: 0, samples: [BankSample(answer: "1", correct: true, flops: 10, tokens: 2),
                                                   BankSample(answer: "2", correct: false, flops: 30, tokens: 4)], sharedFlops: 100),
            BankProblem(problemIndex: 1, samples: [BankSample(answer: "1", correct: false, flops: 20, tokens: 6),
                                                   BankSample(answer: "1", correct: false, flops: 20, tokens: 6)], sharedFlops: 0),
        ]
        let curve = try SampleBank.curve(problems, ks: [1, 2])
        // problem 0: 100 + k·20, problem 1: k·20
        XCTAssertEqual(curve.map(\.meanFlops), [70, 90])
        XCTAssertEqual(curve.map(\.meanTokens), [4.5, 9])
        XCTAssertEqual(curve[0].passAtK.estimate, 0.25)
        XCTAssertEqual(curve[1].passAtK.estimate, 0.5)
        // k = 2 on problem 0: a 1–1 tie, first seen ("1", correct) wins
        XCTAssertEqual(curve[1].majorityAtK.estimate, 0.5)
        for point in curve {
            for interval in [point.passAtK, point.majorityAtK, point.weightedAtK] {
                XCTAssertLessThanOrEqual(interval.low, interval.estimate)
                XCTAssertGreaterThanOrEqual(interval.high, interval.estimate)
            }
        }
        XCTAssertEqual(SampleBank.heldOutDifficulty(problems), [0: 0.5, 1: 1])
    }

    func testBadInputIsATypedError() {
        let four = BankProblem(problemIndex: 3, samples: Array(repeating: BankSample(answer: "1", correct: true, flops: 1, tokens: 1), count: 4),
                               sharedFlops: 0)
        func error(_ body: () throws -> Any) -> SampleBankError? {
            do { _ = try body(); return nil } catch { return error as? SampleBankError }
        }
        XCTAssertEqual(error { try SampleBank.estimates(four, ks: [1, 8]) }, .kExceedsSamples(k: 8, problemIndex: 3, samples: 4))
        XCTAssertEqual(error { try SampleBank.estimates(BankProblem(problemIndex: 9, samples: [], sharedFlops: 0), ks: [1]) },
                       .emptyBank(problemIndex: 9))
        XCTAssertEqual(error { try SampleBank.curve([], ks: [1]) }, .noProblems)
        XCTAssertEqual(error { try SampleBank.estimates(four, ks: []) }, .noKs)
        XCTAssertEqual(error { try SampleBank.estimates(four, ks: [0]) }, .invalidK(0))
        XCTAssertEqual(error { try SampleBank.estimates(four, ks: [2], options: SampleBankOptions(subsets: 0)) }, .invalidSubsets(0))
        var nan = four
        nan.samples[2].value = .nan
        XCTAssertEqual(error { try SampleBank.estimates(nan, ks: [2]) }, .nonFinite(problemIndex: 3, sample: 2, field: "value"))
        XCTAssertEqual(SampleBankError.kExceedsSamples(k: 8, problemIndex: 3, samples: 4).description,
                       "sample bank: k=8 needs at least 8 samples but problem 3 has 4; lower k_max to 4 or draw more samples")
    }

    func testSharedBootstrapDrawsEqualOneColumnAtATime() throws {
        let a = (0..<50).map { Double($0 % 3) / 2 }
        let b = (0..<50).map { Double($0 % 7 == 0 ? 1 : 0) }
        let options = BootstrapOptions(resamples: 500, seed: 17)
        let both = try Bootstrap.meanIntervals([a, b], options: options)
        XCTAssertEqual(both, [try Bootstrap.meanInterval(a, options: options), try Bootstrap.meanInterval(b, options: options)])
        XCTAssertThrowsError(try Bootstrap.meanIntervals([a, [1]]))
    }

    /// Speed on the scale: 1,000 problems × 256 samples × 9 ks. Not a timed assertion
    /// (CI machines vary); run with PONDER_BANK_SPEED=1 (or =S, S > 1, for S subsets), in release for
    /// real numbers.
    func testSpeedAtFullScale() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["PONDER_BANK_SPEED"] != nil, "set PONDER_BANK_SPEED=1 to measure")
        var rng = SeededRNG(seed: 1)
        let problems = (0..<1000).map { p in
            let accuracy = rng.nextDouble()
            let samples = (0..<256).map { _ -> BankSample in
                let right = rng.nextDouble() < accuracy
                let answer = right ? "42" : String(rng.nextInt(below: 12))
                return BankSample(answer: rng.nextInt(below: 20) == 0 ? nil : answer, correct: right,
                                  value: rng.nextDouble(), flops: 1e9, tokens: 200)
            }
            return BankProblem(problemIndex: p, samples: samples, sharedFlops: 5e8)
        }
        let ks = SampleBank.defaultKs(maxK: 256)
        let start = Date()
        let subsets = ProcessInfo.processInfo.environment["PONDER_BANK_SPEED"].flatMap { Int($0) }.flatMap { $0 > 1 ? $0 : nil } ?? 500
        let curve = try SampleBank.curve(problems, ks: ks, options: SampleBankOptions(subsets: subsets))
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "sample bank: 1000 problems × 256 samples × %d ks, %d subsets, in %.2f s", ks.count, subsets, seconds))
        for point in curve {
            print(String(format: "  k=%3d pass %.3f maj %.3f weighted %.3f", point.k,
                         point.passAtK.estimate, point.majorityAtK.estimate, point.weightedAtK.estimate))
        }
    }
}
