import Foundation
import Ponder

/// What `ponder bench` reports: each workload's throughput beside the roofline limit the
/// machine's measured bandwidth and sgemm peak allow for it.
struct BenchReport: Encodable {
    struct Model: Encodable {
        var path: String
        var parameters: Int
        var weightBytesPerToken: Double
        enum CodingKeys: String, CodingKey {
            case path, parameters, weightBytesPerToken = "weight_bytes_per_token"
        }
    }

    struct Machine: Encodable {
        var limits: MachineLimits
        var scalingAtStart: Double
        var scalingAtEnd: Double
        enum CodingKeys: String, CodingKey {
            case bandwidth = "bandwidth_gb_per_s", triad = "triad_gb_per_s", read = "read_gb_per_s"
            case sgemm = "sgemm_gflops", sgemmOne = "sgemm_gflops_one_thread", threads
            case scaling = "thread_scaling", scalingEnd = "thread_scaling_end"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(limits.bandwidthGBPerSecond, forKey: .bandwidth)
            try c.encode(limits.triadGBPerSecond, forKey: .triad)
            try c.encode(limits.readGBPerSecond, forKey: .read)
            try c.encode(limits.sgemmGFLOPS, forKey: .sgemm)
            try c.encode(limits.sgemmGFLOPSOneThread, forKey: .sgemmOne)
            try c.encode(limits.threads, forKey: .threads)
            try c.encode(scalingAtStart, forKey: .scaling)
            try c.encode(scalingAtEnd, forKey: .scalingEnd)
        }
    }

    struct Crossover: Encodable {
        var rows: Int
        var points: [CrossoverPoint]
    }

    struct Workload: Encodable {
        var name: String
        var tokensPerSecond: Double
        var limitTokensPerSecond: Double
        /// What bounds the limit: `bandwidth` or `sgemm`.
        var limitKind: String
        var fractionOfLimit: Double { tokensPerSecond / limitTokensPerSecond }
        enum CodingKeys: String, CodingKey {
            case name, tokensPerSecond = "tokens_per_second", limitTokensPerSecond = "limit_tokens_per_second"
            case fractionOfLimit = "fraction_of_limit", limitKind = "limit_kind"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(tokensPerSecond, forKey: .tokensPerSecond)
            try c.encode(limitTokensPerSecond, forKey: .limitTokensPerSecond)
            try c.encode(fractionOfLimit, forKey: .fractionOfLimit)
            try c.encode(limitKind, forKey: .limitKind)
        }
    }

    struct Tree: Encodable {
        var forked: EngineWorkloads.TreeRun
        var reencoded: EngineWorkloads.TreeRun
        var computedRatio: Double { Double(reencoded.computedTokens) / Double(max(forked.computedTokens, 1)) }
        var timeRatio: Double { reencoded.seconds / max(forked.seconds, 1e-9) }
        /// Largest difference between the two runs' final logits (they compute the same thing).
        var maxLogitDifference: Double {
            zip(forked.finalLogits, reencoded.finalLogits).reduce(0) { max($0, Double(abs($1.0 - $1.1))) }
        }
        enum CodingKeys: String, CodingKey {
            case forked, reencoded, computedRatio = "computed_ratio", timeRatio = "time_ratio"
            case maxLogitDifference = "max_logit_difference", shape
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(forked, forKey: .forked)
            try c.encode(reencoded, forKey: .reencoded)
            try c.encode(computedRatio, forKey: .computedRatio)
            try c.encode(timeRatio, forKey: .timeRatio)
            try c.encode(maxLogitDifference, forKey: .maxLogitDifference)
            try c.encode("depth 8, width 4, 32-token steps, 64-token root", forKey: .shape)
        }
    }

    var model: Model
    var machine: Machine
    var crossover: Crossover
    var workloads: [Workload]
    var tree: Tree?

    /// Roofline limits for a model on a machine: a step can go no faster than its bytes at
    /// the measured bandwidth, nor than its FLOPs at the measured sgemm peak.
    struct Roofline {
        let config: ModelConfig
        let cost: FlopModel
        let machine: MachineLimits
        /// Bytes per weight the streaming kernels read: 4 (fp32) or 2 (bf16 streaming).
        let bytesPerWeight: Double

        init(config: ModelConfig, machine: MachineLimits, bytesPerWeight: Double = 4) {
            self.config = config
            self.machine = machine
            self.bytesPerWeight = bytesPerWeight
            cost = FlopModel(config: config)
        }

