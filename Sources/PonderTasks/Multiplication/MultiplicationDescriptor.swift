import Foundation

extension MultiplicationTask {
    /// `multiplication` in configs: `a × b` with operands of `digits` digits and a stable
    /// hash split of operand pairs.
    public static let descriptor = TaskDescriptor(
        name: "multiplication", summary: "exact long multiplication, one partial product per line",
        options: [
            .range("digits", within: 1...9, default: 1...3, single: true, "digits of each operand (one count, or [min, max])"),
            .double("test_share", 0...0.99, default: 0.1, "share of operand pairs in the test split"),
            .int("holdout_seed", 0...Int.max, default: 0, "decides which pairs are test pairs (kept apart from the problem seed)"),
        ]
    ) { options in
        try MultiplicationTask(config: MultiplicationConfig(digits: try options.range("digits"),
                                                            testShare: try options.double("test_share"),
                                                            holdoutSeed: try options.seed("holdout_seed")))
    }
}
