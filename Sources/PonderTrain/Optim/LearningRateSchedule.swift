import Foundation

/// Linear warm-up to a peak learning rate, then cosine decay to a floor at the last step.
///
///     lr(s) = peak · (s + 1) / warmup                                    s < warmup
///     lr(s) = floor + (peak − floor) · ½ (1 + cos(π · (s − warmup) / (total − warmup)))
///
/// Steps are 0-based; the first step already trains (lr = peak / warmup, not 0).
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// The learning rate at the end of warm-up.
    public var peak: Double
    /// The learning rate the cosine reaches at the last step.
    public var floor: Double
    /// Steps of linear warm-up.
    public var warmupSteps: Int
    /// Total optimizer steps of the run.
    public var totalSteps: Int

    /// A schedule; throws when the numbers cannot describe one.
    public init(peak: Double, floor: Double = 0, warmupSteps: Int, totalSteps: Int) throws {
        guard peak > 0, peak.isFinite else {
            throw TrainError.invalidSetting(key: "learning_rate", reason: "must be a positive number, found \(peak)")
        }
        guard floor >= 0, floor <= peak else {
            throw TrainError.invalidSetting(key: "min_learning_rate", reason: "must be between 0 and learning_rate (\(peak)), found \(floor)")
        }
        guard totalSteps > 0 else {
            throw TrainError.invalidSetting(key: "steps", reason: "must be at least 1, found \(totalSteps)")
        }
        guard warmupSteps >= 0, warmupSteps < totalSteps else {
            throw TrainError.invalidSetting(key: "warmup_steps", reason: "must be in 0..<steps (\(totalSteps)), found \(warmupSteps)")
        }
        self.peak = peak
        self.floor = floor
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The learning rate of 0-based step `step`.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
        let span = max(1, totalSteps - 1 - warmupSteps)
        let progress = min(1, Double(step - warmupSteps) / Double(span))
        return floor + (peak - floor) * 0.5 * (1 + cos(Double.pi * progress))
    }
}
