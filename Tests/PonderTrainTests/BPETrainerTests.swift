import Foundation
import XCTest
@testable import PonderModel
@testable import PonderTrain

final class BPETrainerTests: XCTestCase {
    static let added = [AddedTokenSpec(content: "<s>", special: true), AddedTokenSpec(content: "<t>", special: false)]

    func testMergesTheMostFrequentPairFirstAndLaysOutIds() throws {
        // Pieces (Qwen2 pattern): ab, Ġab ×3, ab, cd, Ġcd ×2. "a b" occurs 5 times; then
        // "Ġ ab" and "c d" 3 times each, a tie that "c" < "Ġ" breaks; the cap stops at 3 merges.
        let trainer = try ByteLevelBPETrainer(addedTokens: Self.added, vocabularySize: 2 + 256 + 3)
        let bpe = try trainer.train(["ab ab ab", "ab ab", "cd cd cd"])
        XCTAssertEqual(bpe.vocabulary.prefix(2), ["<s>", "<t>"])
        XCTAssertEqual(bpe.vocabulary[2 + Int(UInt8(ascii: "a"))], "a")
        XCTAssertEqual(bpe.vocabulary[2 + 32], "Ġ")  // the space byte
        XCTAssertEqual(bpe.merges.map { [$0.0, $0.1] }, [["a", "b"], ["c", "d"], ["Ġ", "ab"]])
        XCTAssertEqual(bpe.vocabulary.suffix(3), ["ab", "cd", "Ġab"])
    }

    func testTiesBreakByTheStringsAndRarePairsAreNotMerged() throws {
        // "xy" and "pq" both occur twice; "pq" sorts first. "zz" occurs once: below min frequency.
        let trainer = try ByteLevelBPETrainer(addedTokens: [], vocabularySize: 300, minimumFrequency: 2)
        let bpe = try trainer.train(["xy\npq\nxy\npq\nzw"])
        XCTAssertEqual(bpe.merges.first.map { [$0.0, $0.1] }, ["p", "q"])
        XCTAssertFalse(bpe.vocabulary.contains("zw"))
        XCTAssertEqual(try trainer.train(["xy\npq\nxy\npq\nzw"]), bpe, "training is deterministic")
    }

    func testAddedTokensNeverTakePartInMergesAndTheWrittenFileLoads() throws {
        let trainer = try ByteLevelBPETrainer(addedTokens: Self.added, vocabularySize: 2 + 256 + 10)
        let bpe = try trainer.train(["<t>x<t>x<t>x", "<s><s><s>"])
        XCTAssertFalse(bpe.vocabulary.dropFirst(2).contains { $0.contains("<") && $0.count > 1 })
        let directory = try makeTemporaryDirectory(self)
        let writer = try TokenizerFileWriter(bpe: bpe, bosToken: "<s>", eosToken: "<s>", padToken: "<s>", modelMaxLength: 64)
        try writer.write(to: directory)
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: directory))
        XCTAssertEqual(try tokenizer.encode("<t>x", addSpecialTokens: true), [0, 1, 2 + Int(UInt8(ascii: "x"))])
        XCTAssertEqual(try tokenizer.decode(try tokenizer.encode("a \"quoted\" \\ line\n", addSpecialTokens: false)),
                       "a \"quoted\" \\ line\n")
        XCTAssertThrowsError(try TokenizerFileWriter(bpe: bpe, bosToken: "<bos>", eosToken: "<s>", padToken: "<s>", modelMaxLength: 64))
    }

    func testRejectsVocabulariesTooSmallForTheBytes() {
        XCTAssertThrowsError(try ByteLevelBPETrainer(addedTokens: Self.added, vocabularySize: 257)) { error in
            XCTAssertTrue("\(error)".contains("use at least 258"), "\(error)")
        }
    }
}
