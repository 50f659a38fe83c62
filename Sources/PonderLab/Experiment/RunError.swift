import Foundation

/// Why `ponder run` stopped. Finished trials are already committed when any of these is
/// thrown; rerunning the same config resumes after them.
public enum RunError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A prompt plus the completion length cap does not fit the model's context.
    case contextTooLong(problem: String, promptTokens: Int, maxNewTokens: Int, limit: Int)
    /// A strategy cannot run with this model or evaluation mode (no value head, checker hidden…).
    case strategyCannotRun(label: String, reason: String)
    /// A trial failed while running.
    case trialFailed(key: String, reason: String)

    public var description: String {
        switch self {
        case let .contextTooLong(problem, promptTokens, maxNewTokens, limit):
            return "problem \(problem) has a \(promptTokens)-token prompt, and with generation.max_new_tokens = "
                + "\(maxNewTokens) it needs \(promptTokens + maxNewTokens) positions, more than the model's "
                + "context of \(limit). Fix: lower `generation.max_new_tokens` to at most \(max(1, limit - promptTokens)), "
                + "or use a model with a longer context."
        case let .strategyCannotRun(label, reason):
            return "strategy `\(label)` cannot run: \(reason)."
        case let .trialFailed(key, reason):
            return "trial \(key) failed: \(reason). Finished trials are saved; fix the cause and rerun the same "
                + "command to resume."
        }
    }

    public var errorDescription: String? { description }
}
