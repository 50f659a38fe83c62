import Foundation
import PonderModel

/// Where a run stands, saved with the weights so an interrupted run resumes exactly.
public struct ResumeState: Sendable, Equatable {
    /// Optimizer steps completed.
    public var step: Int
    /// Tokens processed so far (for throughput and the log).
    public var tokensSeen: Int
    /// Training seconds spent so far, over all sessions.
    public var elapsedSeconds: Double
    /// The config fingerprint the run was started with.
    public var fingerprint: String

    /// A state.
    public init(step: Int, tokensSeen: Int, elapsedSeconds: Double, fingerprint: String) {
        self.step = step
        self.tokensSeen = tokensSeen
        self.elapsedSeconds = elapsedSeconds
        self.fingerprint = fingerprint
    }
}

/// One safetensors file holding everything a resume needs: the weights
/// (`parameters/<name>`), AdamW's moments (`adam_m/<name>`, `adam_v/<name>`) and, in the
/// header's metadata, the step, tokens, time and config fingerprint. The data order and every
/// other random choice are functions of (seed, step), so the step *is* the RNG state.
///
/// The file is written to a temporary name and renamed over the old one, so a run killed
/// mid-write leaves the previous checkpoint intact.
public enum ResumeCheckpoint {
    static let format = "ponder-train-resume-1"

    /// Writes the checkpoint atomically.
    public static func save(to path: String, parameters: ModelParameters, optimizer: AdamW, state: ResumeState) throws {
        var writer = SafeTensorsWriter(metadata: [
            "format": format, "step": String(state.step), "tokens_seen": String(state.tokensSeen),
            "elapsed_seconds": String(state.elapsedSeconds), "fingerprint": state.fingerprint,
            "adam_steps": String(optimizer.stepCount),
        ])
        for (prefix, set) in [("parameters/", parameters), ("adam_m/", optimizer.firstMoments), ("adam_v/", optimizer.secondMoments)] {
            for tensor in set.tensors {
                try writer.add(prefix + tensor.spec.name, shape: tensor.spec.shape, values: UnsafeBufferPointer(tensor.buffer.buffer))
            }
        }
        try writer.write(to: path)
    }

    /// Restores parameters and moments from `path` if it exists and returns the state; nil
    /// when there is no checkpoint. A checkpoint of another config or shape is an error.
    public static func load(from path: String, parameters: ModelParameters, optimizer: AdamW,
                            fingerprint: String) throws -> ResumeState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try SafeTensorsFile(path: path)
        let metadata = file.header.metadata ?? [:]
        guard metadata["format"] == format, let step = metadata["step"].flatMap(Int.init),
              let tokens = metadata["tokens_seen"].flatMap(Int.init),
              let elapsed = metadata["elapsed_seconds"].flatMap(Double.init),
              let adamSteps = metadata["adam_steps"].flatMap(Int.init) else {
            throw TrainError.checkpointMismatch(file: path, reason: "not a Ponder resume checkpoint (metadata missing)")
        }
        guard metadata["fingerprint"] == fingerprint else {
            throw TrainError.checkpointMismatch(file: path, reason: "it was written by a run with different settings")
        }
        for (prefix, set) in [("parameters/", parameters), ("adam_m/", optimizer.firstMoments), ("adam_v/", optimizer.secondMoments)] {
            for tensor in set.tensors {
                let name = prefix + tensor.spec.name
                guard let info = file.info(name), info.shape == tensor.spec.shape else {
                    throw TrainError.checkpointMismatch(file: path, reason: "tensor \(name) is missing or has another shape")
                }
                try file.readFloats(info, into: tensor.buffer.buffer)
            }
        }
        optimizer.restore(stepCount: adamSteps)
        return ResumeState(step: step, tokensSeen: tokens, elapsedSeconds: elapsed, fingerprint: fingerprint)
    }
}