        /// Weight bytes read per forward step: every projection plus the output matrix.
        var weightBytes: Double { (cost.blockMatmulFLOPsPerToken + cost.lmHeadFLOPs) / 2 * bytesPerWeight }

        func prefill(tokens n: Int, seconds: Double) -> Workload {
            let flops = cost.flops(computedTokens: n, outputRows: 1, attendedPositions: n * (n + 1) / 2)
            let limit = Double(n) / (flops / (machine.sgemmGFLOPS * 1e9))
            return Workload(name: "prefill-\(n)", tokensPerSecond: Double(n) / seconds, limitTokensPerSecond: limit,
                            limitKind: "sgemm")
        }

        func decode(batch b: Int, context: Int, seconds: Double) -> Workload {
            let kvBytes = Double(b * context * config.keyValueDim * 2 * 4 * config.numHiddenLayers)
            let memory = (weightBytes + kvBytes) / (machine.bandwidthGBPerSecond * 1e9)
            let compute = cost.flops(computedTokens: b, outputRows: b, attendedPositions: b * context)
                / (machine.sgemmGFLOPS * 1e9)
            return Workload(name: "decode-b\(b)", tokensPerSecond: Double(b) / seconds,
                            limitTokensPerSecond: Double(b) / max(memory, compute),
                            limitKind: memory >= compute ? "bandwidth" : "sgemm")
        }
    }

    /// Measures thread scaling and, while it is clearly below the thread count (another
    /// process holds a core), waits and measures again, up to a minute. Returns the last ratio.
    static func waitForScaling(pool: WorkerPool, log: (String) -> Void) throws -> Double {
        let single = WorkerPool(threads: 1)
        var scaling = 0.0
        let attempts = 7
        for attempt in 1...attempts {
            scaling = MachineLimits.sgemm(pool: pool, repeats: 3, size: 1024)
                / max(MachineLimits.sgemm(pool: single, repeats: 3, size: 1024), 1e-9)
            if pool.threadCount == 1 || scaling >= 0.8 * Double(pool.threadCount) { return scaling }
            guard attempt < attempts else { break }
            log(String(format: "threads scale only %.2f× (another process may hold a core); waiting 10 s (%d/%d)",
                       scaling, attempt, attempts - 1))
            Thread.sleep(forTimeInterval: 10)
        }
        log(String(format: "warning: reporting with thread scaling %.2f×; figures are below what this machine can do", scaling))
        return scaling
    }

    /// The human-readable report.
    func table() -> String {
        var lines: [String] = []
        let l = machine.limits
        lines.append(String(format: "machine: %d threads, bandwidth %.1f GB/s (triad %.1f, read %.1f), sgemm %.1f GFLOP/s (%.1f on one thread)",
                            l.threads, l.bandwidthGBPerSecond, l.triadGBPerSecond, l.readGBPerSecond, l.sgemmGFLOPS, l.sgemmGFLOPSOneThread))
        lines.append(String(format: "thread scaling: %.2f× at start, %.2f× at end", machine.scalingAtStart, machine.scalingAtEnd))
        lines.append("model: \(model.path), " + String(format: "%.1fM parameters, %.0f MB of weights read per step",
                                                         Double(model.parameters) / 1e6, model.weightBytesPerToken / 1e6))
        lines.append("crossover: streaming kernel up to \(crossover.rows) rows, sgemm above ("
                     + crossover.points.map { String(format: "%d: %.0f/%.0f", $0.rows, $0.skinnyGFLOPS, $0.sgemmGFLOPS) }
                        .joined(separator: ", ") + " GFLOP/s)")
        lines.append("")
        lines.append("workload        tokens/s      limit  ratio  bound")
        for w in workloads {
            lines.append(w.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + String(format: " %11.1f %10.1f %5.0f%%  ", w.tokensPerSecond, w.limitTokensPerSecond,
                                  100 * w.fractionOfLimit) + w.limitKind)
        }
        if let tree {
            lines.append("")
            lines.append("tree (depth 8, width 4, 32-token steps): computed tokens / seconds")
            lines.append(String(format: "  forked     %6d  %7.2f s", tree.forked.computedTokens, tree.forked.seconds))
            lines.append(String(format: "  re-encoded %6d  %7.2f s", tree.reencoded.computedTokens, tree.reencoded.seconds))
            lines.append(String(format: "  forking computes %.1f× fewer tokens in %.1f× less time (final logits differ by %.1e)",
                                tree.computedRatio, tree.timeRatio, tree.maxLogitDifference))
        }
        return lines.joined(separator: "\n")
    }
}
