import XCTest
import PonderModel
@testable import PonderSearch

/// `SearchContext.sampleInWaves`, the sampling loop best-of-n, rejection and user strategies share.
final class SampleWavesTests: XCTestCase {
    func testWavesOfTheGivenSizeUpToTheSampleCountWithoutFill() throws {
        let toy = try Fixture.toy()
        let context = try Fixture.context(toy, 0)
        let root = try context.policy.start(prompt: toy.problems[0].prompt)
        var sizes: [Int] = [], earlier: [Int] = []
        let all = try context.sampleInWaves(from: root, samples: 7, wave: 3, fill: false) { wave in
            sizes.append(wave.candidates.count)
            earlier.append(wave.earlier.count)
            XCTAssertEqual(wave.finished.count, wave.finishedSequences.count)
            return .keepSampling
        }
        XCTAssertEqual(sizes, [3, 3, 1])
        XCTAssertEqual(earlier, [0, 3, 6])
        XCTAssertEqual(all.count, 7)
    }

    func testStopEndsSamplingAfterTheWaveAndKeepsItsScores() throws {
        let toy = try Fixture.toy()
        let context = try Fixture.context(toy, 1)
        let root = try context.policy.start(prompt: toy.problems[1].prompt)
        let all = try context.sampleInWaves(from: root, samples: 10, wave: 2, fill: false) { wave in
            for i in wave.finished { wave.candidates[i].score = 1 }
            return .stop
        }
        XCTAssertEqual(all.count, 2)
        XCTAssertTrue(all.filter(\.isFinished).allSatisfy { $0.score == 1 })
    }

    func testFillSpendsAFiniteBudgetWhateverTheSampleCount() throws {
        let toy = try Fixture.toy()
        let context = try Fixture.context(toy, 2, budget: .samples(9))
        let root = try context.policy.start(prompt: toy.problems[2].prompt)
        let all = try context.sampleInWaves(from: root, samples: 2)
        XCTAssertEqual(all.filter(\.isFinished).count, 9)
    }

    /// Best-of-n through the shared loop draws exactly the samples of the loop written out.
    func testBestOfNMatchesTheHandWrittenLoop() throws {
        let toy = try Fixture.toy()
        for budget in [Budget.unlimited, .tokens(40), .samples(5)] {
            let viaStrategy = try BestOfN(n: 5, batch: 2, fill: false)
                .search(toy.problems[3], in: Fixture.context(toy, 3, budget: budget))
            let context = try Fixture.context(toy, 3, budget: budget)
            let root = try context.policy.start(prompt: toy.problems[3].prompt)
            let viaHelper = try context.sampleInWaves(from: root, samples: 5, wave: 2, fill: false)
            XCTAssertEqual(viaStrategy.candidates.map(\.text), viaHelper.map(\.text), "\(budget)")
        }
    }
}
