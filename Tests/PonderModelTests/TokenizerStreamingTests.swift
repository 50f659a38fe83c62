import Foundation
import XCTest
@testable import PonderModel

/// The streaming detokenizer must give exactly `decode`'s text, chunk by chunk, without ever
/// returning part of a character.
final class TokenizerStreamingTests: XCTestCase {
    private func stream(_ ids: [Int], _ tokenizer: Tokenizer, skip: Bool = false) throws -> [String] {
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: skip)
        var chunks = try ids.map { try detokenizer.append($0) }
        chunks.append(detokenizer.flush())
        return chunks
    }

    func testConcatenationEqualsDecodeForEveryGolden() throws {
        for name in ["qwen2-style", "llama3-style", "gpt2-style", "added-tokens", "r1-distill-like"] {
            let directory = TokenizerFixtures.directory(name)
            let tokenizer = try Tokenizer.load(directory: directory)
            let goldens = try TokenizerFixtures.goldens(in: directory)
            for ids in goldens.cases.map(\.ids) + goldens.decodeCases.map(\.ids) {
                for skip in [false, true] {
                    let chunks = try stream(ids, tokenizer, skip: skip)
                    assertSameText(chunks.joined(), try tokenizer.decode(ids, skipSpecialTokens: skip),
                                   "\(name): \(ids)")
                }
            }
        }
    }

    /// Feeding emoji, ZWJ sequences and CJK one token at a time: text held back while a
    /// character is unfinished, never a U+FFFD, and the whole text at the end.
    func testNeverSplitsACharacter() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        // Text unlike the fixture's training data, so characters span several tokens.
        for text in ["👨‍👩‍👧‍👦 family", "鑫龘靐齉 朤", "unicorn 🦄🧬🪐 🏳️‍🌈", "ｶﾀｶﾅ ぁゐゑ", "e\u{301}\u{302}"] {
            let ids = try tokenizer.encode(text, addSpecialTokens: false)
            let chunks = try stream(ids, tokenizer)
            assertSameText(chunks.joined(), text.precomposedStringWithCanonicalMapping)  // NFC
            XCTAssertTrue(chunks.contains(""), "some token must end inside a character: \(text)")
            for chunk in chunks {
                XCTAssertFalse(chunk.unicodeScalars.contains("\u{FFFD}"), "split character in \(text)")
            }
        }
    }

    /// Each chunk is available as soon as its last byte arrives.
    func testEmitsCompleteCharactersImmediately() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        // "€" is E2 82 AC: three single-byte tokens of the byte-level alphabet.
        let byteIds = try [0xE2, 0x82, 0xAC].map { byte in
            try XCTUnwrap(tokenizer.id(forToken: String(ByteLevelAlphabet.scalars[byte])))
        }
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        assertSameText(try detokenizer.append(byteIds[0]), "")
        assertSameText(try detokenizer.append(byteIds[1]), "")
        assertSameText(try detokenizer.append(byteIds[2]), "€")
        assertSameText(detokenizer.flush(), "")
        let a = try XCTUnwrap(tokenizer.id(forToken: "a"))
        assertSameText(try detokenizer.append(a), "a")
    }

    /// An unfinished character at the end becomes U+FFFD on flush, as decode gives it; an
    /// invalid byte followed by ASCII is replaced as soon as it cannot be completed.
    func testFlushAndInvalidBytesMatchDecode() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        let lead = try XCTUnwrap(tokenizer.id(forToken: String(ByteLevelAlphabet.scalars[0xF0])))
        let a = try XCTUnwrap(tokenizer.id(forToken: "a"))
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        assertSameText(try detokenizer.append(lead), "")
        assertSameText(detokenizer.flush(), "\u{FFFD}")
        assertSameText(try tokenizer.decode([lead]), "\u{FFFD}")
        assertSameText(try detokenizer.append(lead), "")
        assertSameText(try detokenizer.append(a), "\u{FFFD}a")
        assertSameText(try tokenizer.decode([lead, a]), "\u{FFFD}a")
    }

    func testSkipsSpecialTokensLikeDecode() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        let ids = try tokenizer.encode("<|im_start|>user\nHi<|im_end|>")
        assertSameText(try stream(ids, tokenizer, skip: true).joined(), "user\nHi")
        assertSameText(try stream(ids, tokenizer).joined(), "<|im_start|>user\nHi<|im_end|>")
    }

    func testUnknownIdThrows() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        for id in [tokenizer.count, -1, Int.max] {
            XCTAssertThrowsError(try detokenizer.append(id)) { error in
                XCTAssertEqual(error as? TokenizerError,
                               .unknownTokenId(id, file: TokenizerFixtures.directory("qwen2-style")
                                   .appendingPathComponent("tokenizer.json").path))
            }
        }
    }

    /// The buffer never holds more than an unfinished character, however long the stream.
    func testBufferStaysSmall() throws {
        let tokenizer = try TokenizerFixtures.load("qwen2-style")
        let text = String(repeating: "中文 😀 text ", count: 200)
        let ids = try tokenizer.encode(text, addSpecialTokens: false)
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var output = ""
        var fed: [UInt8] = []
        for id in ids {
            output += try detokenizer.append(id)
            try tokenizer.appendBytes(of: id, skipSpecialTokens: false, to: &fed)
            XCTAssertLessThanOrEqual(fed.count - output.utf8.count, 3,
                                     "held back more than an unfinished character")
        }
        output += detokenizer.flush()
        assertSameText(output, text)
    }
}
