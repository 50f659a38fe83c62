import XCTest
@testable import PonderModel

/// The one JSON reader: grammar, the options where readers differ (repeated keys, depth,
/// Python's literals, byte-order mark), pull reading, and the string escaper.
final class JSONReaderTests: XCTestCase {
    private func parse(_ text: String, _ options: JSONParseOptions = .strict) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8), options: options)
    }

    private func parseError(_ text: String, _ options: JSONParseOptions = .strict,
                            line: UInt = #line) -> JSONParseError? {
        do {
            let value = try parse(text, options)
            XCTFail("\(text) parsed as \(value)", line: line)
        } catch let error as JSONParseError {
            return error
        } catch {
            XCTFail("\(text): \(error)", line: line)
        }
        return nil
    }

    func testReadsEveryKindKeepingOrderAndNumberText() throws {
        let value = try parse(#" {"b": [1, -2.5e1, 0, true, false, null], "a": "x\"\\\/\n\u00e9\ud83d\ude00"} "#)
        XCTAssertEqual(value, .object([
            (key: "b", value: .array([.number("1"), .number("-2.5e1"), .number("0"), .bool(true), .bool(false), .null])),
            (key: "a", value: .string("x\"\\/\né😀")),
        ]))
        XCTAssertEqual(value["b"]?.typeName, "array")
        XCTAssertNil(value["c"])
        XCTAssertEqual(try parse(#""Ġ Ġ""#), .string("Ġ Ġ"))
        XCTAssertEqual(try parse("[]"), .array([]))
        XCTAssertEqual(try parse("{}"), .object([]))
    }

    func testNumberConversions() throws {
        XCTAssertEqual(try parse("9007199254740993").integerValue, 9_007_199_254_740_993, "exact, not via Double")
        XCTAssertEqual(try parse("42.0").integerValue, 42)
        XCTAssertEqual(try parse("1e2").integerValue, 100)
        XCTAssertNil(try parse("1.5").integerValue)
        XCTAssertNil(try parse("12345678901234567890").integerValue)
        XCTAssertEqual(try parse("12345678901234567890").unsignedInteger, 12_345_678_901_234_567_890)
        XCTAssertNil(try parse("-1").unsignedInteger)
        XCTAssertNil(try parse("1e2").unsignedInteger)
        XCTAssertTrue(try parse("-7").isIntegerLiteral)
        XCTAssertFalse(try parse("7.0").isIntegerLiteral)
        XCTAssertEqual(try parse("1e400").doubleValue, .infinity)
        XCTAssertNil(try parse("\"1\"").integerValue)
    }

    func testMalformedInputIsRejectedWithTheOffset() {
        for bad in [#"{"a": 1,}"#, "[1,]", #"[1 2]"#, #""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""abc"#,
                    "\"a\u{1}\"", #"{"a" 1}"#, #"{1: 2}"#, "[1] x", #""\q""#, #""\u12""#, "nul", "", "  ",
                    "01", "+1", ".5", "1.", "1e", "-", "--1", "NaN", "Infinity", "[1e+]", "\u{FEFF}[1]"] {
            XCTAssertNotNil(parseError(bad), bad)
        }
        XCTAssertEqual(parseError("[1 2]")?.offset, 3)
        XCTAssertEqual(parseError("[1 2]")?.description, "expected ',' or ']' in an array at byte 3")
        XCTAssertEqual(parseError("[1] x")?.offset, 4)
        XCTAssertEqual(parseError("")?.reason, "unexpected end of input")
        // Invalid UTF-8 inside a string is an error, not a silent U+FFFD.
        let invalid: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        XCTAssertThrowsError(try JSONValue.parse(invalid)) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "string is not valid UTF-8")
        }
    }

    func testRepeatedKeys() throws {
        let text = #"{"z": 1, "a": {"k": 0, "k": 2}, "z": 3}"#
        let error = parseError(text)
        XCTAssertEqual(error?.reason, #"duplicate key "k""#)
        XCTAssertEqual(error?.offset, 23, "points at the repeated key's opening quote")
        let python = try parse(text, JSONParseOptions(duplicateKeys: .keepLast))
        XCTAssertEqual(python, .object([(key: "z", value: .number("3")),
                                        (key: "a", value: .object([(key: "k", value: .number("2"))]))]),
                       "first position, last value, as Python's dict")
        // Keys compare by exact scalars: canonically equivalent spellings are two keys.
        let accents = try parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}")
        guard case .object(let members) = accents else { return XCTFail("\(accents)") }
        XCTAssertEqual(members.count, 2)
        XCTAssertEqual(accents["e\u{301}"], .number("2"))
    }

    func testNestingCap() throws {
        let deepest = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        XCTAssertNoThrow(try parse(deepest))
        let tooDeep = "[" + deepest + "]"
        XCTAssertEqual(parseError(tooDeep)?.reason, "nesting deeper than 128 levels")
        XCTAssertNoThrow(try parse(tooDeep, JSONParseOptions(maximumDepth: 129)))
        XCTAssertNotNil(parseError(#"{"a": [{"b": 1}]}"#, JSONParseOptions(maximumDepth: 2)))
    }

    func testPythonLiteralsAndByteOrderMarkAreOptIn() throws {
        let relaxed = JSONParseOptions(allowsNonFiniteNumbers: true, skipsByteOrderMark: true)
        let value = try parse("\u{FEFF}[NaN, Infinity, -Infinity, -1]", relaxed)
        guard case .array(let items) = value else { return XCTFail("\(value)") }
        XCTAssertEqual(items.map(\.description), ["NaN", "Infinity", "-Infinity", "-1"])
        XCTAssertTrue(items[0].doubleValue?.isNaN ?? false)
        XCTAssertEqual(items[1].doubleValue, .infinity)
        XCTAssertEqual(items[2].doubleValue, -.infinity)
        XCTAssertNil(items[1].integerValue)
        XCTAssertNotNil(parseError("[-NaN]", relaxed))
    }

    /// The streaming API: members in order (repeats included), typed reads, and `readInt`'s
    /// fast path agreeing with the full grammar.
    func testPullReading() throws {
        let text = #"{"b": 7, "a": [1, -20, 3e1, 40.0], "b": "x"}"#
        var keys: [String] = []
        var ints: [Int] = []
        try Array(text.utf8).withUnsafeBytes { bytes in
            var reader = JSONReader(bytes: bytes)
            try reader.readObject { reader, key in
                keys.append(key)
                switch key {
                case "a": try reader.readArray { ints.append(try $0.readInt()) }
                case "b" where try reader.peek() == UInt8(ascii: "\""): _ = try reader.readString()
                default: ints.append(try reader.readInt())
                }
            }
            try reader.expectEnd()
        }
        XCTAssertEqual(keys, ["b", "a", "b"])
        XCTAssertEqual(ints, [7, 1, -20, 30, 40])
        for bad in ["007", "1.5", "\"7\"", "12345678901234567890", "-", "true"] {
            XCTAssertThrowsError(try Array(bad.utf8).withUnsafeBytes { bytes in
                var reader = JSONReader(bytes: bytes)
                let value = try reader.readInt()
                try reader.expectEnd()
                return value
            }, bad)
        }
    }

    func testQuotingAndDescription() throws {
        XCTAssertEqual(JSONText.quoted("a\"b\\c\n\r\t\u{8}\u{C}\u{1}</é😀"),
                       "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001</é😀\"")
        XCTAssertEqual(JSONText.quoted("</é😀\u{7F}", escapingNonASCII: true, escapingLessThan: true),
                       #""\u003c/\u00e9\ud83d\ude00\u007f""#)
        let value = try parse(#"{"k": ["a\nb", 1.50, null, {"x": true}]}"#)
        XCTAssertEqual(value.description, #"{"k": ["a\nb", 1.50, null, {"x": true}]}"#)
        XCTAssertEqual(try parse(value.description), value)
    }
}
