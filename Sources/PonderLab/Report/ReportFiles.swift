import Foundation

/// Writes a run folder's derived files: CSV tables, SVG plots, `report.md`, `report.html`.
public enum ReportFiles {
    public static let curves = "curves.csv"
    public static let trials = "trials.csv"
    public static let markdown = "report.md"
    public static let html = "report.html"
    public static let difficultyPlot = "accuracy-by-difficulty.svg"

    /// Writes every report file for `analysis` into `folder` and returns their URLs.
    ///
    /// Files are replaced atomically, so a report being viewed is never half-written; all
    /// output is a deterministic function of the trials (fixed bootstrap seed), so
    /// regenerating an unchanged run changes no bytes.
    @discardableResult
    public static func write(_ analysis: RunAnalysis, to folder: URL,
                             html options: HTMLReportOptions = HTMLReportOptions()) throws -> [URL] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [(String, String)] = [
            (curves, analysis.curvesCSV()),
            (trials, analysis.trialsCSV()),
        ]
        for axis in CostAxis.allCases {
            files.append((axis.fileName, analysis.accuracyPlot(axis: axis).svg()))
        }
        files.append((difficultyPlot, analysis.difficultyPanelsSVG()))
        files.append((markdown, analysis.markdownReport()))
        files.append((html, analysis.htmlReport(options: options)))
        var written: [URL] = []
        for (name, contents) in files {
            let url = folder.appendingPathComponent(name)
            do {
                try contents.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw ReportError.cannotWrite(path: url.path, reason: error.localizedDescription)
            }
            written.append(url)
        }
        return written
    }

    /// Reads a run folder's database and writes its reports (`ponder report <folder>`).
    ///
    /// - Parameter runID: the run to report; nil picks the most recently registered one.
    /// - Returns: the report files written.
    @discardableResult
    public static func write(runFolder: URL, runID: String? = nil, analysis options: AnalysisOptions = AnalysisOptions(),
                             html htmlOptions: HTMLReportOptions = HTMLReportOptions()) throws -> [URL] {
        try report(runFolder: runFolder, runID: runID, analysis: options, html: htmlOptions).files
    }

    /// Reads a run folder's database, writes its reports and returns them with the analysis
    /// they show, so a caller prints that analysis rather than computing it again.
    ///
    /// - Parameter runID: the run to report (an id or a prefix); nil picks the most recently
    ///   registered one.
    public static func report(runFolder: URL, runID: String? = nil, analysis options: AnalysisOptions = AnalysisOptions(),
                              html htmlOptions: HTMLReportOptions = HTMLReportOptions()) throws -> RunReport {
        let database = runFolder.appendingPathComponent(ResultsStore.fileName)
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw ReportError.noResults(path: database.path)
        }
        let store = try ResultsStore(url: database)
        let runs = try store.runs()
        let run: RunInfo?
        if let runID {
            run = runs.first { $0.runID == runID || $0.runID.hasPrefix(runID) }
            guard run != nil else { throw ReportError.unknownRun(runID, known: runs.map(\.runID)) }
        } else {
            run = runs.last
        }
        guard let run else { throw ReportError.noResults(path: database.path) }
        let trials = TrialOrder.canonical(try store.trials(run: run.runID), run: run)
        guard !trials.isEmpty else { throw ReportError.noTrials(runID: run.runID) }
        let analysis = try RunAnalysis(trials: trials, run: run, options: options)
        return RunReport(folder: runFolder, files: try write(analysis, to: runFolder, html: htmlOptions), analysis: analysis)
    }
}

/// What writing a run's reports produced: the folder, the files and the analysis they show.
public struct RunReport: Sendable {
    /// The run folder.
    public var folder: URL
    /// The report files written (none for a shard, or a run with no finished trial).
    public var files: [URL]
    /// The analysis the reports show; nil when none was written.
    public var analysis: RunAnalysis?

    /// A report with every part given.
    public init(folder: URL, files: [URL], analysis: RunAnalysis?) {
        self.folder = folder
        self.files = files
        self.analysis = analysis
    }
}

/// Report failures, each saying what to do.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case noResults(path: String)
    case unknownRun(String, known: [String])
    case noTrials(runID: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .noResults(let path):
            return "no results at \(path): run `ponder run <config>` first, or pass the run's output folder."
        case .unknownRun(let id, let known):
            return "no run \(id) in this folder; it holds \(known.map { String($0.prefix(12)) }.joined(separator: ", "))."
        case .noTrials(let id):
            return "run \(id.prefix(12)) has no finished trials yet; wait for `ponder run` to finish some."
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason). Check the folder's permissions and free space."
        }
    }

    public var errorDescription: String? { description }
}
