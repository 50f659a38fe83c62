import Foundation

/// `bank:`: a sample bank, `samples` completions drawn once per problem (one prefill, forks),
/// from which the reports derive pass@k, majority@k and weighted@k for every k up to
/// `samples` by subsampling, and the held-out pass@1 that bins problems by difficulty.
///
/// ```yaml
/// bank:
///   samples: 256        # k_max per problem
///   batch: 64           # lanes decoded at once (0: all)
///   selection: weighted-vote   # scores samples with the value head too (majority: no head needed)
/// ```
/// The bank runs as its own trials (label `bank`, strategy `best-of-n` with `fill: false`)
/// under a samples cap of `samples`, once per problem and seed, and every sample's answer,
/// verdict, value and cost is stored.
public struct BankSettings: Sendable, Hashable {
    /// k_max: samples drawn per problem and seed.
    public var samples: Int
    /// Lanes decoded at once (0: all `samples` in one wave).
    public var batch: Int
    /// `weighted-vote` (each sample gets a value-head score, for weighted@k) or `majority`.
    public var selection: String
    /// The k values the reports show: powers of two up to `samples`, and `samples` itself.
    public var ks: [Int] {
        var list: [Int] = []
        var k = 1
        while k < samples { list.append(k); k *= 2 }
        return list + [samples]
    }

    public init(samples: Int, batch: Int = 64, selection: String = "weighted-vote") {
        self.samples = samples
        self.batch = batch
        self.selection = selection
    }

    /// What the run id hashes.
    var normalized: ConfigValue {
        .map(["samples": .int(samples), "batch": .int(batch), "selection": .string(selection)])
    }

    /// The selections a bank may use (both record every sample; weighted-vote adds values).
    static let selections = ["weighted-vote", "majority"]
}

extension ExperimentConfig {
    /// The label of the bank's trials (reserved: no strategy entry may use it).
    public static let bankLabel = "bank"

    /// The strategy entry the bank runs as, when the config has a bank.
    public var bankStrategy: StrategySpec? {
        guard let bank else { return nil }
        var params: [String: ConfigValue] = bankDefaults
        params["n"] = .int(bank.samples)
        params["batch"] = .int(bank.batch)
        params["selection"] = .string(bank.selection)
        if params["fill"] != nil { params["fill"] = .bool(false) }
        return StrategySpec(label: Self.bankLabel, name: "best-of-n", params: params,
                            budgets: [BudgetSweep(kind: .samples, values: [Double(bank.samples)])])
    }

    /// Every entry that runs trials: the bank (when present) first, then the strategies.
    public var runnableStrategies: [StrategySpec] {
        (bankStrategy.map { [$0] } ?? []) + strategies
    }
}

extension ConfigValidator {
    static let bankKeys = ["samples", "batch", "selection"]

    /// Reads the optional `bank:` section.
    mutating func validateBank(_ value: ConfigValue?) -> BankSettings? {
        guard let value = present(value) else { return nil }
        guard case .map(let map) = value else {
            report("bank", "expected a map, found \(value.typeName).", "write `bank: {samples: 64}`.")
            return nil
        }
        checkKeys(map, at: "bank", allowed: Self.bankKeys)
        guard let samples = integer(map, "samples", at: "bank", range: 1...65_536) else {
            if present(map["samples"]) == nil {
                report("bank.samples", "the key is required.", "give the samples per problem, e.g. `samples: 64`.")
            }
            return nil
        }
        let batch = integer(map, "batch", at: "bank", range: 0...65_536) ?? min(samples, 64)
        let selection = string(map, "selection", at: "bank", fix: "use weighted-vote or majority.") ?? "weighted-vote"
        if !BankSettings.selections.contains(selection) {
            report("bank.selection", "`\(selection)` is not a bank selection.",
                   Suggestion.fixText(for: selection, in: BankSettings.selections, what: "bank selections"))
        }
        if !context.strategies.strategyNames.contains("best-of-n") {
            report("bank", "the bank runs on the `best-of-n` strategy, which this registry lacks.",
                   "register best-of-n, or remove `bank:`.")
        }
        return BankSettings(samples: samples, batch: batch, selection: selection)
    }
}
