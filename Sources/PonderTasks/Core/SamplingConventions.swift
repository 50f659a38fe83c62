import PonderModel

// The conventions every decode of a task's prompts shares — `ponder run`, `train eval`,
// value rollouts, rejection sampling, RFT — kept here, beside the styles and problems they
// depend on, so that no caller restates them.

extension PromptStyle {
    /// Strings that end a completion in this style: the close of the answer tag for the
    /// tag-based styles (`compact`, `r1-zero`); nothing for chat, where the model's
    /// end-of-turn token (an EOS id) ends it and the answer is usually `\boxed{}`.
    public var defaultStopStrings: [String] {
        if case .chat = self { return [] }
        return [CompletionParts.answerClose]
    }
}

extension Problem {
    /// The random stream this problem's samples draw from under a run's `seed`. It depends
    /// on the problem's id only, not on its position or on which other problems share a
    /// batch, so a resumed or re-batched run samples exactly what an uninterrupted one would.
    public func samplingStream(seed: UInt64) -> SeededRNG {
        SeededRNG.derived(seed: seed, StableHash.of(id))
    }
}
