import ArgumentParser
import Foundation
import Ponder

/// The `ponder` command line as a library: a user's own executable runs the same commands
/// with their strategies and tasks registered beside the built-ins.
///
/// ```swift
/// import PonderCLI
/// PonderCLI.main(strategies: [FirstAnswer.descriptor], tasks: [DigitSum.descriptor])
/// ```
///
/// `my-ponder run my.yaml` then accepts `strategies: [{name: first-answer}]` and
/// `task: {name: digit-sum}` exactly as `ponder run` accepts the built-in names, and so do
/// `tasks sample`, `rejection-sample` and `train`.
public enum PonderCLI {
    /// Registers `strategies` and `tasks` on top of the built-ins, then parses `arguments`
    /// (the process's own when nil) and runs the command; exits with an error on failure.
    public static func main(strategies: [StrategyDescriptor] = [], tasks: [TaskDescriptor] = [],
                            arguments: [String]? = nil) {
        do {
            try CLIRegistries.register(strategies: strategies, tasks: tasks)
        } catch {
            PonderCommand.exit(withError: ValidationError("cannot register the extra strategies and tasks: \(error)"))
        }
        PonderCommand.main(arguments)
    }
}
