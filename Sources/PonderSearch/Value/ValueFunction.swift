import Foundation

/// Maps a state's hidden vector (the policy's last hidden state) to P(success).
///
/// Heads are trained with a logistic loss on success labels, so their raw output is a logit
/// and the sigmoid gives a probability. Loading from `value_head.safetensors` goes through
/// `ValueHeads.load(tensors:)` with the tensors' shapes and float data.
public protocol ValueFunction: Sendable {
    /// Width of the input vectors.
    var inputSize: Int { get }
    /// FLOPs of scoring one vector (charged per value call).
    var flopsPerCall: Double { get }
    /// P(success) for each hidden vector.
    func values(_ hidden: [[Float]]) throws -> [Double]
}

/// Errors in building or loading a value head. Messages name the tensor and the expected shape.
public enum ValueHeadError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The file lacks a tensor the head needs.
    case missingTensor(name: String, available: [String])
    /// A tensor has the wrong shape.
    case badShape(name: String, expected: String, got: [Int])
    /// A tensor's value count does not match its shape.
    case badData(name: String, shape: [Int], count: Int)
    /// A hidden vector of the wrong width.
    case inputWidth(expected: Int, got: Int)
    /// The file's metadata names a value this loader does not know.
    case badMetadata(key: String, value: String, allowed: [String])

    public var description: String {
        switch self {
        case let .missingTensor(name, available):
            "value_head.safetensors has no tensor '\(name)' (it has: \(available.sorted().joined(separator: ", "))); "
                + "export the head with TRL's names (v_head.summary.weight/bias) or the MLP names (v_head.mlp.0/2.*)"
        case let .badShape(name, expected, got):
            "value-head tensor '\(name)' has shape \(got), expected \(expected)"
        case let .badData(name, shape, count):
            "value-head tensor '\(name)' has shape \(shape) but \(count) values"
        case let .inputWidth(expected, got):
            "the value head reads vectors of width \(expected) but got one of width \(got)"
        case let .badMetadata(key, value, allowed):
            "value_head.safetensors metadata '\(key)' is '\(value)'; expected one of: \(allowed.joined(separator: ", "))"
        }
    }

    public var errorDescription: String? { description }
}

/// A linear head, σ(w·h + b): TRL's `ValueHead` (`v_head.summary`, an `nn.Linear(hidden, 1)`).
public struct LinearValueHead: ValueFunction, Equatable {
    /// TRL's name for the weight, `[1, hidden]`.
    public static let weightName = "v_head.summary.weight"
    /// TRL's name for the bias, `[1]`.
    public static let biasName = "v_head.summary.bias"

    /// `[hidden]` (stored as `[1, hidden]` in the file).
    public let weight: [Float]
    /// The scalar bias.
    public let bias: Float

    /// A head from its weights.
    public init(weight: [Float], bias: Float) {
        self.weight = weight
        self.bias = bias
    }

    /// Loads `v_head.summary.weight` `[1, hidden]` and `v_head.summary.bias` `[1]`.
    public static func load(tensors: [String: ([Int], [Float])]) throws -> LinearValueHead {
        let w = try ValueHeads.tensor(weightName, in: tensors)
        let b = try ValueHeads.tensor(biasName, in: tensors)
        guard w.shape.count == 2, w.shape[0] == 1 else {
            throw ValueHeadError.badShape(name: weightName, expected: "[1, hidden]", got: w.shape)
        }
        guard b.shape == [1] else { throw ValueHeadError.badShape(name: biasName, expected: "[1]", got: b.shape) }
        return LinearValueHead(weight: w.data, bias: b.data[0])
    }

    public var inputSize: Int { weight.count }
    public var flopsPerCall: Double { 2 * Double(weight.count) + 1 }

    public func values(_ hidden: [[Float]]) throws -> [Double] {
        try hidden.map { h in
            guard h.count == weight.count else { throw ValueHeadError.inputWidth(expected: weight.count, got: h.count) }
            return probability(h[...])
        }
    }

    /// σ(w·h + b) for one hidden state of width `inputSize` (unchecked: `values` checks).
    public func probability(_ hidden: ArraySlice<Float>) -> Double {
        // h: [hidden] · w: [hidden], accumulated in Double so long vectors do not lose bits.
        var dot = Double(bias)
        for (w, h) in zip(weight, hidden) { dot += Double(w) * Double(h) }
        return sigmoid(dot)
    }
}

/// A two-layer head, σ(w₂·act(W₁h + b₁) + b₂), for when a linear probe underfits.
public struct MLPValueHead: ValueFunction, Equatable {
    /// The hidden layer's nonlinearity (not stored in the file: give the one used in training).
    public enum Activation: String, Codable, Sendable, CaseIterable {
        /// max(0, x).
        case relu
        /// tanh(x).
        case tanh
        /// GELU, tanh approximation.
        case gelu
    }

