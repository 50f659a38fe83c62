import Foundation

/// Errors of the task layer. Every message says what is wrong and how to fix it; errors
/// about a file name it as `path:line`.
///
/// Bad *answers* are never errors: a completion that cannot be parsed scores 0 with the
/// reason recorded in `Score.failure`. Errors are for bad configurations and bad inputs.
public enum TaskError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A task or filter configuration that cannot work (empty ranges, impossible requests).
    case invalidConfiguration(String)
    /// A malformed line of a JSONL file: `file:line: message`.
    case malformedLine(file: String, line: Int, message: String)
    /// A file that cannot be opened, read or written.
    case io(file: String, message: String)
    /// A problem handed to a task that does not own its kind of content.
    case wrongProblemKind(task: String, problemID: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return message
        case .malformedLine(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .io(let file, let message):
            return "\(file): \(message)"
        case .wrongProblemKind(let task, let problemID):
            return "problem '\(problemID)' is not a \(task) problem; score it with the task that made it"
        }
    }

    public var errorDescription: String? { description }
}
