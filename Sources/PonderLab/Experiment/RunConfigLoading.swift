import Foundation
import PonderSearch
import PonderTasks

extension ExperimentConfig {
    /// Loads a config file for `ponder run`: follows `extends:`, applies a `--model` override,
    /// and validates everything — keys, types, ranges, strategy names and parameters (against
    /// `registry`), task names, splits and options (against `tasks`), and that the model
    /// directory exists — before any work starts.
    /// - Parameters:
    ///   - modelOverride: replaces the config's `model:` (it is then part of the run id, as
    ///     any model is).
    /// - Throws: `ExperimentConfigError` listing every problem with its file, line, key and fix.
    public static func loadForRun(_ url: URL, workingDirectory: URL, modelOverride: String? = nil,
                                  registry: StrategyRegistry = .builtIn,
                                  tasks: TaskRegistry = .builtIn) throws -> ExperimentConfig {
        var loaded = try ConfigLoader.load(url)
        if let modelOverride, case .map(var root) = loaded.value {
            root["model"] = .string(modelOverride)
            loaded.value = .map(root)
            loaded.origins["model"] = SourceLocation(file: "--model")
        }
        let context = ValidationContext(strategies: RegistryCatalog(registry),
                                        tasks: TaskRegistryCatalog(tasks, workingDirectory: workingDirectory),
                                        workingDirectory: workingDirectory)
        return try ExperimentConfig(validating: loaded, context: context)
    }
}
