import Foundation
import PonderModel

/// What can go wrong while setting up or running a search. Every message says what is wrong
/// and how to fix it.
public enum SearchError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A forward or value call came after the ledger had passed the budget's cap.
    case budgetExhausted(used: Double, limit: Double, unit: Budget.Unit)
    /// A handle the policy layer does not know (released, or from another context).
    case unknownSequence(SequenceID)
    /// A token was appended to a sequence that had already stopped.
    case appendAfterStop(SequenceID, StopReason)
    /// The policy returned no candidates to choose from.
    case emptyCandidates(SequenceID)
    /// A strategy needs a value function and the context has none.
    case noValueFunction(strategy: String, reason: String)
    /// A value head's input width differs from the policy's hidden size.
    case valueInputMismatch(expected: Int, got: Int)
    /// The checker was asked for in verifier-hidden mode.
    case verifierHidden(strategy: String, use: String)
    /// Verifier-charged mode without a checker.
    case noChecker(strategy: String)
    /// A strategy's parameters cannot work together or with this context.
    case invalidConfiguration(strategy: String, message: String)

    public var description: String {
        switch self {
        case let .budgetExhausted(used, limit, unit):
            let u = unit == .flops ? formatFLOPs(used) : formatCount(used)
            let l = unit == .flops ? formatFLOPs(limit) : formatCount(limit)
            return "the \(unit.rawValue) budget is spent (\(u) used of \(l)); a strategy asked for "
                + "another forward or value call after `context.isExhausted` became true — check it "
                + "before generating or scoring"
        case let .unknownSequence(id):
            return "\(id) is not a live sequence of this search (released, or from another context)"
        case let .appendAfterStop(id, reason):
            return "\(id) already stopped (\(reason.rawValue)); fork an unfinished sequence instead of "
                + "appending to a finished one"
        case let .emptyCandidates(id):
            return "the policy returned no next-token candidates for \(id); check the sampling "
                + "parameters (top-k, top-p, min-p) and the policy's vocabulary"
        case let .noValueFunction(strategy, reason):
            return "strategy '\(strategy)' needs a value function (\(reason)); give the context a "
                + "value head (value_head.safetensors beside the model) or choose another setting"
        case let .valueInputMismatch(expected, got):
            return "the value head reads vectors of width \(got) but the policy's hidden size is "
                + "\(expected); use a value head trained on this model"
        case let .verifierHidden(strategy, use):
            return "strategy '\(strategy)' wants the checker (\(use)) but the evaluation mode is "
                + "verifier-hidden; set the mode to verifier-charged or choose a checker-free setting"
        case let .noChecker(strategy):
            return "strategy '\(strategy)' runs in verifier-charged mode but the context has no "
                + "checker; pass the task's checker in `TaskHooks`"
        case let .invalidConfiguration(strategy, message):
            return "strategy '\(strategy)': \(message)"
        }
    }

    public var errorDescription: String? { description }
}
