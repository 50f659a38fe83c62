import Foundation
import PonderModel

extension SFTRun {
    /// One optimizer step on step `step`'s batch: forward, mean completion-token
    /// cross-entropy, backward, clip, AdamW at the scheduled rate. Returns (loss, pre-clip
    /// gradient norm, tokens in the batch).
    public func trainStep(_ step: Int, scratch: inout [Float]) throws -> (loss: Double, gradientNorm: Double, tokens: Int) {
        let c = parameters.config
        let batch = try TokenBatch(dataset.batch(step: step, size: config.training.batchSize),
                                   vocabularySize: c.vocabSize, maxLength: c.maxPositionEmbeddings)
        trainer.zeroGradients()
        let logits = trainer.forward(batch)
        if scratch.count < batch.rows * c.vocabSize { scratch = [Float](repeating: 0, count: batch.rows * c.vocabSize) }
        let loss = try scratch.withUnsafeMutableBufferPointer { buffer -> Double in
            guard let base = buffer.baseAddress else {
                throw TrainError.invalidData(source: "step \(step)", reason: "the batch has no tokens")
            }
            // Overwrites the first rows × vocab entries (the gradient of every row).
            return try TokenCrossEntropy.meanLossAndGradient(logits: logits, batch: batch, vocabularySize: c.vocabSize,
                                                             gradients: base)
        }
        guard loss.isFinite else { throw TrainError.nonFiniteLoss(step: step) }
        scratch.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { trainer.backward(logitGradients: base) }
        }
        let norm = GradientClipping.clip(trainer.gradients, maxNorm: config.training.gradientClip)
        optimizer.step(parameters: parameters, gradients: trainer.gradients, learningRate: schedule.rate(at: step))
        return (loss, norm, batch.rows)
    }

    /// Trains from the current step to `config.training.steps` (or until `stopAfter` steps
    /// are done, for tests that simulate an interruption), then writes the final checkpoint
    /// and evaluates it. Progress lines go to the log closure and to `train_log.jsonl`.
    @discardableResult
    public func run(stopAfter: Int? = nil) throws -> SFTSummary {
        let t = config.training
        let end = min(t.steps, stopAfter ?? t.steps)
        let sessionStart = Date(), sessionStep = state.step, sessionTokens = state.tokensSeen
        let elapsedBefore = state.elapsedSeconds
        var scratch: [Float] = []
        var windowLoss = 0.0, windowSteps = 0, lastLoss = Double.nan
        if state.step < end {
            log("training steps \(state.step + 1)…\(end) of \(t.steps), batch \(t.batchSize), \(t.threads) thread(s)")
        }
        while state.step < end {
            let step = state.step
            let (loss, norm, tokens) = try trainStep(step, scratch: &scratch)
            state.step += 1
            state.tokensSeen += tokens
            state.elapsedSeconds = elapsedBefore + Date().timeIntervalSince(sessionStart)
            windowLoss += loss
            windowSteps += 1
            let done = state.step
            if done % t.logEvery == 0 || done == end {
                lastLoss = windowLoss / Double(windowSteps)
                let session = Date().timeIntervalSince(sessionStart)
                let rate = Double(state.tokensSeen - sessionTokens) / max(session, 1e-9)
                let eta = Double(t.steps - done) * session / Double(max(1, done - sessionStep))
                log(String(format: "step %d/%d  loss %.4f  grad %.3f  lr %.2e  %.0f tok/s  elapsed %@  ETA %@",
                           done, t.steps, lastLoss, norm, schedule.rate(at: step), rate,
                           Self.clock(state.elapsedSeconds), Self.clock(eta)))
                appendLog(["step": done, "loss": lastLoss, "grad_norm": norm, "learning_rate": schedule.rate(at: step),
                           "tokens_per_second": rate, "elapsed_seconds": state.elapsedSeconds, "tokens_seen": state.tokensSeen])
                windowLoss = 0
                windowSteps = 0
            }
            if done % t.checkpointEvery == 0 || done == end {
                try ResumeCheckpoint.save(to: resumePath, parameters: parameters, optimizer: optimizer, state: state)
            }
            if config.evaluation.every > 0, done % config.evaluation.every == 0, done < t.steps, !evaluator.problems.isEmpty {
                let result = try evaluate()
                log(String(format: "eval step %d: greedy accuracy %.1f%% on %d held-out problems (format %.2f, %.1f tokens)",
                           done, 100 * result.greedyAccuracy, result.problems, result.greedyFormat, result.meanGreedyTokens))
                appendLog(["step": done, "eval_greedy_accuracy": result.greedyAccuracy, "eval_problems": result.problems])
            }
        }
        let statePath = (config.output as NSString).appendingPathComponent("trainer_state.json")
        if lastLoss.isNaN, let data = FileManager.default.contents(atPath: statePath),
           let finished = try? JSONDecoder().decode(SFTSummary.self, from: data), finished.steps == state.step {
            // Rerunning a finished run trains nothing: keep the loss its last session logged
            // (NaN cannot be written to JSON, and a rerun must not fail or forget it).
            lastLoss = finished.finalLoss
        }
        var summary = SFTSummary(
            name: config.name, steps: state.step, batchSize: t.batchSize, trainingExamples: dataset.sequences.count,
            parameters: parameters.count, tokensSeen: state.tokensSeen, trainingSeconds: state.elapsedSeconds,
            tokensPerSecond: Double(state.tokensSeen) / max(state.elapsedSeconds, 1e-9), finalLoss: lastLoss,
            evaluation: nil)
        guard state.step == t.steps else { return summary }

        try CheckpointExport.write(parameters: parameters, tokenizer: tokenizer, tokenizerDirectory: tokenizerDirectory,
                                   to: config.output)
        if !config.sourceText.isEmpty {
            try CheckpointExport.writeText(config.sourceText, to: (config.output as NSString).appendingPathComponent("training_config.yaml"))
        }
        log("wrote the Hugging Face checkpoint to \(config.output)")
        if !evaluator.problems.isEmpty {
            let result = try evaluate()
            summary.evaluation = result
            log(String(format: "final: greedy accuracy %.1f%% on %d held-out problems", 100 * result.greedyAccuracy, result.problems))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // A loss no session logged (a finished run whose trainer_state.json was lost) is "nan".
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try CheckpointExport.writeText(String(decoding: try encoder.encode(summary), as: UTF8.self) + "\n",
                                       to: statePath)
        return summary
    }

    /// `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(max(0, seconds.isFinite ? seconds : 0))
        return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
