import Foundation

extension CountdownTask {
    /// `countdown` in configs: generated problems (numbers, ranges, held-out targets), or a
    /// JSONL `file` of `{"numbers": […], "target": N}` lines (which then all belong to the
    /// config's split and the generator options are unused).
    public static let descriptor = TaskDescriptor(
        name: "countdown", summary: "reach a target from a few numbers with + − × ÷ (Stream of Search, TinyZero)",
        options: [
            .file("file", "JSONL of {\"numbers\": […], \"target\": N} lines instead of generated problems"),
            .range("numbers", within: 2...CountdownSolver.maxNumbers, default: 3...4, single: true,
                   "how many numbers a problem has (one count, or [min, max])"),
            .range("number_range", within: 0...10_000, default: 1...99, "the range numbers are drawn from"),
            .range("target_range", within: 0...1_000_000, default: 10...100, "the range targets are drawn from"),
            .double("held_out_share", 0...0.99, default: 0.1, "share of targets held out for the test split"),
            .int("holdout_seed", 0...Int.max, default: 0, "picks the held-out targets (kept apart from the problem seed)"),
        ]
    ) { options in
        if let file = options.file("file") {
            return CountdownTask(problems: try CountdownTask.loadJSONL(file, split: options.split))
        }
        return try CountdownTask(config: try CountdownConfig(options: options))
    }
}

extension CountdownConfig {
    /// The problem space a config's validated countdown options describe.
    public init(options: TaskOptions) throws {
        self.init(numberCounts: try options.range("numbers"), numberRange: try options.range("number_range"),
                  targetRange: try options.range("target_range"), heldOutTargetShare: try options.double("held_out_share"),
                  holdoutSeed: try options.seed("holdout_seed"))
    }
}
