import ArgumentParser
import Foundation
import Ponder

/// The options `ponder train eval` and `ponder train value` share: a checkpoint written by
/// `ponder train sft` and the training config that says which task and prompt style it
/// learned (by default the copy the trainer wrote beside the weights).
struct TrainedModelOptions: ParsableArguments {
    @Option(help: "A checkpoint directory written by `ponder train sft`.")
    var model: String

    @Option(help: "The training config (default: MODEL/training_config.yaml).")
    var config: String?

    /// Everything the commands need, loaded once.
    struct Loaded {
        let settings: SFTConfig
        let pretrained: PretrainedModel
        let tokenizer: Tokenizer
        let task: any ReasoningTask
        let style: PromptStyle
        /// The model's stop ids: its configs' EOS ids and the tokenizer's.
        var stopIds: Set<Int> { pretrained.eosTokenIds.union(tokenizer.eosTokenIds) }
    }

    /// Loads the config, the checkpoint, its tokenizer and the task it was trained on.
    func load() throws -> Loaded {
        let settings = try SFTConfig.load(path: config ?? (model as NSString).appendingPathComponent("training_config.yaml"),
                                          tasks: CLIRegistries.tasks)
        return Loaded(settings: settings, pretrained: try PretrainedModel.load(directory: model),
                      tokenizer: try Tokenizer.load(directory: URL(fileURLWithPath: model)),
                      task: try SFTRun.makeTask(settings.task), style: try PromptStyle(name: settings.task.style))
    }
}
