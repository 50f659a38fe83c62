import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTasks
@testable import PonderTrain

/// The tokenizer Ponder trains for its small models (Tests/Fixtures/train/countdown-tokenizer)
/// gives the ids Hugging Face `tokenizers` gives — and transformers' AutoTokenizer, which the
/// golden script checked — and Ponder retrains it byte for byte from its settings.
final class SmallModelTokenizerTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let ids: [Int]
            let idsWithoutSpecial: [Int]
            let decoded: String
            enum CodingKeys: String, CodingKey {
                case text, ids, decoded
                case idsWithoutSpecial = "ids_without_special"
            }
        }
        let vocabSize: Int
        let cases: [Case]
        enum CodingKeys: String, CodingKey { case vocabSize = "vocab_size", cases }
    }

    static let directory = TrainFixtures.trainDirectory.appendingPathComponent("countdown-tokenizer")

    func testPonderTokenizerGivesTheHuggingFaceGoldenIds() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.directory.appendingPathComponent("golden.json")))
        let tokenizer = try Tokenizer.load(directory: Self.directory)
        XCTAssertEqual(tokenizer.count, golden.vocabSize)
        XCTAssertEqual(golden.cases.count, 12)
        for item in golden.cases {
            XCTAssertEqual(try tokenizer.encode(item.text, addSpecialTokens: true), item.ids, item.text)
            XCTAssertEqual(try tokenizer.encode(item.text, addSpecialTokens: false), item.idsWithoutSpecial, item.text)
            XCTAssertEqual(try tokenizer.decode(item.idsWithoutSpecial), item.decoded, item.text)
        }
        XCTAssertEqual(tokenizer.bosTokenId, 0)
        XCTAssertEqual(tokenizer.eosTokenIds, [1])
        XCTAssertEqual(tokenizer.id(forToken: "<think>"), 3)
        XCTAssertEqual(tokenizer.id(forToken: "</answer>"), 6)
        // Special tokens drop out when asked; the reasoning tags stay.
        let ids = try tokenizer.encode("<think>1</think><|eos|>", addSpecialTokens: true)
        XCTAssertEqual(try tokenizer.decode(ids, skipSpecialTokens: true), "<think>1</think>")
    }

    func testRetrainingFromTheFixtureSettingsReproducesTheFilesByteForByte() throws {
        let config = try SFTConfig.load(path: Self.directory.appendingPathComponent("tokenizer-config.yaml").path)
        let task = try SFTRun.makeTask(config.task)
        let problems = try task.problems(split: .train, count: config.tokenizer.corpusProblems, seed: config.task.problemSeed)
        let traces = try TaskTraces.references(task: task, problems: problems, style: .compact)
        let writer = try SmallModelVocabulary.trainTokenizer(
            on: traces, vocabularySize: config.tokenizer.vocabularySize,
            minimumFrequency: config.tokenizer.minimumFrequency, modelMaxLength: config.model.maxPositionEmbeddings)
        let json = try String(contentsOf: Self.directory.appendingPathComponent("tokenizer.json"), encoding: .utf8)
        let configJSON = try String(contentsOf: Self.directory.appendingPathComponent("tokenizer_config.json"), encoding: .utf8)
        XCTAssertEqual(writer.tokenizerJSON(), json)
        XCTAssertEqual(writer.tokenizerConfigJSON(), configJSON)
    }
}
