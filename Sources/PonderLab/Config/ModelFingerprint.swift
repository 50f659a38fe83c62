import Foundation

/// A version string for a model directory, to feed `ExperimentConfig.runID(modelVersion:…)`.
///
/// Hashing multi-GB weights on every `ponder run` would cost minutes, so large files
/// contribute their size and their first and last MiB; small files (configs, tokenizer,
/// value heads up to 16 MiB) are hashed whole. Retraining a checkpoint changes the tensor
/// bytes at both ends of a safetensors file (the header describes every tensor and the last
/// tensors are the final layers), so this catches every realistic change.
public enum ModelFingerprint {
    /// Files above this size are sampled rather than hashed whole.
    public static let fullHashLimit = 16 << 20
    private static let sampleBytes = 1 << 20

    /// The SHA-256 (hex) over the directory's regular files, in name order.
    public static func compute(directory: URL) throws -> String {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: directory.path).sorted()
        var hasher = SHA256()
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            hasher.update("\(name)\u{0}\(size)\u{0}")
            try handle.seek(toOffset: 0)
            if size <= UInt64(fullHashLimit) {
                hasher.update(try handle.readToEnd() ?? Data())
            } else {
                hasher.update(try handle.read(upToCount: sampleBytes) ?? Data())
                try handle.seek(toOffset: size - UInt64(sampleBytes))
                hasher.update(try handle.read(upToCount: sampleBytes) ?? Data())
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
