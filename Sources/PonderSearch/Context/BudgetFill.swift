/// Shared arithmetic of budget-filling ("anytime") search: whether fill mode applies, what a
/// completion costs in the budget's unit, and how a budget is split over the moves a tree
/// search still has to make.
///
/// Every built-in strategy that can use more compute (best-of-n, rejection, beam, mcts-step,
/// mcts-token) takes a `fill` flag. With fill on and a finite budget, the budget is the
/// target, not only a cap: the strategy keeps spending (more samples, more beam searches,
/// more simulations, fresh trees) until the budget is spent, so that accuracy-versus-compute
/// curves show what more compute buys. With an unlimited budget there is no target and each
/// strategy falls back to its fixed size; with fill off it behaves exactly as a fixed-size
/// strategy under a cap.
public enum BudgetFill {
    /// Whether a strategy with `fill` set should treat `budget` as a target.
    public static func isActive(_ fill: Bool, _ budget: Budget) -> Bool {
        fill && budget.limit.isFinite
    }

    /// What one lane of `tokens` generated tokens costs in the context's budget unit when it
    /// starts after `startLength` computed tokens (the prompt, or a tree node's prefix).
    ///
    /// FLOPs are one token per forward at a growing context, as lockstep decoding charges
    /// them; value-head calls are left out (a few hundred FLOPs, far below one token).
    public static func completionCost(tokens: Int, startLength: Int, in context: SearchContext) -> Double {
        let n = max(0, tokens)
        switch context.budget.unit {
        case .samples: return 1
        case .tokens: return Double(n)
        case .flops:
            return context.policy.flopModel.decodeFLOPs(tokens: n, pastLength: startLength)
        }
    }

    /// One lane decoded to the length cap from `parent`: the most a single completion costs.
    public static func worstCaseLaneCost(from parent: SequenceID, in context: SearchContext) -> Double {
        let start = (try? context.policy.tokens(of: parent).count) ?? 0
        return completionCost(tokens: context.policy.stopConditions.maxNewTokens, startLength: start, in: context)
    }

    /// The share of `remaining` one move gets when about `movesLeft` moves remain: an even
    /// split, so that early moves do not starve later ones; the last move gets everything.
    public static func allotment(remaining: Double, movesLeft: Double) -> Double {
        guard remaining > 0 else { return 0 }
        return movesLeft <= 1 ? remaining : remaining / movesLeft
    }

    /// Moves a tree search still expects to make, from what it has seen: the mean depth (in
    /// moves) of the terminal states found so far, or, before any terminal, the length cap
    /// divided by the mean action length in tokens. At least 1.
    /// - Parameters:
    ///   - committed: moves already committed on the current path.
    ///   - terminalDepths: depths (in actions) of every terminal state seen, in any tree.
    ///   - meanActionTokens: mean tokens per action seen so far (`nil` before any action).
    ///   - maxNewTokens: the length cap.
    public static func movesLeft(committed: Int, terminalDepths: [Int], meanActionTokens: Double?,
                                 maxNewTokens: Int) -> Double {
        let total: Double
        if !terminalDepths.isEmpty {
            total = Double(terminalDepths.reduce(0, +)) / Double(terminalDepths.count)
        } else {
            total = Double(maxNewTokens) / max(1, meanActionTokens ?? 1)
        }
        return max(1, (total - Double(committed)).rounded())
    }
}
