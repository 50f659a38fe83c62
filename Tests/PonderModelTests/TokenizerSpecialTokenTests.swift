import Foundation
import XCTest
@testable import PonderModel

/// BOS/EOS rules and the lookup API: the R1-Distill LlamaTokenizerFast BOS rule
/// (engine-facts.md A5), template BOS (Llama-3), BOS-less Qwen2, and lookups by content.
final class TokenizerSpecialTokenTests: XCTestCase {
    private let bosR1 = "<\u{FF5C}begin\u{2581}of\u{2581}sentence\u{FF5C}>"
    private let eosR1 = "<\u{FF5C}end\u{2581}of\u{2581}sentence\u{FF5C}>"
    private let userR1 = "<\u{FF5C}User\u{FF5C}>"
    private let assistantR1 = "<\u{FF5C}Assistant\u{FF5C}>"

    /// tokenizer.json adds no BOS, but tokenizer_config.json says LlamaTokenizerFast with
    /// add_bos_token: exactly one BOS with special tokens, none without.
    func testLlamaFastConfigPrependsExactlyOneBOS() throws {
        let tokenizer = try TokenizerFixtures.load("r1-distill-like")
        let bos = try XCTUnwrap(tokenizer.id(forToken: bosR1))
        XCTAssertEqual(tokenizer.bosTokenId, bos)
        XCTAssertEqual(tokenizer.eosTokenIds, [try XCTUnwrap(tokenizer.id(forToken: eosR1))])
        let plain = try tokenizer.encode("Who are you?", addSpecialTokens: false)
        XCTAssertFalse(plain.contains(bos))
        XCTAssertEqual(try tokenizer.encode("Who are you?"), [bos] + plain)

        // A rendered chat template already holds BOS: encode it without special tokens.
        let rendered = "\(bosR1)\(userR1)Hi\(assistantR1)<think>\n"
        let ids = try tokenizer.encode(rendered, addSpecialTokens: false)
        XCTAssertEqual(ids.filter { $0 == bos }.count, 1)
        XCTAssertEqual(ids.first, bos)
        // With special tokens it doubles, as transformers does (DeepSeek-R1 #151).
        XCTAssertEqual(Array(try tokenizer.encode(rendered).prefix(2)), [bos, bos])

        // Without the config the same tokenizer.json adds nothing.
        let bare = try Tokenizer(tokenizerFile: TokenizerFixtures.directory("r1-distill-like")
            .appendingPathComponent("tokenizer.json"), configFile: nil)
        XCTAssertEqual(try bare.encode("Who are you?"), plain)
        XCTAssertNil(bare.bosTokenId)
        XCTAssertEqual(bare.eosTokenIds, [])
    }

