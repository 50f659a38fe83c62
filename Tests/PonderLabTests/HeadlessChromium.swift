import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium, for tests that look at `report.html` the way a browser renders it.
///
/// Every run gets its own temporary profile, resolves no host names (the report must not need
/// the network, and a stray request should fail fast rather than hang) and is killed after
/// `timeout` seconds.
struct HeadlessChromium {
    /// Browser names looked up on PATH, in order: Debian's package, then other distributions'.
    static let names = ["chromium", "chromium-browser", "google-chrome"]

    let executable: URL
    var timeout: TimeInterval = 60

    /// The first browser on PATH, or nil.
    static func find(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> HeadlessChromium? {
        let folders = (path ?? "").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders {
                let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return HeadlessChromium(executable: candidate)
                }
            }
        }
        return nil
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut(seconds: TimeInterval, log: String)
        case exited(status: Int32, log: String)

        var description: String {
            switch self {
            case .timedOut(let seconds, let log): return "chromium ran past \(Int(seconds)) s and was killed; its log ends:\n\(log)"
            case .exited(let status, let log): return "chromium exited with status \(status); its log ends:\n\(log)"
            }
        }
    }

    /// The DOM after the page's scripts ran (`--dump-dom`).
    func dumpDOM(of page: URL) throws -> String {
        let output = try run(["--dump-dom", page.absoluteString])
        return String(decoding: output, as: UTF8.self)
    }

    /// A PNG of the page's first `width` × `height` pixels.
    func screenshot(of page: URL, to png: URL, width: Int, height: Int) throws {
        _ = try run(["--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
                     page.absoluteString])
    }

    /// Runs the browser with `arguments` after the common flags; returns its stdout.
    private func run(_ arguments: [String]) throws -> Data {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("ponder-chromium-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdoutURL = scratch.appendingPathComponent("stdout"), stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? stdout.close(); try? stderr.close() }

        let process = Process()
        process.executableURL = executable
        // --no-sandbox: containers and root, where CI runs, have no user namespaces for it.
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--mute-audio",
        ] + arguments
        var environment = ProcessInfo.processInfo.environment
        // caches and config too go to the scratch folder, not the user's home
        environment["HOME"] = scratch.path
        environment["XDG_CONFIG_HOME"] = scratch.appendingPathComponent("config").path
        environment["XDG_CACHE_HOME"] = scratch.appendingPathComponent("cache").path
        process.environment = environment
        // files, not pipes: a large DOM cannot fill a pipe and stall the browser
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(3)
            while process.isRunning && Date() < grace { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw Failure.timedOut(seconds: timeout, log: HeadlessChromium.tail(of: stderrURL))
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure.exited(status: process.terminationStatus, log: HeadlessChromium.tail(of: stderrURL))
        }
        return (try? Data(contentsOf: stdoutURL)) ?? Data()
    }

    private static func tail(of url: URL) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }
}

/// The width and height in a PNG's IHDR chunk, or nil when the data is no PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    // signature (8 bytes), chunk length (4), "IHDR" (4), width (4, big-endian), height (4)
    guard bytes.count == 24, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
          bytes[12..<16].elementsEqual(Array("IHDR".utf8)) else { return nil }
    func bigEndian(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(16..<20), bigEndian(20..<24))
}
