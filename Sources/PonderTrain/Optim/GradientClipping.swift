/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_`.
public enum GradientClipping {
    /// Scales every gradient by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the L2 norm of
    /// all gradients together, and returns ‖g‖ before clipping. The norm is summed in double
    /// precision in tensor order, so it is reproducible.
    @discardableResult
    public static func clip(_ gradients: ModelParameters, maxNorm: Double) -> Double {
        let norm = gradients.squaredNorm().squareRoot()
        let coefficient = maxNorm / (norm + 1e-6)
        guard coefficient < 1 else { return norm }
        let scale = Float(coefficient)
        for tensor in gradients.tensors {
            let g = tensor.buffer.pointer
            for i in 0..<tensor.buffer.count { g[i] *= scale }
        }
        return norm
    }
}
