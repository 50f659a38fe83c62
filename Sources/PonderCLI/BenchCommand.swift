import ArgumentParser
import Foundation
import Ponder

/// `ponder bench`: engine throughput against this machine's own limits, in one process.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill, batched decode and tree-search throughput against the machine's bandwidth and sgemm peak.",
        discussion: """
        Without --model, a random-weight Qwen2 checkpoint (125M or 30M parameters, fp32) is written \
        to a temporary directory first. Figures are medians of repeated runs; the run first checks \
        that all threads really run in parallel (another process may hold a core) and reports the \
        scaling it saw at the start and at the end.
        """)

    @Option(name: .long, help: "Checkpoint directory (config.json + *.safetensors). Default: a generated random checkpoint.")
    var model: String?

    @Option(name: .long, help: "Shape of the generated checkpoint: 125m or 30m.")
    var shape = "125m"

    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .long, help: "Threads (default: PONDER_THREADS, else the active cores).")
    var threads: Int?

    @Option(name: .long, help: "Repeats per measurement (medians are reported).")
    var repeats = 5

    @Option(name: .long, help: "Timed decode steps per batch size.")
    var decodeSteps = 16

    @Option(name: .long, help: "Prompt tokens per sequence before decoding.")
    var context = 32

    @Option(name: .long, help: "Batch sizes to decode at, comma-separated.")
    var batches = "1,4,16,64"

    @Flag(name: .long, help: "Skip the tree workload (the slowest part).")
    var skipTree = false

    @Flag(name: .customLong("bf16-weights"),
          help: "Stream bf16 weights in the small-batch kernels (needs a bf16 checkpoint; the generated one is then written in bf16).")
    var bf16Weights = false

    func run() throws {
        let threadCount = threads ?? WorkerPool.defaultThreadCount
        guard threadCount >= 1, repeats >= 1, decodeSteps >= 1, context >= 1 else {
            throw ValidationError("--threads, --repeats, --decode-steps and --context must be positive")
        }
        let batchSizes = batches.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--batches must list positive integers, e.g. 1,4,16,64")
        }
        let pool = WorkerPool(threads: threadCount)
        let log: (String) -> Void = { message in FileHandle.standardError.write(Data((message + "\n").utf8)) }

        let scalingAtStart = try BenchReport.waitForScaling(pool: pool, log: log)
        log("measuring machine limits")
        let machine = MachineLimits.measure(pool: pool, repeats: repeats)

        var directory = model ?? ""
        var temporary: String?
        if model == nil {
            guard let chosen = RandomCheckpoint.Shape.all.first(where: { $0.name == shape }) else {
                throw ValidationError("--shape must be one of \(RandomCheckpoint.Shape.all.map(\.name).joined(separator: ", "))")
            }
            let path = NSTemporaryDirectory() + "ponder-bench-" + UUID().uuidString
            log("writing a random \(chosen.name) Qwen2 checkpoint to \(path)")
            try RandomCheckpoint.write(chosen, to: path, dtype: bf16Weights ? .bf16 : .f32)
            directory = path
            temporary = path
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }

        let config = try ModelConfig.load(path: (directory as NSString).appendingPathComponent("config.json"))
        log("measuring the streaming-kernel / sgemm crossover")
        let points = CPUBackend.measureCrossover(pool: pool, outFeatures: config.intermediateSize,
                                                 inFeatures: config.hiddenSize, rows: [1, 2, 4, 8, 12, 16, 24, 32],
                                                 repeats: repeats)
        let crossover = CPUBackend.crossover(points)
        let backend = CPUBackend(pool: pool, skinnyRowLimit: crossover)
        let loaded = try TransformerModel.load(directory: directory, backend: backend,
                                               weightStreaming: bf16Weights ? .bf16 : .f32)
        let engine = try Engine(model: loaded)
        let workloads = EngineWorkloads(engine: engine)
        let roofline = BenchReport.Roofline(config: config, machine: machine, bytesPerWeight: bf16Weights ? 2 : 4)

        var rows: [BenchReport.Workload] = []
        log("prefill-512")
        let prefill = try workloads.prefill(length: 512, repeats: max(1, min(repeats, 3)))
        rows.append(roofline.prefill(tokens: 512, seconds: MachineLimits.median(prefill)))
        for batch in batchSizes {
            log("decode-b\(batch)")
            let steps = try workloads.decode(batch: batch, context: context, steps: decodeSteps)
            let averageContext = context + 2 + decodeSteps / 2
            rows.append(roofline.decode(batch: batch, context: averageContext, seconds: MachineLimits.median(steps)))
        }
        var tree: BenchReport.Tree?
        if !skipTree {
            log("tree (forked)")
            let forked = try workloads.tree(depth: 8, width: 4, step: 32, prompt: 64, forked: true)
            log("tree (re-encoded)")
            let reencoded = try workloads.tree(depth: 8, width: 4, step: 32, prompt: 64, forked: false)
            tree = BenchReport.Tree(forked: forked, reencoded: reencoded)
        }
        let scalingAtEnd = MachineLimits.sgemm(pool: pool, repeats: 3) / max(MachineLimits.sgemm(pool: WorkerPool(threads: 1), repeats: 3), 1e-9)

        let report = BenchReport(
            model: .init(path: (model ?? "generated \(shape)") + (bf16Weights ? " (bf16 streaming)" : " (fp32 streaming)"),
                         parameters: loaded.parameterCount,
                         weightBytesPerToken: roofline.weightBytes),
            machine: .init(limits: machine, scalingAtStart: scalingAtStart, scalingAtEnd: scalingAtEnd),
            crossover: .init(rows: crossover, points: points), workloads: rows, tree: tree)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.table())
        }
    }
}
