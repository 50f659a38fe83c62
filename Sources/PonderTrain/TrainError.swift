import Foundation

/// Errors from training: bad batches, configs, checkpoints and data.
public enum TrainError: Error, Sendable, Equatable {
    /// A training sequence that cannot be used, and why.
    case invalidSequence(index: Int, reason: String)
    /// A batch with no tokens that count towards the loss.
    case noTargets
    /// A setting outside its allowed range: the key and how to fix it.
    case invalidSetting(key: String, reason: String)
    /// A config file that cannot be read or parsed.
    case unreadableConfig(file: String, reason: String)
    /// A resume checkpoint that does not match the run.
    case checkpointMismatch(file: String, reason: String)
    /// A file that could not be written.
    case writeFailed(file: String, reason: String)
    /// Training data that cannot be used.
    case invalidData(source: String, reason: String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(step: Int)
}

extension TrainError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .invalidSequence(index, reason):
            return "training sequence \(index): \(reason)"
        case .noTargets:
            return "the batch has no target tokens: every loss mask is false; mark the completion tokens as targets"
        case let .invalidSetting(key, reason):
            return "\(key): \(reason)"
        case let .unreadableConfig(file, reason):
            return "\(file): \(reason)"
        case let .checkpointMismatch(file, reason):
            return "\(file): \(reason); delete the checkpoint to start over, or use the config it was written with"
        case let .writeFailed(file, reason):
            return "cannot write \(file): \(reason)"
        case let .invalidData(source, reason):
            return "\(source): \(reason)"
        case let .nonFiniteLoss(step):
            return "the loss became NaN or infinite at step \(step); lower the learning rate or the gradient clip"
        }
    }

    public var errorDescription: String? { description }
}
