#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Weighted token cross-entropy over the rows of a batch:
///
///     L = Σ_r w_r · (−log softmax(logits_r)[target_r])
///
/// over rows with a target. With w_r = 1 / (number of targets) it is the mean next-token
/// loss over completion tokens that SFT minimizes (`F.cross_entropy` with ignored rows);
/// other weights give policy-gradient losses (GRPO weights each token by its advantage).
public enum TokenCrossEntropy {
    /// The loss and its gradient. `gradients[rows, vocab]` is overwritten: zero on rows
    /// without a target, `w_r · (softmax(logits_r) − onehot(target_r))` elsewhere.
    /// - Parameters:
    ///   - targets: per row, the target id or −1.
    ///   - weights: per row, the weight of its term (ignored where the target is −1).
    /// - Returns: the loss, summed in double precision in row order.
    public static func lossAndGradient(logits: UnsafeBufferPointer<Float>, vocabularySize vocab: Int,
                                       targets: [Int], weights: [Float],
                                       gradients: UnsafeMutablePointer<Float>) -> Double {
        precondition(targets.count == weights.count && logits.count == targets.count * vocab,
                     "one target and one weight per logits row")
        guard let base = logits.baseAddress else { return 0 }
        var loss = 0.0
        for (r, target) in targets.enumerated() {
            let row = base + r * vocab, grad = gradients + r * vocab
            guard target >= 0 else {
                grad.update(repeating: 0, count: vocab)
                continue
            }
            // log-sum-exp with the maximum subtracted; grad = weight · softmax first.
            var maximum = -Float.infinity
            for j in 0..<vocab where row[j] > maximum { maximum = row[j] }
            var sum: Float = 0
            for j in 0..<vocab {
                let e = expf(row[j] - maximum)
                grad[j] = e
                sum += e
            }
            let logSumExp = maximum + logf(sum)
            let weight = weights[r]
            let scale = weight / sum
            for j in 0..<vocab { grad[j] *= scale }
            grad[target] -= weight
            loss += Double(weight) * Double(logSumExp - row[target])
        }
        return loss
    }

    /// Mean cross-entropy over a batch's target rows (the SFT loss) and its gradient.
    public static func meanLossAndGradient(logits: UnsafeBufferPointer<Float>, batch: TokenBatch,
                                           vocabularySize: Int, gradients: UnsafeMutablePointer<Float>) throws -> Double {
        guard batch.targetCount > 0 else { throw TrainError.noTargets }
        let weight = 1 / Float(batch.targetCount)
        let weights = batch.targets.map { $0 >= 0 ? weight : 0 }
        return lossAndGradient(logits: logits, vocabularySize: vocabularySize, targets: batch.targets,
                               weights: weights, gradients: gradients)
    }
}