    /// Tensor names (an `nn.Sequential(Linear, act, Linear)` saved under `v_head.mlp`).
    public static let names = (w1: "v_head.mlp.0.weight", b1: "v_head.mlp.0.bias",
                               w2: "v_head.mlp.2.weight", b2: "v_head.mlp.2.bias")

    /// First layer weight `[width, input]`, row-major.
    public let w1: [Float]
    /// First layer bias `[width]`.
    public let b1: [Float]
    /// Output weight `[width]`.
    public let w2: [Float]
    /// Output bias.
    public let b2: Float
    /// Width of the input vectors.
    public let inputSize: Int
    /// The hidden nonlinearity.
    public let activation: Activation

    /// A head from its weights; `w1` is `[b1.count, inputSize]` row-major and `w2` has `b1.count` entries.
    public init(w1: [Float], b1: [Float], w2: [Float], b2: Float, inputSize: Int,
                activation: Activation = .relu) throws {
        guard w1.count == b1.count * inputSize else {
            throw ValueHeadError.badData(name: Self.names.w1, shape: [b1.count, inputSize], count: w1.count)
        }
        guard w2.count == b1.count else {
            throw ValueHeadError.badData(name: Self.names.w2, shape: [1, b1.count], count: w2.count)
        }
        self.w1 = w1
        self.b1 = b1
        self.w2 = w2
        self.b2 = b2
        self.inputSize = inputSize
        self.activation = activation
    }

    /// Loads the four `v_head.mlp.*` tensors.
    public static func load(tensors: [String: ([Int], [Float])],
                            activation: Activation = .relu) throws -> MLPValueHead {
        let w1 = try ValueHeads.tensor(names.w1, in: tensors), b1 = try ValueHeads.tensor(names.b1, in: tensors)
        let w2 = try ValueHeads.tensor(names.w2, in: tensors), b2 = try ValueHeads.tensor(names.b2, in: tensors)
        guard w1.shape.count == 2 else { throw ValueHeadError.badShape(name: names.w1, expected: "[width, hidden]", got: w1.shape) }
        guard b1.shape == [w1.shape[0]] else { throw ValueHeadError.badShape(name: names.b1, expected: "[\(w1.shape[0])]", got: b1.shape) }
        guard w2.shape == [1, w1.shape[0]] else { throw ValueHeadError.badShape(name: names.w2, expected: "[1, \(w1.shape[0])]", got: w2.shape) }
        guard b2.shape == [1] else { throw ValueHeadError.badShape(name: names.b2, expected: "[1]", got: b2.shape) }
        return try MLPValueHead(w1: w1.data, b1: b1.data, w2: w2.data, b2: b2.data[0],
                                inputSize: w1.shape[1], activation: activation)
    }

    public var flopsPerCall: Double { 2 * Double(w1.count) + 2 * Double(w2.count) + Double(b1.count) + 1 }

    public func values(_ hidden: [[Float]]) throws -> [Double] {
        let width = b1.count, n = inputSize
        return try hidden.map { h in
            guard h.count == n else { throw ValueHeadError.inputWidth(expected: n, got: h.count) }
            var out = Double(b2)
            h.withUnsafeBufferPointer { hp in
                w1.withUnsafeBufferPointer { w1p in
                    // w1: [width, input] · h: [input] → z: [width], folded straight into w2 · act(z).
                    for j in 0..<width {
                        var z = Double(b1[j])
                        let row = j * n
                        for i in 0..<n { z += Double(w1p[row + i]) * Double(hp[i]) }
                        out += Double(w2[j]) * activate(z)
                    }
                }
            }
            return sigmoid(out)
        }
    }

    private func activate(_ z: Double) -> Double {
        switch activation {
        case .relu: max(0, z)
        case .tanh: Foundation.tanh(z)
        case .gelu: 0.5 * z * (1 + Foundation.tanh(0.797_884_560_8 * (z + 0.044_715 * z * z * z)))
        }
    }
}

/// Loading helpers shared by the heads.
public enum ValueHeads {
    /// Loads whichever head `tensors` holds: TRL's linear head or the MLP head.
    public static func load(tensors: [String: ([Int], [Float])],
                            activation: MLPValueHead.Activation = .relu) throws -> any ValueFunction {
        if tensors[LinearValueHead.weightName] != nil { return try LinearValueHead.load(tensors: tensors) }
        return try MLPValueHead.load(tensors: tensors, activation: activation)
    }

    static func tensor(_ name: String, in tensors: [String: ([Int], [Float])]) throws -> (shape: [Int], data: [Float]) {
        guard let t = tensors[name] else {
            throw ValueHeadError.missingTensor(name: name, available: Array(tensors.keys))
        }
        let (shape, data) = t
        let count = shape.reduce(1, *)
        guard count == data.count, count > 0 else {
            throw ValueHeadError.badData(name: name, shape: shape, count: data.count)
        }
        return (shape, data)
    }
}

@inline(__always)
func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
