import XCTest
@testable import PonderModel

/// Unit tests of the pieces the goldens exercise end to end: Split behaviors, added-token
/// options, the byte-level alphabet and UTF-8 scanning (the JSON reader has its own tests). Expected values are
/// the examples of huggingface/tokenizers' own tests (`split.rs`, `normalizer.rs`,
/// `added_vocabulary.rs`).
final class TokenizerComponentTests: XCTestCase {
    private func split(_ text: String, literal: String? = nil, regex: String? = nil,
                       _ behavior: SplitBehavior, invert: Bool = false) throws -> [String] {
        let compiled = try literal.map { try CompiledRegex(literal: $0, file: "test") }
            ?? CompiledRegex(pattern: regex ?? "", file: "test")
        var output: [String] = []
        SplitPreTokenizer(regex: compiled, behavior: behavior, invert: invert).split(text, into: &output)
        return output
    }

    func testEverySplitBehavior() throws {
        let text = "the-final--countdown"
        XCTAssertEqual(try split(text, literal: "-", .removed), ["the", "final", "countdown"])
        XCTAssertEqual(try split(text, literal: "-", .isolated),
                       ["the", "-", "final", "-", "-", "countdown"])
        XCTAssertEqual(try split(text, literal: "-", .mergedWithPrevious),
                       ["the-", "final-", "-", "countdown"])
        XCTAssertEqual(try split(text, literal: "-", .mergedWithNext),
                       ["the", "-final", "-", "-countdown"])
        XCTAssertEqual(try split(text, literal: "-", .contiguous),
                       ["the", "-", "final", "--", "countdown"])
    }

    func testEverySplitBehaviorInverted() throws {
        let text = "How are you doing?"
        let words = #"\w+|[^\w\s]+"#
        XCTAssertEqual(try split(text, regex: words, .removed, invert: true),
                       ["How", "are", "you", "doing", "?"])
        XCTAssertEqual(try split(text, regex: words, .isolated, invert: true),
                       ["How", " ", "are", " ", "you", " ", "doing", "?"])
        XCTAssertEqual(try split(text, regex: words, .mergedWithPrevious, invert: true),
                       ["How ", "are ", "you ", "doing", "?"])
        XCTAssertEqual(try split(text, regex: words, .mergedWithNext, invert: true),
                       ["How", " are", " you", " doing", "?"])
        XCTAssertEqual(try split(text, regex: words, .contiguous, invert: true),
                       ["How", " ", "are", " ", "you", " ", "doing?"])
    }

    /// A literal pattern is matched as text, not as a regex.
    func testStringPatternIsLiteral() throws {
        XCTAssertEqual(try split("a.b*c.*d", literal: ".*", .isolated), ["a.b*c", ".*", "d"])
    }

