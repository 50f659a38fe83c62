/// Splits a notebook command line into arguments with POSIX-shell-like quoting: single quotes
/// are literal, double quotes allow `\"` and `\\`, a backslash outside quotes escapes the next
/// character. No variables, globs or pipes: a notebook runs `ponder` subcommands, not a shell.
public enum CommandLineSplitter {
    /// The arguments of `line`.
    public static func split(_ line: String) throws -> [String] {
        var arguments: [String] = []
        var current = ""
        var inArgument = false
        var quote: Character?
        var escaping = false
        for c in line {
            if escaping {
                current.append(c); escaping = false; inArgument = true
                continue
            }
            switch quote {
            case "'":
                if c == "'" { quote = nil } else { current.append(c) }
            case "\"":
                if c == "\"" { quote = nil } else if c == "\\" { escaping = true } else { current.append(c) }
            default:
                if c == "'" || c == "\"" {
                    quote = c; inArgument = true
                } else if c == "\\" {
                    escaping = true
                } else if c == " " || c == "\t" {
                    if inArgument { arguments.append(current); current = ""; inArgument = false }
                } else {
                    current.append(c); inArgument = true
                }
            }
        }
        if let quote {
            throw NotebookError.unterminatedQuote(line: line, quote: String(quote))
        }
        if escaping { current.append("\\") }
        if inArgument { arguments.append(current) }
        return arguments
    }
}

/// Notebook failures that stop a run before any command executes.
public enum NotebookError: Error, Sendable, Equatable, CustomStringConvertible {
    case unterminatedQuote(line: String, quote: String)
    case unterminatedFence(file: String, line: Int)
    case unterminatedOutput(file: String, line: Int)
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case .unterminatedQuote(let line, let quote):
            return "unterminated \(quote) quote in `\(line)`: close the quote."
        case .unterminatedFence(let file, let line):
            return "\(file):\(line): the ```ponder block is never closed: add a closing ``` line."
        case .unterminatedOutput(let file, let line):
            return "\(file):\(line): `\(NotebookRunner.beginMarker)` has no matching `\(NotebookRunner.endMarker)`: delete the partial output region and rerun."
        case .cannotRead(let path, let reason):
            return "cannot read notebook \(path): \(reason)"
        }
    }
}
