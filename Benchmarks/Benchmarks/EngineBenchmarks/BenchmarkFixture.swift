import Foundation
import PonderModel

/// The model, engine and tokenizer the benchmarks share, made once per process.
final class BenchmarkFixture: @unchecked Sendable {
    static let shared = BenchmarkFixture()

    private let lock = NSLock()
    private var cachedEngine: Engine?
    private var cachedTokenizer: Tokenizer?
    private var temporary: String?

    /// The committed qwen2-style tokenizer fixture, found relative to this file.
    let tokenizerDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Tests/Fixtures/tokenizers/qwen2-style")

    /// About 4 KB of mixed prose, code and numbers.
    let text = String(repeating: "The engine forks sequences in O(1): 3 children share 17 blocks; let x = f(y) + 42.\n", count: 48)

    deinit { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }

    func engine() throws -> Engine {
        lock.lock()
        defer { lock.unlock() }
        if let cachedEngine { return cachedEngine }
        var directory = ProcessInfo.processInfo.environment["PONDER_BENCH_MODEL"] ?? ""
        if directory.isEmpty {
            directory = NSTemporaryDirectory() + "ponder-benchmarks-" + UUID().uuidString
            try RandomCheckpoint.write(.qwen2_30M, to: directory)
            temporary = directory
        }
        let engine = try Engine(model: try TransformerModel.load(directory: directory))
        cachedEngine = engine
        return engine
    }

    func tokenizer() throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let cachedTokenizer { return cachedTokenizer }
        let tokenizer = try Tokenizer.load(directory: tokenizerDirectory)
        cachedTokenizer = tokenizer
        return tokenizer
    }

    /// `count` deterministic token ids below 1,000.
    func tokens(_ count: Int, offset: Int = 0) -> [Int] {
        (0..<count).map { ($0 * 7 + offset * 13 + 5) % 1000 }
    }
}