    /// Writes the r1-distill-like tokenizer.json with an edited config into a temp directory.
    private func r1(config edit: (inout [String: Any]) -> Void) throws -> Tokenizer {
        let source = TokenizerFixtures.directory("r1-distill-like")
        var config = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: source.appendingPathComponent("tokenizer_config.json"))) as? [String: Any])
        edit(&config)
        let directory = try TokenizerFixtures.temporaryDirectory(self)
        try FileManager.default.copyItem(at: source.appendingPathComponent("tokenizer.json"),
                                         to: directory.appendingPathComponent("tokenizer.json"))
        try JSONSerialization.data(withJSONObject: config)
            .write(to: directory.appendingPathComponent("tokenizer_config.json"))
        return try Tokenizer.load(directory: directory)
    }

    func testLlamaFastAddEosAndDisabledBos() throws {
        let withEos = try r1 { $0["add_eos_token"] = true }
        let bos = try XCTUnwrap(withEos.bosTokenId)
        let eos = try XCTUnwrap(withEos.eosTokenIds.first)
        let plain = try withEos.encode("Hello world", addSpecialTokens: false)
        XCTAssertEqual(try withEos.encode("Hello world"), [bos] + plain + [eos])

        let noBos = try r1 { $0["add_bos_token"] = false }
        XCTAssertEqual(try noBos.encode("Hello world"), plain)
        XCTAssertEqual(noBos.bosTokenId, bos, "bos_token is still named by the config")

        // transformers defaults add_bos_token to true when the key is absent.
        let defaulted = try r1 { $0.removeValue(forKey: "add_bos_token") }
        XCTAssertEqual(try defaulted.encode("Hello world"), [bos] + plain)

        // Another tokenizer class keeps tokenizer.json's post-processor (no BOS).
        let qwenClass = try r1 { $0["tokenizer_class"] = "Qwen2TokenizerFast" }
        XCTAssertEqual(try qwenClass.encode("Hello world"), plain)
    }

    func testLlamaFastWithNullBosIsAnError() throws {
        XCTAssertThrowsError(try r1 { $0["bos_token"] = NSNull() }) { error in
            guard case .invalidField(let file, let field, _) = error as? TokenizerError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(file.hasSuffix("tokenizer_config.json"))
            XCTAssertEqual(field, "bos_token")
        }
    }

    func testTemplateProcessingAddsBOS() throws {
        let tokenizer = try TokenizerFixtures.load("llama3-style")
        let bos = try XCTUnwrap(tokenizer.id(forToken: "<|begin_of_text|>"))
        XCTAssertEqual(tokenizer.bosTokenId, bos)
        XCTAssertEqual(tokenizer.eosTokenIds, [try XCTUnwrap(tokenizer.id(forToken: "<|eot_id|>"))])
        let plain = try tokenizer.encode("Hello", addSpecialTokens: false)
        XCTAssertEqual(try tokenizer.encode("Hello"), [bos] + plain)
        // Without tokenizer_config.json, BOS comes from the template.
        let bare = try Tokenizer(tokenizerFile: TokenizerFixtures.directory("llama3-style")
            .appendingPathComponent("tokenizer.json"), configFile: nil)
        XCTAssertEqual(bare.bosTokenId, bos)
        XCTAssertEqual(try bare.encode("Hello"), [bos] + plain)
    }

    func testQwen2HasNoBOS() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        XCTAssertNil(tokenizer.bosTokenId)
        XCTAssertEqual(tokenizer.eosTokenIds, [try XCTUnwrap(tokenizer.id(forToken: "<|im_end|>"))])
        XCTAssertEqual(try tokenizer.encode("Hello"), try tokenizer.encode("Hello", addSpecialTokens: false))
        // eos_token given as an AddedToken dictionary.
        let gpt2 = try TokenizerFixtures.load("gpt2-style")
        XCTAssertEqual(gpt2.eosTokenIds, [try XCTUnwrap(gpt2.id(forToken: "<|endoftext|>"))])
    }

    func testLookupsAndCounts() throws {
        let tokenizer = try TokenizerFixtures.load("added-tokens")
        // Vocabulary 0..<1000, then 15 added tokens, one of which reuses a vocabulary id.
        XCTAssertEqual(tokenizer.count, 1014)
        XCTAssertEqual(tokenizer.specialTokenIds, Set([bosR1, eosR1, "[L]", "[R]"].compactMap {
            tokenizer.id(forToken: $0)
        }))
        XCTAssertEqual(tokenizer.specialTokenIds.count, 4)
        XCTAssertEqual(tokenizer.id(forToken: "<think>"), 1004)
        XCTAssertEqual(tokenizer.token(forId: 1004), "<think>")
        XCTAssertEqual(tokenizer.token(forId: try XCTUnwrap(tokenizer.id(forToken: "Ġ"))), "Ġ")
        XCTAssertNil(tokenizer.token(forId: tokenizer.count))
        XCTAssertNil(tokenizer.token(forId: -1))
        XCTAssertNil(tokenizer.id(forToken: "no such token"))
        // Lookups are by exact bytes: the NFD content is the added token, NFC is not.
        XCTAssertEqual(tokenizer.id(forToken: "cafe\u{301}"), 1012)
        XCTAssertNotEqual(tokenizer.id(forToken: "caf\u{E9}"), 1012)
        // A normalized added token decodes from its normalized text (tokenizers 0.23).
        XCTAssertEqual(tokenizer.token(forId: 1012), "caf\u{E9}")
    }

    /// Special tokens are atomic on encode whether or not they are `special`; only
    /// `special` ones disappear with `skipSpecialTokens`.
    func testSpecialFlagOnlyAffectsDecoding() throws {
        let tokenizer = try TokenizerFixtures.load("added-tokens")
        let ids = try tokenizer.encode("\(bosR1)\(userR1)x<think>y</think>\(eosR1)")
        assertSameText(try tokenizer.decode(ids, skipSpecialTokens: true), "\(userR1)x<think>y</think>")
        assertSameText(try tokenizer.decode(ids), "\(bosR1)\(userR1)x<think>y</think>\(eosR1)")
        for content in [bosR1, userR1, "<think>", "</think>", eosR1] {
            XCTAssertTrue(ids.contains(try XCTUnwrap(tokenizer.id(forToken: content))), content)
        }
    }
}
