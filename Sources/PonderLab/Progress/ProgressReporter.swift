import Foundation

/// What the progress display shows at a moment.
public struct ProgressSnapshot: Sendable, Hashable {
    public var done: Int
    public var total: Int
    /// Correct trials among those finished in this session.
    public var correct: Int
    /// Trials finished in this session (excludes those a resumed run skipped).
    public var finishedThisSession: Int
    public var elapsedSeconds: Double
    /// Estimated seconds left, from this session's rate; nil before the first trial finishes.
    public var etaSeconds: Double?

    /// Accuracy so far over this session's trials.
    public var accuracy: Double? {
        finishedThisSession > 0 ? Double(correct) / Double(finishedThisSession) : nil
    }
}

/// Reports run progress on stderr: a redrawn bar on a terminal, plain periodic lines otherwise
/// (CI logs, Slurm output files), where carriage returns would pile up as garbage.
public final class ProgressReporter: @unchecked Sendable {
    /// How progress is drawn.
    public enum Style: Sendable {
        /// One line redrawn in place (`\r`), at most ten times a second.
        case bar
        /// A full line every `interval` seconds and at the end.
        case lines(interval: Double)
    }

    private let lock = NSLock()
    private let label: String
    private let style: Style
    private let clock: @Sendable () -> Double
    private let sink: @Sendable (String) -> Void
    private let start: Double
    private var state: ProgressSnapshot
    private var lastDraw = -Double.infinity

    /// - Parameters:
    ///   - total: all trials of the run (or shard).
    ///   - alreadyDone: trials a resumed run skips; they count as done but not toward the rate.
    ///   - style: nil picks `.bar` when stderr is a terminal, `.lines(interval: 30)` otherwise.
    ///   - clock: seconds from any fixed origin (injected by tests).
    ///   - sink: where text goes (stderr by default).
    public init(total: Int, alreadyDone: Int = 0, label: String = "ponder", style: Style? = nil,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime },
                sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.label = label
        self.style = style ?? (isatty(STDERR_FILENO) == 1 ? .bar : .lines(interval: 30))
        self.clock = clock
        self.sink = sink
        self.start = clock()
        self.state = ProgressSnapshot(done: alreadyDone, total: total, correct: 0, finishedThisSession: 0,
                                      elapsedSeconds: 0, etaSeconds: nil)
    }

    /// The current numbers.
    public var snapshot: ProgressSnapshot {
        lock.lock(); defer { lock.unlock() }
        return current()
    }

    /// Records one finished trial and redraws if it is time.
    public func record(correct: Bool) {
        lock.lock(); defer { lock.unlock() }
        state.done += 1
        state.finishedThisSession += 1
        if correct { state.correct += 1 }
        let now = clock()
        switch style {
        case .bar:
            if now - lastDraw >= 0.1 || state.done == state.total { draw(now: now, final: false) }
        case .lines(let interval):
            if now - lastDraw >= interval { draw(now: now, final: false) }
        }
    }

    /// Draws the final state (and ends the bar's line).
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        draw(now: clock(), final: true)
    }

    private func current() -> ProgressSnapshot {
        var snapshot = state
        snapshot.elapsedSeconds = clock() - start
        if state.finishedThisSession > 0 {
            let rate = Double(state.finishedThisSession) / max(snapshot.elapsedSeconds, 1e-9)
            snapshot.etaSeconds = Double(max(0, state.total - state.done)) / rate
        }
        return snapshot
    }

    private func draw(now: Double, final: Bool) {
        lastDraw = now
        let snapshot = current()
        switch style {
        case .bar:
            sink("\r" + ProgressReporter.barLine(snapshot, label: label) + "\u{1B}[K" + (final ? "\n" : ""))
        case .lines:
            sink(ProgressReporter.plainLine(snapshot, label: label, final: final) + "\n")
        }
    }

    /// `ponder [██████░░░░░░░░] 37/120  31%  acc 54.1%  ETA 3m12s`
    public static func barLine(_ s: ProgressSnapshot, label: String, width: Int = 24) -> String {
        let fraction = s.total > 0 ? Double(s.done) / Double(s.total) : 1
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\(label) [\(bar)] \(s.done)/\(s.total) \(String(format: "%3.0f%%", fraction * 100))"
            + "  acc \(s.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "–")"
            + "  ETA \(s.etaSeconds.map(duration) ?? "–")"
    }

    /// `ponder: 37/120 trials (31%), accuracy 54.1% so far, 12m05s elapsed, ETA 3m12s`
    public static func plainLine(_ s: ProgressSnapshot, label: String, final: Bool) -> String {
        let percent = s.total > 0 ? Double(s.done) / Double(s.total) * 100 : 100
        let accuracy = s.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
        var line = "\(label): \(s.done)/\(s.total) trials (\(String(format: "%.0f", percent))%), accuracy \(accuracy) so far, "
            + "\(duration(s.elapsedSeconds)) elapsed"
        line += final ? ", done" : ", ETA \(s.etaSeconds.map(duration) ?? "–")"
        return line
    }

    /// 45s, 3m12s, 2h05m.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m"
    }
}
