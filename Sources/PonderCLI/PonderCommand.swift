import ArgumentParser
import Ponder

/// The `ponder` command line: runs models, search strategies and experiments. Started by
/// `PonderCLI.main`, from the `ponder` executable or from a user's own.
struct PonderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ponder",
        abstract: "A research lab for test-time compute: sample more, or search?",
        subcommands: [
            RunCommand.self, ReportCommand.self, MergeCommand.self, NotebookCommand.self,
            RejectionSampleCommand.self, TrainCommand.self, GenerateCommand.self, InspectCommand.self,
            BenchCommand.self, TokenizeCommand.self, DetokenizeCommand.self, TasksCommand.self,
        ]
    )
}
