import Foundation

/// Runs a notebook's commands: the CLI passes a closure that runs one `ponder` subcommand
/// (argv without the leading `ponder`) and returns what it printed, or throws.
public typealias NotebookExecutor = ([String]) throws -> String

/// What happened to one ```` ```ponder ```` block.
public struct NotebookBlockResult: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case succeeded
        case failed(String)
        /// Not run because an earlier block failed.
        case skipped
    }

    /// 1-based line of the block's opening fence.
    public var line: Int
    public var commands: [[String]]
    public var status: Status
    /// The text written between the output markers.
    public var output: String
}

/// The result of running a notebook.
public struct NotebookResult: Sendable, Hashable {
    public var blocks: [NotebookBlockResult]
    /// The notebook text with every block's output region regenerated.
    public var markdown: String
    /// Whether `markdown` differs from the input.
    public var changed: Bool

    /// True when any block failed: `ponder notebook run` then exits non-zero (after writing).
    public var failed: Bool {
        blocks.contains { if case .failed = $0.status { return true } else { return false } }
    }
}

/// Executable Markdown notebooks (`notebooks-md/*.md`).
///
/// Each fenced block whose info string starts with `ponder` holds commands, one per line
/// (`#` starts a comment line, a trailing `\` continues a line, a leading `ponder` word is
/// optional). Blocks run in document order; each block's output is written right below it
/// between `<!-- ponder:output:begin -->` and `<!-- ponder:output:end -->`, replacing what a
/// previous run wrote there, so rerunning an unchanged notebook changes no bytes and a diff
/// shows only numbers that moved. Output is fenced as text unless the block says
/// ```` ```ponder output=markdown ```` (for commands that print Markdown tables). After a
/// failing block, later blocks are marked skipped rather than left with stale numbers.
public struct NotebookRunner {
    public static let beginMarker = "<!-- ponder:output:begin -->"
    public static let endMarker = "<!-- ponder:output:end -->"

    private let executor: NotebookExecutor

    public init(executor: @escaping NotebookExecutor) {
        self.executor = executor
    }

    /// Runs the notebook file and rewrites it when its text changed.
    public func run(file: URL) throws -> NotebookResult {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw NotebookError.cannotRead(path: file.path, reason: error.localizedDescription)
        }
        let result = try run(markdown: text, file: file.lastPathComponent)
        if result.changed {
            try result.markdown.write(to: file, atomically: true, encoding: .utf8)
        }
        return result
    }

    /// Runs the notebook text and returns the regenerated text (nothing is written).
    public func run(markdown: String, file: String = "notebook.md") throws -> NotebookResult {
        let document = try NotebookDocument(markdown: markdown, file: file)
        var results: [NotebookBlockResult] = []
        var failedAt: Int?
        var pieces: [String] = []
        for segment in document.segments {
            switch segment {
            case .text(let lines):
                pieces.append(contentsOf: lines)
            case .block(let block):
                pieces.append(contentsOf: block.sourceLines)
                let result = execute(block, after: failedAt)
                if case .failed = result.status, failedAt == nil { failedAt = block.line }
                results.append(result)
                pieces.append("")
                pieces.append(NotebookRunner.beginMarker)
                pieces.append(contentsOf: NotebookRunner.render(result.output, markdown: block.markdownOutput))
                pieces.append(NotebookRunner.endMarker)
            }
        }
        let regenerated = pieces.joined(separator: "\n")
        return NotebookResult(blocks: results, markdown: regenerated, changed: regenerated != markdown)
    }

    private func execute(_ block: NotebookDocument.Block, after failedLine: Int?) -> NotebookBlockResult {
        if let failedLine {
            return NotebookBlockResult(line: block.line, commands: [], status: .skipped,
                                       output: "skipped: the block at line \(failedLine) failed")
        }
        let commands: [[String]]
        do {
            commands = try block.commandLines.map(CommandLineSplitter.split).filter { !$0.isEmpty }
                .map { $0.first == "ponder" ? Array($0.dropFirst()) : $0 }
        } catch {
            return NotebookBlockResult(line: block.line, commands: [], status: .failed("\(error)"), output: "error: \(error)")
        }
        var outputs: [String] = []
        for command in commands {
            let prompt = commands.count > 1 && !block.markdownOutput ? "$ ponder \(command.joined(separator: " "))\n" : ""
            do {
                let text = try executor(command)
                outputs.append(prompt + text.trimmingCharacters(in: .newlines))
            } catch {
                let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                outputs.append(prompt + "error: \(message)")
                return NotebookBlockResult(line: block.line, commands: commands, status: .failed(message),
                                           output: outputs.joined(separator: "\n\n"))
            }
        }
        return NotebookBlockResult(line: block.line, commands: commands, status: .succeeded,
                                   output: outputs.joined(separator: "\n\n"))
    }

    /// The lines between the markers: raw Markdown, or a text fence longer than any run of
    /// backticks inside the output (so the output can never close its own fence).
    static func render(_ output: String, markdown: Bool) -> [String] {
        let body = output.isEmpty ? [] : output.components(separatedBy: "\n")
        if markdown { return body }
        var longest = 0, run = 0
        for c in output {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence + "text"] + body + [fence]
    }
}
