import Foundation
import XCTest
@testable import PonderModel

/// Every fixture tokenizer must reproduce huggingface/tokenizers' ids and decodes exactly
/// (goldens from make_tokenizer_fixtures.py; see Tests/Fixtures/tokenizers/README.md).
final class TokenizerGoldenTests: XCTestCase {
    /// The fixtures the goldens must cover; a missing one would silently shrink the test.
    private let expectedFixtures = [
        "qwen2-style", "llama3-style", "gpt2-style", "added-tokens", "r1-distill-like",
        "variants/split-removed", "variants/split-removed-invert",
        "variants/split-isolated-string", "variants/split-merged-with-previous",
        "variants/split-merged-with-next", "variants/split-merged-with-next-invert",
        "variants/split-contiguous", "variants/split-contiguous-invert",
        "variants/bytelevel-prefix-space", "variants/bytelevel-regex-no-prefix",
        "variants/normalizer-nfkc-nfd", "variants/normalizer-nfkd-nfc",
        "variants/unk-fused", "variants/unk-unfused",
    ]

    func testAllFixturesArePresent() throws {
        let found = try TokenizerFixtures.allDirectories().map {
            String($0.path.dropFirst(TokenizerFixtures.root.path.count + 1))
        }
        XCTAssertEqual(Set(found), Set(expectedFixtures))
    }

    func testEncodingsMatchGoldens() throws {
        for name in expectedFixtures {
            let directory = TokenizerFixtures.directory(name)
            let tokenizer = try Tokenizer.load(directory: directory)
            let goldens = try TokenizerFixtures.goldens(in: directory)
            XCTAssertGreaterThan(goldens.cases.count, 20, name)
            for item in goldens.cases {
                XCTAssertEqual(try tokenizer.encode(item.text), item.ids,
                               "\(name): \(item.text.debugDescription)")
                XCTAssertEqual(try tokenizer.encode(item.text, addSpecialTokens: false),
                               item.idsNoSpecial, "\(name): \(item.text.debugDescription)")
            }
        }
    }

    func testDecodesMatchGoldens() throws {
        for name in expectedFixtures {
            let directory = TokenizerFixtures.directory(name)
            let tokenizer = try Tokenizer.load(directory: directory)
            let goldens = try TokenizerFixtures.goldens(in: directory)
            for item in goldens.cases {
                assertSameText(try tokenizer.decode(item.ids), item.expectedDecoded,
                               "\(name): \(item.ids)")
                assertSameText(try tokenizer.decode(item.ids, skipSpecialTokens: true),
                               item.expectedDecodedSkippingSpecial, "\(name): \(item.ids)")
            }
            // Arbitrary id lists, many of them invalid UTF-8: U+FFFD exactly where tokenizers
            // (Rust's from_utf8_lossy) puts it.
            XCTAssertGreaterThan(goldens.decodeCases.count, 10, name)
            for item in goldens.decodeCases {
                assertSameText(try tokenizer.decode(item.ids), item.decoded, "\(name): \(item.ids)")
                assertSameText(try tokenizer.decode(item.ids, skipSpecialTokens: true),
                               item.decodedSkipSpecial ?? item.decoded, "\(name): \(item.ids)")
            }
        }
    }

    /// Byte-level pipelines lose nothing: decode(encode(x)) == x (after the normalizer).
    /// (Not for added-tokens, whose lstrip/rstrip tokens swallow whitespace by design.)
    func testRoundTripRestoresText() throws {
        for name in ["qwen2-style", "llama3-style", "r1-distill-like"] {
            let tokenizer = try TokenizerFixtures.load(name)
            for item in try TokenizerFixtures.goldens(in: TokenizerFixtures.directory(name)).cases {
                let ids = try tokenizer.encode(item.text, addSpecialTokens: false)
                let expected = name == "llama3-style"
                    ? item.text : item.text.precomposedStringWithCanonicalMapping  // NFC
                assertSameText(try tokenizer.decode(ids), expected, "\(name): \(item.text.debugDescription)")
            }
        }
    }

    /// One tokenizer shared by many threads (it is `Sendable`) gives every thread the goldens.
    func testConcurrentEncodingMatchesGoldens() throws {
        let directory = TokenizerFixtures.directory("qwen2-style")
        let tokenizer = try Tokenizer.load(directory: directory)
        let cases = try TokenizerFixtures.goldens(in: directory).cases
        let results = ConcurrentResults(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            let mismatches = cases.filter { (try? tokenizer.encode($0.text)) != $0.ids }.count
            results.set(worker, mismatches)
        }
        XCTAssertEqual(results.values, Array(repeating: 0, count: 8))
    }

    /// Llama-3 sets `ignore_merges`; the same file without it must give the merge-only ids.
    func testIgnoreMergesChangesTheEncoding() throws {
        let name = "llama3-style"
        let goldens = try TokenizerFixtures.goldens(in: TokenizerFixtures.directory(name))
        let differing = try XCTUnwrap(goldens.withoutIgnoreMerges)
        XCTAssertFalse(differing.isEmpty)
        let withIgnore = try TokenizerFixtures.load(name)
        let directory = try TokenizerFixtures.edited(name, test: self) { object in
            var model = object["model"] as? [String: Any] ?? [:]
            model["ignore_merges"] = false
            object["model"] = model
        }
        let withoutIgnore = try Tokenizer(
            tokenizerFile: directory.appendingPathComponent("tokenizer.json"), configFile: nil)
        for item in differing {
            let ids = try withoutIgnore.encode(item.text, addSpecialTokens: false)
            XCTAssertEqual(ids, item.idsNoSpecial)
            XCTAssertNotEqual(ids, try withIgnore.encode(item.text, addSpecialTokens: false))
        }
        // The vocabulary entry only ignore_merges can reach comes out whole.
        let whole = try XCTUnwrap(withIgnore.id(forToken: ".:.:"))
        XCTAssertEqual(try withIgnore.encode(".:.:", addSpecialTokens: false), [whole])
    }

    /// The legacy `"a b"` merge strings and the `["a", "b"]` pairs load to the same model.
    func testBothMergeFormatsGiveTheSameIds() throws {
        let legacy = TokenizerFixtures.directory("gpt2-style")
        let text = try String(contentsOf: legacy.appendingPathComponent("tokenizer.json"), encoding: .utf8)
        XCTAssertTrue(text.contains("\"Ġ Ġ\""), "the gpt2-style fixture should use legacy merges")
        let pairs = try TokenizerFixtures.edited("gpt2-style", test: self) { object in
            var model = object["model"] as? [String: Any] ?? [:]
            let merges = model["merges"] as? [String] ?? []
            model["merges"] = merges.map { $0.split(separator: " ").map(String.init) }
            object["model"] = model
        }
        let a = try Tokenizer.load(directory: legacy)
        let b = try Tokenizer(tokenizerFile: pairs.appendingPathComponent("tokenizer.json"),
                              configFile: nil)
        for item in try TokenizerFixtures.goldens(in: legacy).cases {
            XCTAssertEqual(try b.encode(item.text, addSpecialTokens: false),
                           try a.encode(item.text, addSpecialTokens: false))
        }
    }
}

/// Per-worker results written from `concurrentPerform`, guarded by a lock.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int]

    init(count: Int) { storage = Array(repeating: -1, count: count) }

    func set(_ index: Int, _ value: Int) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
