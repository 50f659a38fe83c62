import ArgumentParser
import Foundation
import Ponder

/// `ponder notebook …`: executable Markdown notebooks.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run executable Markdown notebooks (notebooks-md/*.md).",
        subcommands: [NotebookRunCommand.self])
}

/// `ponder notebook run FILE`: runs every ```` ```ponder ```` block and rewrites its output.
struct NotebookRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a notebook's ponder blocks in order and write each block's output below it.",
        discussion: """
            Each command runs as `ponder …` in a subprocess of this executable, from the current \
            folder; what it prints on stdout becomes the block's output (its stderr is passed \
            through). The file is rewritten only when an output changed. A failing block stops \
            the notebook: later blocks are marked skipped, and the exit status is non-zero.
            """)

    @Argument(help: "The notebook (Markdown).")
    var file: String

    func run() throws {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let runner = NotebookRunner { arguments in try Subprocess.run(executable, arguments) }
        let result = try runner.run(file: URL(fileURLWithPath: file))
        for block in result.blocks {
            let status: String
            switch block.status {
            case .succeeded: status = "ok"
            case .failed(let message): status = "failed: \(message)"
            case .skipped: status = "skipped"
            }
            Console.info("\(file):\(block.line): \(status)")
        }
        print(result.changed ? "\(file): outputs updated" : "\(file): outputs unchanged")
        if result.failed { throw ExitCode.failure }
    }
}

/// A `ponder` subcommand run as a child process.
enum Subprocess {
    /// A command that exited non-zero, with the end of what it wrote on stderr.
    struct Failure: Error, CustomStringConvertible, LocalizedError {
        var command: [String]
        var status: Int32
        var stderr: String

        var description: String {
            let tail = stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
            return "`ponder \(command.joined(separator: " "))` exited with status \(status)"
                + (tail.isEmpty ? "" : ": \(tail)")
        }

        var errorDescription: String? { description }
    }

    /// Runs `executable arguments`, returns its stdout; its stderr is echoed to ours afterwards.
    static func run(_ executable: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        // stderr goes to a file rather than a second pipe: reading one pipe to its end while
        // the other fills up would deadlock on a chatty command.
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-notebook-\(UUID().uuidString).stderr")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else {
            throw ValidationError("cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = stdout
        process.standardError = errorHandle
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? errorHandle.close()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        FileHandle.standardError.write(Data(errors.utf8))
        guard process.terminationStatus == 0 else {
            throw Failure(command: arguments, status: process.terminationStatus, stderr: errors)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
