import XCTest
import PonderModel
@testable import PonderTasks

/// The model-independent rejection-sampling core: keep rules, the resumable store and the
/// builder with a scripted sampler.
final class RejectionSamplingTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-rejection-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testFilterParsing() throws {
        let filter = try RejectionFilter(parsing: " accuracy, format ,language=0.9,max-tokens=512")
        XCTAssertEqual(filter.rules, [.accuracy, .format, .language(minimum: 0.9), .maxTokens(512)])
        XCTAssertEqual(filter.description, "accuracy,format,language=0.9,max-tokens=512")
        XCTAssertEqual(try RejectionFilter(parsing: "language").rules, [.language(minimum: 1)])
        let bad: [(String, String)] = [
            ("", "empty"), ("accuracy,,format", "extra comma"), ("acuracy", "unknown keep rule 'acuracy'"),
            ("max-tokens", "positive whole number"), ("max-tokens=0", "positive whole number"),
            ("max-tokens=abc", "positive whole number"), ("language=2", "from 0 to 1"),
            ("accuracy=1", "takes no value"), ("format,format", "given twice"),
        ]
        for (list, expected) in bad {
            XCTAssertThrowsError(try RejectionFilter(parsing: list), list) { error in
                XCTAssertTrue("\(error)".contains(expected), "'\(list)': \(error)")
            }
        }
    }

    func testFilterRules() throws {
        let filter = try RejectionFilter(parsing: "accuracy,format,language,max-tokens=10")
        let good = Score(accuracy: 1, format: 1, tagCount: 1, language: 1, tinyZero: 1, combined: 1,
                         answer: nil, verdict: .correct)
        XCTAssertTrue(filter.accepts(good, tokenCount: 10))
        XCTAssertEqual(filter.failedRules(good, tokenCount: 11), ["max-tokens"])
        var mixed = good
        mixed.language = 0.99
        mixed.accuracy = 0
        XCTAssertEqual(filter.failedRules(mixed, tokenCount: 5), ["accuracy", "language"])
    }

    private func record(_ id: String, _ text: String) -> RejectionRecord {
        let score = Score(accuracy: 1, format: 1, tagCount: 1, language: 1, tinyZero: 1, combined: 1,
                          answer: nil, verdict: .correct)
        return RejectionRecord(problemID: id, prompt: "p", completion: text, score: score, tokens: 3,
                               sample: 0, difficulty: Difficulty(bin: "b"))
    }

    private func outcome(_ id: String, accepted: Int) -> ProblemOutcome {
        ProblemOutcome(problemID: id, bin: "b", sampled: 4, accepted: accepted, rejections: ["accuracy": 4 - accepted])
    }

    func testStoreResumesAfterAHalfWrittenLineWithoutDuplicates() throws {
        let url = directory.appendingPathComponent("out.jsonl")
        do {
            let store = try RejectionDataStore(outputURL: url)
            XCTAssertTrue(store.repairs.isEmpty)
            try store.append(records: [record("a", "one\nline"), record("a", "two")], outcome: outcome("a", accepted: 2))
            try store.append(records: [], outcome: outcome("b", accepted: 0))
            XCTAssertThrowsError(try store.append(records: [], outcome: outcome("a", accepted: 0)),
                                 "appending a finished problem again would duplicate it")
        }
        // Simulate a crash: problem c's records were written, one of them only half, and its
        // progress line never was.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        let full = try JSONEncoder().encode(record("c", "complete"))
        try handle.write(contentsOf: full + Data("\n".utf8) + full.prefix(20))
        try handle.close()

        let resumed = try RejectionDataStore(outputURL: url)
        XCTAssertEqual(resumed.finishedProblemIDs, ["a", "b"])
        XCTAssertEqual(resumed.repairs.count, 2, "\(resumed.repairs)")
        XCTAssertTrue(resumed.repairs[0].contains("half-written"))
        XCTAssertTrue(resumed.repairs[1].contains("unfinished"))
        XCTAssertEqual(try RejectionDataStore.readRecords(url).map(\.completion), ["one\nline", "two"])
        XCTAssertEqual(resumed.statistics.overall.problems, 2)
        XCTAssertEqual(resumed.statistics.overall.samples, 8)
        XCTAssertEqual(resumed.statistics.overall.accepted, 2)
        XCTAssertEqual(resumed.statistics.overall.solvedProblems, 1)

        try resumed.append(records: [record("c", "complete")], outcome: outcome("c", accepted: 1))
        let ids = try RejectionDataStore.readRecords(url).map(\.problemID)
        XCTAssertEqual(ids, ["a", "a", "c"], "c appears once")

        // A crash in the middle of a later progress line (problem d, which kept nothing).
        let progress = try FileHandle(forWritingTo: resumed.progressURL)
        try progress.seekToEnd()
        try progress.write(contentsOf: Data("{\"problem_id\": \"d\", \"bi".utf8))
        try progress.close()
        let again = try RejectionDataStore(outputURL: url)
        XCTAssertEqual(again.finishedProblemIDs, ["a", "b", "c"])
        XCTAssertEqual(again.repairs.count, 1)
        XCTAssertEqual(try RejectionDataStore.readRecords(url).count, 3)
    }

    func testALostOutputIsReportedNotSilentlyAccepted() throws {
        let url = directory.appendingPathComponent("lost.jsonl")
        try RejectionDataStore(outputURL: url).append(records: [record("a", "x")], outcome: outcome("a", accepted: 1))
        try FileManager.default.removeItem(at: url)
        let reopened = try RejectionDataStore(outputURL: url)
        XCTAssertEqual(reopened.finishedProblemIDs, ["a"])
        XCTAssertTrue(reopened.repairs.contains { $0.contains("different number of records") }, "\(reopened.repairs)")
    }

    func testCorruptCompleteLineIsAnErrorWithFileAndLine() throws {
        let url = directory.appendingPathComponent("bad.jsonl")
        try "{\"problem_id\": \"a\"}\n".write(to: url, atomically: true, encoding: .utf8)
        try "".write(to: URL(fileURLWithPath: url.path + ".progress"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RejectionDataStore(outputURL: url)) { error in
            XCTAssertTrue("\(error)".contains("bad.jsonl:1: not a valid RejectionRecord line"), "\(error)")
        }
    }

    /// A scripted sampler: for each problem, the reference, a wrong answer, a reference
    /// duplicate and a reasoning in the wrong language; draws from the rng it is given.
    private func scriptedSampler(_ task: CountdownTask, _ problems: [Problem]) -> CompletionSampler {
        let byPrompt: [String: Problem] = Dictionary(uniqueKeysWithValues: problems.compactMap { p in
            (try? task.prompt(for: p, style: .compact)).map { ($0.text, p) }
        })
        return { prompt, k, rng in
            guard let problem = byPrompt[prompt.text],
                  let reference = try task.referenceCompletion(for: problem, prompt: prompt) else { return [] }
            let noise = rng.nextInt(below: 1000)
            let options = [
                SampledCompletion(text: reference, tokenCount: 20),
                SampledCompletion(text: "\(noise)\n</think>\n<answer>1 + 1</answer>", tokenCount: 8),
                SampledCompletion(text: reference, tokenCount: 20),
                SampledCompletion(text: "这是\n" + reference, tokenCount: 22),
            ]
            return Array(options.prefix(k))
        }
    }

    func testBuilderKeepsOnlyPassingSamplesAndResumes() throws {
        let task = try CountdownTask()
        let problems = try task.problems(split: .train, count: 6, seed: 2)
        let builder = try RejectionSamplingBuilder(task: task, style: .compact,
                                                   filter: RejectionFilter(parsing: "accuracy,format,language"),
                                                   samplesPerProblem: 4, seed: 9)
        let url = directory.appendingPathComponent("sft.jsonl")
        let sampler = scriptedSampler(task, problems)

        // First run stops after 4 problems (as if killed), the second finishes.
        let first = try RejectionDataStore(outputURL: url)
        _ = try builder.run(problems: Array(problems.prefix(4)), store: first, sampler: sampler)
        let second = try RejectionDataStore(outputURL: url)
        var seen: [String] = []
        let stats = try builder.run(problems: problems, store: second, sampler: sampler) { seen.append($0.problemID) }
        XCTAssertEqual(seen, problems.suffix(2).map(\.id), "finished problems are skipped")

        let records = try RejectionDataStore.readRecords(url)
        XCTAssertEqual(records.map(\.problemID), problems.map(\.id), "one kept sample per problem, no duplicates")
        XCTAssertTrue(records.allSatisfy { $0.accuracy == 1 && $0.format == 1 && $0.language == 1 && $0.sample == 0 })
        XCTAssertEqual(stats.overall.problems, 6)
        XCTAssertEqual(stats.overall.samples, 24)
        XCTAssertEqual(stats.overall.accepted, 6)
        XCTAssertEqual(stats.overall.acceptanceRate, 0.25, accuracy: 1e-12)
        XCTAssertEqual(stats.rejections["duplicate"], 6)
        XCTAssertEqual(stats.rejections["accuracy"], 6)
        XCTAssertEqual(stats.rejections["language"], 6)
        XCTAssertEqual(stats.byBin.values.reduce(0) { $0 + $1.problems }, 6)
        for (bin, counts) in stats.byBin {
            XCTAssertEqual(counts.problems, problems.filter { $0.difficulty.bin == bin }.count, bin)
        }
        XCTAssertTrue(stats.summary.contains("all"))

        // The per-problem stream depends on the problem id only: processing is reproducible.
        let once = try builder.process(problems[0], sampler: sampler)
        let twice = try builder.process(problems[0], sampler: sampler)
        XCTAssertEqual(once.records, twice.records)
    }

    func testBuilderRejectsBadSettings() throws {
        let task = try CountdownTask()
        XCTAssertThrowsError(try RejectionSamplingBuilder(task: task, style: .compact,
                                                          filter: RejectionFilter(rules: [.accuracy]),
                                                          samplesPerProblem: 0, seed: 1))
        XCTAssertThrowsError(try RejectionSamplingBuilder(task: task, style: .compact,
                                                          filter: RejectionFilter(rules: [.accuracy]),
                                                          samplesPerProblem: 2, seed: 1, maxKeptPerProblem: 0))
    }
}
