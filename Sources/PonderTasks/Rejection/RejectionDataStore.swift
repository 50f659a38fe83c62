import Foundation

/// The rejection-sampling output on disk, resumable after a crash without duplicates.
///
/// Two files:
/// - the **output** (`out.jsonl`): kept completions, one `RejectionRecord` per line, ready
///   for SFT; a problem's records are written together, in one write;
/// - the **progress file** (`out.jsonl.progress`): one `ProblemOutcome` per *finished*
///   problem, written after its records. It exists because a problem whose samples were all
///   rejected leaves no record in the output, yet must count as finished (and in the
///   acceptance statistics).
///
/// Opening an existing output resumes it: a last line without its newline (a crash in the
/// middle of a write) is truncated from either file, and records of a problem without a
/// progress line (a crash between the two writes) are removed, so re-running that problem
/// cannot duplicate them. `finishedProblemIDs` then says what to skip.
public final class RejectionDataStore {
    public let outputURL: URL
    public let progressURL: URL
    /// Problems with a progress line: skip them when resuming.
    public private(set) var finishedProblemIDs: Set<String> = []
    /// Statistics over the finished problems, including those finished before a resume.
    public private(set) var statistics = AcceptanceStatistics()
    /// What opening repaired, in words (empty when the files were intact).
    public private(set) var repairs: [String] = []

    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Opens (creating if needed) the output at `outputURL` and its progress file
    /// `outputURL.path + ".progress"`, repairing both as described above.
    /// - Throws: `TaskError.io` when a file cannot be read or written;
    ///   `TaskError.malformedLine` (`file:line`) for a complete line that is not a valid
    ///   record (that is corruption, not a crash, and is not silently dropped).
    public init(outputURL: URL) throws {
        self.outputURL = outputURL
        self.progressURL = URL(fileURLWithPath: outputURL.path + ".progress")
        let decoder = JSONDecoder()

        let progressLines = try Self.completeLines(of: progressURL, repairs: &repairs)
        var expected: [String: Int] = [:]
        for (index, line) in progressLines.enumerated() {
            let outcome = try Self.decode(ProblemOutcome.self, line, decoder, progressURL, index + 1)
            if finishedProblemIDs.insert(outcome.problemID).inserted {
                statistics.add(outcome)
                expected[outcome.problemID] = outcome.accepted
            }
        }

        let outputLines = try Self.completeLines(of: outputURL, repairs: &repairs)
        var kept: [Substring] = []
        var orphans: Set<String> = []
        for (index, line) in outputLines.enumerated() {
            let record = try Self.decode(RejectionRecord.self, line, decoder, outputURL, index + 1)
            if finishedProblemIDs.contains(record.problemID) {
                kept.append(line)
                expected[record.problemID, default: 0] -= 1
            } else {
                orphans.insert(record.problemID)
            }
        }
        // Records lost or added behind the store's back (an edited or replaced output) are
        // not repaired, only reported: the statistics then disagree with the file.
        let mismatched = expected.values.filter { $0 != 0 }.count
        if mismatched > 0 {
            repairs.append("\(mismatched) finished problem(s) have a different number of records in \(outputURL.path) than their progress lines say; was the output edited?")
        }
        if !orphans.isEmpty {
            let text = kept.map { $0 + "\n" }.joined()
            try Self.replace(outputURL, with: Data(text.utf8))
            repairs.append("removed \(outputLines.count - kept.count) record(s) of \(orphans.count) unfinished problem(s) from \(outputURL.path); they will be sampled again")
        }
    }

    /// Appends one finished problem: its kept `records` (possibly none), then its `outcome`.
    /// - Throws: `TaskError.invalidConfiguration` if the problem is already finished (a
    ///   second write would duplicate it), `TaskError.io` on a failed write.
    public func append(records: [RejectionRecord], outcome: ProblemOutcome) throws {
        guard !finishedProblemIDs.contains(outcome.problemID) else {
            throw TaskError.invalidConfiguration(
                "problem '\(outcome.problemID)' is already finished in \(outputURL.path); skip finishedProblemIDs when resuming")
        }
        if let stray = records.first(where: { $0.problemID != outcome.problemID }) {
            throw TaskError.invalidConfiguration(
                "record for '\(stray.problemID)' handed in with the outcome of '\(outcome.problemID)'")
        }
        if !records.isEmpty {
            var data = Data()
            for record in records {
                data.append(try encode(record))
            }
            try Self.append(data, to: outputURL)
        }
        try Self.append(try encode(outcome), to: progressURL)
        finishedProblemIDs.insert(outcome.problemID)
        statistics.add(outcome)
    }

    /// Reads every record of an output file (for training, or to inspect it).
    public static func readRecords(_ url: URL) throws -> [RejectionRecord] {
        var repairs: [String] = []
        let decoder = JSONDecoder()
        return try completeLines(of: url, repairs: &repairs, truncate: false).enumerated().map {
            try decode(RejectionRecord.self, $0.element, decoder, url, $0.offset + 1)
        }
    }

    // MARK: - File handling

    private func encode<T: Encodable>(_ value: T) throws -> Data {
        var data = try encoder.encode(value)
        data.append(0x0A)  // JSONEncoder escapes newlines inside strings: one value, one line
        return data
    }

    /// The file's complete (newline-terminated) lines; creates an empty file when missing.
    /// An unterminated last line is cut off the file (when `truncate`) and reported.
    private static func completeLines(of url: URL, repairs: inout [String],
                                      truncate: Bool = true) throws -> [Substring] {
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            guard truncate else { throw TaskError.io(file: url.path, message: "no such file") }
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw TaskError.io(file: url.path, message: "cannot create the file; check that its folder exists and is writable")
            }
            return []
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TaskError.io(file: url.path, message: "cannot read the file (\(error.localizedDescription))")
        }
        var completeLength = data.count
        while completeLength > 0, data[data.startIndex + completeLength - 1] != 0x0A { completeLength -= 1 }
        if completeLength < data.count {
            if truncate {
                do {
                    let handle = try FileHandle(forWritingTo: url)
                    defer { try? handle.close() }
                    try handle.truncate(atOffset: UInt64(completeLength))
                    try handle.synchronize()
                } catch {
                    throw TaskError.io(file: url.path, message: "cannot truncate a half-written last line (\(error.localizedDescription))")
                }
            }
            repairs.append("dropped a half-written last line (\(data.count - completeLength) bytes) from \(url.path)")
        }
        guard let text = String(data: data.prefix(completeLength), encoding: .utf8) else {
            throw TaskError.io(file: url.path, message: "the file is not UTF-8 text")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: true)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ line: Substring, _ decoder: JSONDecoder,
                                             _ url: URL, _ number: Int) throws -> T {
        do {
            return try decoder.decode(type, from: Data(line.utf8))
        } catch {
            throw TaskError.malformedLine(file: url.path, line: number,
                message: "not a valid \(type) line (\(error)); the file is corrupt — move it aside to start over")
        }
    }

    private static func append(_ data: Data, to url: URL) throws {
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()  // a record counts as written only once it is on disk
        } catch {
            throw TaskError.io(file: url.path, message: "cannot append (\(error.localizedDescription))")
        }
    }

    private static func replace(_ url: URL, with data: Data) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw TaskError.io(file: url.path, message: "cannot rewrite the file (\(error.localizedDescription))")
        }
    }
}
