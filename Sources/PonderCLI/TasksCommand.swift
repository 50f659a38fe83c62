import ArgumentParser
import Foundation
import Ponder

/// `ponder tasks …`: look at the problems the model is asked to solve.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Inspect tasks: problems, prompts, reference solutions and their rewards.",
        subcommands: [TasksListCommand.self, TasksSampleCommand.self]
    )
}

/// `ponder tasks list`: every registered task with its options, defaults and help.
struct TasksListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tasks configs can name, with their options (the names under task.options).")

    func run() throws {
        let registry = CLIRegistries.tasks
        for name in registry.names {
            let descriptor = try registry.descriptor(named: name)
            print("\(name): \(descriptor.summary)")
            for option in descriptor.allOptions {
                let value = option.defaultValue.map { "default \($0)" } ?? (option.required ? "required" : "optional")
                print("  \(option.name): \(option.allowed) (\(value)); \(option.help)")
            }
        }
    }
}

/// `ponder tasks sample`: shows a few problems with difficulty, prompt and a scored reference.
struct TasksSampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Show problems, their difficulty, the prompt and a reference solution with its score.",
        discussion: """
            Examples:
              ponder tasks sample --task countdown --n 3 --seed 1
              ponder tasks sample --task multiplication --style compact --split test
              ponder tasks sample --task math --file math500.jsonl --n 2
            """
    )

    @Option(help: "The task: countdown, multiplication, gsm8k, math (the last two need --file), or any task `ponder tasks list` shows.")
    var task: String = "countdown"

    @Option(name: .customLong("n"), help: "How many problems to show.")
    var count: Int = 5

    @Option(help: "Seed for problem generation.")
    var seed: UInt64 = 1

    @Option(help: "Which split: train or test.")
    var split: String = "train"

    @Option(help: "Prompt style: r1-zero or compact.")
    var style: String = "r1-zero"

    @Option(help: "Load problems from this JSONL file instead of generating them (countdown: {\"numbers\": [...], \"target\": N}; math: GSM8K or MATH lines).")
    var file: String?

    func validate() throws {
        guard count > 0 else { throw ValidationError("--n must be at least 1") }
        guard Split(rawValue: split) != nil else {
            throw ValidationError("--split must be 'train' or 'test', not '\(split)'")
        }
    }

    func run() throws {
        let split = Split(rawValue: split) ?? .train
        let style = try PromptStyle(name: style)
        let reasoningTask = try makeTask(split: split)
        let problems = try reasoningTask.problems(split: split, count: count, seed: seed)
        for (index, problem) in problems.enumerated() {
            print(try describe(problem, index: index + 1, task: reasoningTask, style: style))
        }
    }

    /// The task through the lab's registry, so names, options and errors match `ponder run`.
    private func makeTask(split: Split) throws -> any ReasoningTask {
        var options: [String: ConfigValue] = ["style": .string(style)]
        if let file { options["file"] = .string(file) }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return try TaskRegistryCatalog(CLIRegistries.tasks, workingDirectory: cwd)
            .make(task: task, split: split.rawValue, options: options, chatRenderer: nil).task
    }

    private func describe(_ problem: Problem, index: Int, task: any ReasoningTask,
                          style: PromptStyle) throws -> String {
        let prompt = try task.prompt(for: problem, style: style)
        var out = "=== [\(index)] \(problem.id)  (\(problem.split); \(problem.difficulty))\n"
        out += "--- prompt (\(style.name)\(prompt.startsInsideThink ? ", generation starts inside <think>" : "")) ---\n"
        out += prompt.text + "\n"
        guard let reference = try task.referenceCompletion(for: problem, prompt: prompt) else {
            return out + "--- no reference solution for this problem ---\n"
        }
        let score = task.score(reference, for: problem, prompt: prompt)
        out += "--- reference completion ---\n" + reference + "\n"
        out += "--- score: accuracy \(score.accuracy)  format \(score.format)  tag-count \(score.tagCount)  "
            + "language \(score.language)  tinyzero \(score.tinyZero)  combined \(score.combined)"
        if let failure = score.failure { out += "  (\(failure))" }
        return out + "\n"
    }
}
