import ArgumentParser
import Foundation
import Ponder

/// `ponder tokenize`: prints the token ids of a text, as the model's tokenizer encodes it.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text.",
        discussion: """
            Only the tokenizer files are needed in the model directory: tokenizer.json and, \
            optionally, tokenizer_config.json. Ids print comma-separated, ready for \
            `ponder detokenize --ids`.
            """)

    @Option(name: .long, help: "Model (or tokenizer) directory holding tokenizer.json.")
    var model: String

    @Option(name: .long, help: "The text to encode.")
    var text: String

    @Flag(name: .long, help: "Print {\"ids\": [...]} instead of comma-separated ids.")
    var json = false

    @Flag(name: .long, help: "Do not add BOS/EOS (use for an already rendered chat template).")
    var noSpecialTokens = false

    func run() throws {
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: model))
        let ids = try tokenizer.encode(text, addSpecialTokens: !noSpecialTokens)
        let list = ids.map(String.init)
        print(json ? "{\"ids\": [\(list.joined(separator: ", "))]}" : list.joined(separator: ","))
    }
}

/// `ponder detokenize`: prints the text of token ids.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Print the text of comma-separated token ids.")

    @Option(name: .long, help: "Model (or tokenizer) directory holding tokenizer.json.")
    var model: String

    @Option(name: .long, help: "Comma-separated token ids, e.g. 151646,15191,525.")
    var ids: String

    @Flag(name: .long, help: "Leave out special tokens (BOS, EOS, ...).")
    var skipSpecialTokens = false

    /// The parsed `--ids`; a malformed list is a usage error.
    func parsedIds() throws -> [Int] {
        try TokenIDList.parse(ids, option: "--ids", allowsEmpty: true)
    }

    func validate() throws {
        _ = try parsedIds()
    }

    func run() throws {
        let tokenizer = try Tokenizer.load(directory: URL(fileURLWithPath: model))
        print(try tokenizer.decode(try parsedIds(), skipSpecialTokens: skipSpecialTokens))
    }
}
