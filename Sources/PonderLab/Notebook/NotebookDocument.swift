import Foundation

/// A notebook split into plain text and ```` ```ponder ```` blocks, with old outputs removed.
struct NotebookDocument {
    struct Block {
        /// 1-based line of the opening fence.
        var line: Int
        /// The fence lines and the commands, exactly as written.
        var sourceLines: [String]
        /// Commands with `\` continuations joined and comments dropped.
        var commandLines: [String]
        /// `output=markdown` in the info string.
        var markdownOutput: Bool
    }

    enum Segment {
        case text([String])
        case block(Block)
    }

    var segments: [Segment] = []

    init(markdown: String, file: String) throws {
        let lines = markdown.components(separatedBy: "\n")
        var text: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard let fence = NotebookDocument.openingFence(line) else {
                text.append(line); index += 1
                continue
            }
            // find the closing fence: same character, at least as long, nothing else on the line
            var close = index + 1
            while close < lines.count, !NotebookDocument.closes(lines[close], fence: fence.marker) { close += 1 }
            guard fence.isPonder else {
                // another language's code block: copied verbatim, never scanned for commands
                text.append(contentsOf: lines[index...min(close, lines.count - 1)])
                index = close + 1
                continue
            }
            guard close < lines.count else { throw NotebookError.unterminatedFence(file: file, line: index + 1) }
            segments.append(.text(text)); text = []
            let body = Array(lines[(index + 1)..<close])
            segments.append(.block(Block(line: index + 1, sourceLines: Array(lines[index...close]),
                                         commandLines: NotebookDocument.commands(body),
                                         markdownOutput: fence.info.contains("output=markdown"))))
            index = close + 1
            // drop the previous output region (and the blank lines before it)
            var next = index
            while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
            if next < lines.count, lines[next].trimmingCharacters(in: .whitespaces) == NotebookRunner.beginMarker {
                var end = next + 1
                while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != NotebookRunner.endMarker { end += 1 }
                guard end < lines.count else { throw NotebookError.unterminatedOutput(file: file, line: next + 1) }
                index = end + 1
            }
        }
        segments.append(.text(text))
    }

    struct Fence {
        var marker: String
        var info: String
        var isPonder: Bool
    }

    /// A CommonMark fence opener: up to three spaces, then three or more backticks or tildes.
    static func openingFence(_ line: String) -> Fence? {
        let indent = line.prefix { $0 == " " }
        guard indent.count <= 3 else { return nil }
        let rest = line.dropFirst(indent.count)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let marker = rest.prefix { $0 == first }
        guard marker.count >= 3 else { return nil }
        let info = rest.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
        if first == "`", info.contains("`") { return nil }
        let word = info.split(separator: " ").first.map(String.init) ?? ""
        return Fence(marker: String(marker), info: info, isPonder: word == "ponder")
    }

    static func closes(_ line: String, fence marker: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = marker.first, trimmed.count >= marker.count else { return false }
        return trimmed.allSatisfy { $0 == first } && line.prefix { $0 == " " }.count <= 3
    }

    static func commands(_ body: [String]) -> [String] {
        var commands: [String] = []
        var pending = ""
        for raw in body {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty, line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                commands.append(pending + line)
                pending = ""
            }
        }
        if !pending.isEmpty { commands.append(pending) }
        return commands
    }
}
