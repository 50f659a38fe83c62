import Foundation
import PonderModel

extension ValueHeads {
    /// The file name a value head has beside its model's weights.
    public static let fileName = "value_head.safetensors"

    /// The value head stored as `value_head.safetensors` in a model directory, or `nil` when
    /// the directory has none (strategies that need one then say so when they start).
    ///
    /// The tensors use TRL's names: `v_head.summary.weight` `[1, hidden]` and
    /// `v_head.summary.bias` `[1]` for a linear head, or `v_head.mlp.{0,2}.{weight,bias}` for
    /// the two-layer head. F32, F16 and BF16 storage are read. The MLP's activation is not
    /// part of TRL's format: the file's metadata may name it (`"activation": "tanh"`), else
    /// `activation` is used.
    /// - Throws: `SafeTensorsError` for an unreadable file, `ValueHeadError` for missing
    ///   tensors or wrong shapes, each naming the file.
    public static func load(directory: String, activation: MLPValueHead.Activation = .relu) throws -> (any ValueFunction)? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = try SafeTensorsFile(path: path)
        let tensors = try self.tensors(in: file)
        var chosen = activation
        if let named = file.header.metadata?["activation"] {
            guard let parsed = MLPValueHead.Activation(rawValue: named) else {
                throw ValueHeadError.badMetadata(key: "activation", value: named,
                                                 allowed: MLPValueHead.Activation.allCases.map(\.rawValue))
            }
            chosen = parsed
        }
        return try load(tensors: tensors, activation: chosen)
    }

    /// Every tensor of `file` as (shape, F32 values).
    static func tensors(in file: SafeTensorsFile) throws -> [String: ([Int], [Float])] {
        var tensors: [String: ([Int], [Float])] = [:]
        for name in file.tensorNames {
            guard let info = file.info(name) else { continue }
            tensors[name] = (info.shape, try file.floats(name))
        }
        return tensors
    }
}

extension LinearValueHead {
    /// Writes the head as F32 safetensors with TRL's names, atomically (what
    /// `ponder train value` produces and `ValueHeads.load(directory:)` reads back).
    public func write(to path: String, metadata: [String: String] = [:]) throws {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"].merging(metadata) { $1 })
        try writer.add(Self.weightName, shape: [1, weight.count], values: weight)
        try writer.add(Self.biasName, shape: [1], values: [bias])
        try writer.write(to: path)
    }

    /// Reads a linear head from one safetensors file (TRL's names, any float dtype).
    /// - Throws: `SafeTensorsError` for an unreadable file, `ValueHeadError` for missing
    ///   tensors or wrong shapes.
    public static func load(path: String) throws -> LinearValueHead {
        try load(tensors: ValueHeads.tensors(in: SafeTensorsFile(path: path)))
    }
}
