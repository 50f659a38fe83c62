import Foundation
import PonderModel
import PonderTasks

/// One supervised example: a rendered prompt and the completion the model should write.
public struct TaskTrace: Sendable, Hashable {
    /// The problem it came from.
    public var problemID: String
    /// The prompt text (the model does not learn to produce it).
    public var prompt: String
    /// The target completion (learned, followed by EOS).
    public var completion: String

    /// A trace.
    public init(problemID: String, prompt: String, completion: String) {
        self.problemID = problemID
        self.prompt = prompt
        self.completion = completion
    }
}

/// Where SFT traces come from: a task's reference completions, or accepted samples from a
/// rejection-sampling run.
public enum TaskTraces {
    /// The reference completion of each of `problems` under `style`; problems without a
    /// reference (unsolvable loaded ones) are skipped.
    public static func references(task: any ReasoningTask, problems: [Problem], style: PromptStyle) throws -> [TaskTrace] {
        var traces: [TaskTrace] = []
        traces.reserveCapacity(problems.count)
        for problem in problems {
            let prompt = try task.prompt(for: problem, style: style)
            guard let completion = try task.referenceCompletion(for: problem, prompt: prompt) else { continue }
            traces.append(TaskTrace(problemID: problem.id, prompt: prompt.text, completion: completion))
        }
        return traces
    }

    /// Accepted completions from a rejection-sampling JSONL file (`RejectionRecord` lines, as
    /// `RejectionDataStore` writes them).
    public static func rejectionSamples(_ url: URL) throws -> [TaskTrace] {
        try RejectionDataStore.readRecords(url).map {
            TaskTrace(problemID: $0.problemID, prompt: $0.prompt, completion: $0.completion)
        }
    }

    /// Every trace as one text (prompt then completion), the corpus a tokenizer is trained on.
    public static func corpus(_ traces: [TaskTrace]) -> [String] {
        traces.map { $0.prompt + $0.completion }
    }
}

/// The vocabulary conventions of the models Ponder trains itself.
public enum SmallModelVocabulary {
    /// BOS, put first by the tokenizer's post-processor.
    public static let bos = "<|bos|>"
    /// EOS, appended to every completion; generation stops on it.
    public static let eos = "<|eos|>"
    /// Padding (never trained on; Ponder packs sequences instead of padding them).
    public static let pad = "<|pad|>"

    /// The added tokens, in id order: BOS, EOS, PAD (special), then the reasoning tags (not
    /// special, so decoded completions keep them).
    public static let addedTokens: [AddedTokenSpec] = [
        AddedTokenSpec(content: bos, special: true),
        AddedTokenSpec(content: eos, special: true),
        AddedTokenSpec(content: pad, special: true),
        AddedTokenSpec(content: CompletionParts.thinkOpen, special: false),
        AddedTokenSpec(content: CompletionParts.thinkClose, special: false),
        AddedTokenSpec(content: CompletionParts.answerOpen, special: false),
        AddedTokenSpec(content: CompletionParts.answerClose, special: false),
    ]

    /// Trains a byte-level BPE on `traces` and returns its writer.
    public static func trainTokenizer(on traces: [TaskTrace], vocabularySize: Int, minimumFrequency: Int = 2,
                                      modelMaxLength: Int) throws -> TokenizerFileWriter {
        let trainer = try ByteLevelBPETrainer(addedTokens: addedTokens, vocabularySize: vocabularySize,
                                              minimumFrequency: minimumFrequency)
        let bpe = try trainer.train(TaskTraces.corpus(traces))
        return try TokenizerFileWriter(bpe: bpe, bosToken: bos, eosToken: eos, padToken: pad,
                                       modelMaxLength: modelMaxLength)
    }
}
