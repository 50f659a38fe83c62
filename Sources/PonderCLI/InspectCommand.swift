import ArgumentParser
import Foundation
import Ponder

/// `ponder inspect`: describe a checkpoint from its config and safetensors headers, without
/// loading the weights. It also checks that the stored tensors match the architecture.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a checkpoint: architecture, parameters, dtypes, sizes, context length, special tokens.")

    @Argument(help: "Checkpoint directory (config.json + *.safetensors).")
    var directory: String

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let summary = try CheckpointSummary.inspect(directory: directory)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            return
        }
        let dtypes = summary.tensorsPerDType.sorted { $0.key < $1.key }
            .map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
        let eos = summary.eosTokenIds.map(String.init).joined(separator: ", ")
        print("""
        architecture:    \(summary.architecture)
        parameters:      \(Self.grouped(summary.parameterCount)) (\(Self.scaled(Double(summary.parameterCount), units: ["", "K", "M", "B"])))
        layers:          \(summary.layers), hidden \(summary.hiddenSize), FFN \(summary.intermediateSize)
        attention:       \(summary.attentionHeads) heads, \(summary.keyValueHeads) KV heads, head_dim \(summary.headDim)
        vocabulary:      \(summary.vocabularySize)\(summary.tiedEmbeddings ? " (tied embeddings)" : "")
        context length:  \(summary.contextLength)
        rope:            \(summary.ropeType), theta \(summary.ropeTheta)
        tensors:         \(dtypes)\(summary.configDType.map { " (config dtype \($0))" } ?? "")
        bytes:           \(Self.scaled(Double(summary.tensorBytes), units: ["B", "KB", "MB", "GB"])) on disk, \(Self.scaled(Double(summary.loadedBytes), units: ["B", "KB", "MB", "GB"])) as fp32
        files:           \(summary.files.joined(separator: ", "))
        bos token id:    \(summary.bosTokenId.map(String.init) ?? "none")
        eos token ids:   \(eos.isEmpty ? "none" : eos)
        """)
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    static func scaled(_ value: Double, units: [String]) -> String {
        var v = value, unit = 0
        while v >= 1000, unit < units.count - 1 { v /= 1000; unit += 1 }
        return unit == 0 ? "\(Int(v)) \(units[0])".trimmingCharacters(in: .whitespaces) : String(format: "%.2f %@", v, units[unit])
    }
}