    /// Splitting works on scalars: a combining mark after a space is its own boundary even
    /// though Swift makes the two one Character; astral scalars survive UTF-16 slicing.
    func testSplitUsesScalarsNotCharacters() throws {
        XCTAssertEqual(try split("a \u{301}b", regex: #"\s"#, .isolated), ["a", " ", "\u{301}b"])
        XCTAssertEqual(try split("😀x😀", literal: "x", .removed), ["😀", "😀"])
    }

    private func matcher(_ tokens: [(String, AddedToken)]) -> AddedTokenMatcher {
        AddedTokenMatcher(tokens.map { (pattern: $0.0, token: $0.1) })
    }

    private func token(_ id: Int, _ content: String, singleWord: Bool = false, lstrip: Bool = false,
                       rstrip: Bool = false) -> (String, AddedToken) {
        (content, AddedToken(id: id, content: content, singleWord: singleWord, lstrip: lstrip,
                             rstrip: rstrip, normalized: false, special: false))
    }

    func testAddedTokensMatchLeftmostLongest() {
        let m = matcher([token(1, "<tag>"), token(2, "<tag>long"), token(3, "ag>")])
        XCTAssertEqual(m.split("x<tag>longer<tag>"),
                       [.text("x"), .token(2), .text("er"), .token(1)])
    }

    func testSingleWord() {
        let m = matcher([token(0, "<mask>", singleWord: true)])
        XCTAssertEqual(m.split("<mask> My name <mask> A<mask> <mask>ony <mask>"),
                       [.token(0), .text(" My name "), .token(0), .text(" A<mask> <mask>ony "), .token(0)])
        // Punctuation is not a word character; a combining mark is.
        XCTAssertEqual(m.split("<mask>, <mask>- \u{25CC}\u{330}<mask>"),
                       [.token(0), .text(", "), .token(0), .text("- \u{25CC}\u{330}<mask>")])
    }

    func testLstripAndRstripTakeUnicodeWhitespace() {
        let m = matcher([token(0, "<mask>", singleWord: true, lstrip: true, rstrip: true)])
        XCTAssertEqual(m.split("Hi <mask> there\t<mask>\t<mask>\u{2000}"),
                       [.text("Hi"), .token(0), .text("there"), .token(0), .token(0)])
        let left = matcher([token(1, "[L]", lstrip: true)])
        XCTAssertEqual(left.split("a \u{3000} [L] b"), [.text("a"), .token(1), .text(" b")])
        let right = matcher([token(2, "[R]", rstrip: true)])
        XCTAssertEqual(right.split("a [R] \n b"), [.text("a "), .token(2), .text("b")])
    }

    func testByteLevelAlphabet() {
        XCTAssertEqual(ByteLevelAlphabet.scalars[0x20], "\u{120}")   // Ġ
        XCTAssertEqual(ByteLevelAlphabet.scalars[0x0A], "\u{10A}")   // Ċ
        XCTAssertEqual(ByteLevelAlphabet.scalars[0x00], "\u{100}")   // Ā
        XCTAssertEqual(ByteLevelAlphabet.scalars[0x7F], "\u{121}")   // ġ
        XCTAssertEqual(ByteLevelAlphabet.scalars[0xAD], "\u{143}")   // Ń
        XCTAssertEqual(ByteLevelAlphabet.scalars[0x41], "A")
        XCTAssertEqual(Set(ByteLevelAlphabet.scalars).count, 256)
        for byte in 0..<256 {
            XCTAssertEqual(ByteLevelAlphabet.byte(for: ByteLevelAlphabet.scalars[byte]), UInt8(byte))
        }
        XCTAssertEqual(ByteLevelAlphabet.map(" é\n"), "ĠÃ©Ċ")
        XCTAssertEqual(ByteLevelAlphabet.bytes(ofToken: "ĠÃ©"), [0x20, 0xC3, 0xA9])
        // A token outside the alphabet decodes as its own UTF-8.
        XCTAssertEqual(ByteLevelAlphabet.bytes(ofToken: "<｜User｜>"), Array("<｜User｜>".utf8))
    }

    /// Token tables compare bytes, not Swift's canonical equivalence.
    func testTokenKeysCompareBytes() {
        XCTAssertEqual("\u{212B}", "\u{C5}")  // Swift String: canonically equivalent
        XCTAssertNotEqual(TokenKey("\u{212B}"), TokenKey("\u{C5}"))
        XCTAssertNotEqual(TokenKey("e\u{301}"), TokenKey("\u{E9}"))
        XCTAssertEqual(TokenKey("Ġthe"), TokenKey("Ġ" + "the"))
    }

    func testIncompleteUTF8Tail() {
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([]), 0)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0x61]), 1)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0x61, 0xE2]), 1)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0x61, 0xE2, 0x82]), 1)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0x61, 0xE2, 0x82, 0xAC]), 4)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xF0, 0x9F, 0x98]), 0)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xF0, 0x9F, 0x98, 0x80]), 4)
        // Bytes that can never complete are not held back.
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xE0, 0x80]), 2)   // overlong
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xED, 0xA0]), 2)   // surrogate
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xC0]), 1)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0x82]), 1)
        XCTAssertEqual(UTF8Scanning.incompleteTailStart([0xF0, 0x9F, 0x41]), 3)
    }
}
