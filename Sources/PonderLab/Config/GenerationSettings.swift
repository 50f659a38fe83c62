import Foundation

/// How completions are sampled and when they end: the `generation:` section of a config.
///
/// ```yaml
/// generation:
///   max_new_tokens: 128     # length cap of one completion
///   temperature: 1.0        # sampling strategies; greedy always uses 0
///   top_k: 50               # optional
///   top_p: 0.95             # optional
///   min_p: 0.05             # optional
///   stop: ["</answer>"]     # optional; default: `</answer>` unless the prompt style is chat
/// ```
/// Every field is part of the run id: changing how completions are drawn changes results.
public struct GenerationSettings: Sendable, Hashable {
    /// The most tokens one completion may hold.
    public var maxNewTokens: Int
    /// Sampling temperature (0 is greedy for every strategy).
    public var temperature: Double
    /// Keep only the k most likely tokens (nil: all).
    public var topK: Int?
    /// Nucleus mass (nil: 1).
    public var topP: Double?
    /// Min-p threshold relative to the top token (nil: off).
    public var minP: Double?
    /// Strings that end a completion; nil means the prompt style's default.
    public var stop: [String]?

    /// The defaults: 256 tokens, temperature 1, no truncation, the style's stop strings.
    public init(maxNewTokens: Int = 256, temperature: Double = 1, topK: Int? = nil, topP: Double? = nil,
                minP: Double? = nil, stop: [String]? = nil) {
        self.maxNewTokens = maxNewTokens
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.stop = stop
    }

    /// The settings as the normalized config tree holds them (every key written out).
    var normalized: ConfigValue {
        .map([
            "max_new_tokens": .int(maxNewTokens),
            "temperature": .double(temperature),
            "top_k": topK.map(ConfigValue.int) ?? .null,
            "top_p": topP.map(ConfigValue.double) ?? .null,
            "min_p": minP.map(ConfigValue.double) ?? .null,
            "stop": stop.map { .list($0.map(ConfigValue.string)) } ?? .null,
        ])
    }
}

extension ConfigValidator {
    static let generationKeys = ["max_new_tokens", "temperature", "top_k", "top_p", "min_p", "stop"]

    /// Reads `generation:`, reporting every bad key, type and range.
    mutating func validateGeneration(_ value: ConfigValue?) -> GenerationSettings {
        var settings = GenerationSettings()
        guard let value = present(value) else { return settings }
        guard case .map(let map) = value else {
            report("generation", "expected a map, found \(value.typeName).",
                   "write `generation:` with keys like `max_new_tokens: 128` below it.")
            return settings
        }
        checkKeys(map, at: "generation", allowed: Self.generationKeys)
        if let n = integer(map, "max_new_tokens", at: "generation", range: 1...1_000_000) { settings.maxNewTokens = n }
        if let t = number(map, "temperature", range: 0...100, fix: "use a temperature from 0 (greedy) to 100, e.g. `1.0`.") {
            settings.temperature = t
        }
        settings.topK = integer(map, "top_k", at: "generation", range: 1...10_000_000)
        settings.topP = number(map, "top_p", range: 0...1, fix: "use a nucleus mass in (0, 1], e.g. `0.95`.")
        if let p = settings.topP, p <= 0 {
            report("generation.top_p", "0 keeps no token.", "use a nucleus mass in (0, 1], e.g. `0.95`, or drop the key.")
        }
        settings.minP = number(map, "min_p", range: 0...1, fix: "use a fraction from 0 to 1, e.g. `0.05`.")
        if let raw = present(map["stop"]) {
            if case .list(let items) = raw, items.allSatisfy({ ($0.stringValue ?? "").isEmpty == false }) {
                settings.stop = items.compactMap(\.stringValue)
            } else {
                report("generation.stop", "expected a list of non-empty strings, found \(raw.typeName).",
                       "write `stop: [\"</answer>\"]`, or `stop: []` to stop only at EOS.")
            }
        }
        return settings
    }

    private mutating func number(_ map: [String: ConfigValue], _ key: String, range: ClosedRange<Double>,
                                 fix: String) -> Double? {
        let keyPath = "generation.\(key)"
        guard let value = present(map[key]) else { return nil }
        guard let number = value.doubleValue, number.isFinite else {
            report(keyPath, "expected a number, found \(value.typeName) (`\(value)`).", fix)
            return nil
        }
        guard range.contains(number) else {
            report(keyPath, "\(ConfigValue.canonicalNumber(number)) is out of range.", fix)
            return nil
        }
        return number
    }
}
