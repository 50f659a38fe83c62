/// Which sampled completions rejection sampling keeps (R1's recipe: keep only correct,
/// well-formed, single-language chains of thought).
///
/// Written on the command line as a comma list, e.g. `accuracy,format,language,max-tokens=4096`:
/// - `accuracy` — the verifier accepts the answer (`Score.accuracy == 1`);
/// - `format` — the strict R1 format holds (`Score.format == 1`);
/// - `language` or `language=MIN` — `Score.language ≥ MIN` (default 1: no foreign letters,
///   as R1 drops "chain-of-thought with mixed languages");
/// - `max-tokens=N` — the completion has at most N tokens.
/// A completion is kept when it passes every rule.
public struct RejectionFilter: Sendable, Hashable, CustomStringConvertible {
    /// One keep rule.
    public enum Rule: Sendable, Hashable, CustomStringConvertible {
        case accuracy
        case format
        case language(minimum: Double)
        case maxTokens(Int)

        /// The rule's name as written in the list (and in rejection counts).
        public var name: String {
            switch self {
            case .accuracy: return "accuracy"
            case .format: return "format"
            case .language: return "language"
            case .maxTokens: return "max-tokens"
            }
        }

        public var description: String {
            switch self {
            case .language(let minimum) where minimum != 1: return "language=\(minimum)"
            case .maxTokens(let n): return "max-tokens=\(n)"
            default: return name
            }
        }

        /// Whether a completion with `score` and `tokenCount` tokens passes.
        public func passes(_ score: Score, tokenCount: Int) -> Bool {
            switch self {
            case .accuracy: return score.accuracy == 1
            case .format: return score.format == 1
            case .language(let minimum): return score.language >= minimum
            case .maxTokens(let n): return tokenCount <= n
            }
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// Parses a comma list such as `accuracy,format,max-tokens=512`.
    /// - Throws: `TaskError.invalidConfiguration` naming the bad entry and the accepted forms:
    ///   an empty list, an unknown rule, a repeated rule, a missing or non-positive N, a
    ///   language minimum outside [0, 1], or a value given to `accuracy`/`format`.
    public init(parsing list: String) throws {
        let forms = "accuracy, format, language[=MIN], max-tokens=N"
        let entries = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingWhitespace() }
        guard !(entries.count == 1 && entries[0].isEmpty) else {
            throw TaskError.invalidConfiguration("the keep-rule list is empty; give rules from: \(forms)")
        }
        var rules: [Rule] = []
        for entry in entries {
            guard !entry.isEmpty else {
                throw TaskError.invalidConfiguration("empty entry in keep rules '\(list)'; remove the extra comma")
            }
            let pieces = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pieces[0]).trimmingWhitespace().lowercased()
            let value = pieces.count == 2 ? String(pieces[1]).trimmingWhitespace() : nil
            let rule: Rule
            switch key {
            case "accuracy", "format":
                if value != nil {
                    throw TaskError.invalidConfiguration("keep rule '\(key)' takes no value; write '\(key)'")
                }
                rule = key == "accuracy" ? .accuracy : .format
            case "language":
                if let value {
                    guard let minimum = Double(value), (0...1).contains(minimum) else {
                        throw TaskError.invalidConfiguration(
                            "keep rule '\(entry)': the language minimum must be a number from 0 to 1, e.g. language=0.95")
                    }
                    rule = .language(minimum: minimum)
                } else {
                    rule = .language(minimum: 1)
                }
            case "max-tokens":
                guard let value, let n = Int(value), n > 0 else {
                    throw TaskError.invalidConfiguration(
                        "keep rule '\(entry)' needs a positive whole number of tokens, e.g. max-tokens=4096")
                }
                rule = .maxTokens(n)
            default:
                throw TaskError.invalidConfiguration("unknown keep rule '\(entry)'; expected one of: \(forms)")
            }
            if rules.contains(where: { $0.name == rule.name }) {
                throw TaskError.invalidConfiguration("keep rule '\(rule.name)' is given twice in '\(list)'")
            }
            rules.append(rule)
        }
        self.rules = rules
    }

    /// The names of the rules a completion fails (empty: keep it).
    public func failedRules(_ score: Score, tokenCount: Int) -> [String] {
        rules.filter { !$0.passes(score, tokenCount: tokenCount) }.map(\.name)
    }

    /// Whether a completion passes every rule.
    public func accepts(_ score: Score, tokenCount: Int) -> Bool {
        failedRules(score, tokenCount: tokenCount).isEmpty
    }

    /// The list form, parseable by `init(parsing:)`.
    public var description: String {
        rules.map(\.description).joined(separator: ",")
    }
}
