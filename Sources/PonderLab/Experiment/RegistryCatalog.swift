import Foundation
import PonderSearch

/// Config validation's view of a `StrategyRegistry`: names, parameter checks and defaults.
///
/// Each given parameter is checked on its own against its declaration (unknown names, wrong
/// types, out-of-range values), so one config error report lists every bad parameter; then,
/// if they are all fine, the strategy is built once, which catches rules that span
/// parameters (`expansion_cap` below `width`).
public struct RegistryCatalog: StrategyCatalog {
    /// The registry consulted.
    public let registry: StrategyRegistry

    /// A catalog over `registry` (the built-in strategies by default).
    public init(_ registry: StrategyRegistry = .builtIn) {
        self.registry = registry
    }

    /// The registered names.
    public var strategyNames: [String] { registry.names }

    /// Every problem with `params` (keys relative to `params`); empty when they are fine.
    public func validate(strategy: String, params: [String: ConfigValue]) -> [ParameterIssue] {
        guard let descriptor = try? registry.descriptor(named: strategy) else { return [] }
        let known = descriptor.parameters.map(\.name)
        var issues: [ParameterIssue] = []
        var given: [String: ParameterValue] = [:]
        for key in params.keys.sorted() {
            guard let value = params[key] else { continue }
            guard let spec = descriptor.parameters.first(where: { $0.name == key }) else {
                let fix = known.isEmpty ? "`\(strategy)` takes no parameters; remove `params`."
                    : Suggestion.fixText(for: key, in: known, what: "parameters of `\(strategy)`")
                issues.append(ParameterIssue(key: key, problem: "`\(strategy)` has no parameter `\(key)`.", fix: fix))
                continue
            }
            let fix = "write `\(key):` as \(spec.allowed) (default \(spec.defaultValue)); \(spec.help)."
            guard let parameter = Self.parameterValue(value) else {
                issues.append(ParameterIssue(key: key, problem: "expected \(spec.allowed), found \(value.typeName).", fix: fix))
                continue
            }
            do {
                _ = try descriptor.validate([key: parameter])
                given[key] = parameter
            } catch {
                issues.append(ParameterIssue(key: key, problem: "`\(value)` is not \(spec.allowed).", fix: fix))
            }
        }
        guard issues.isEmpty else { return issues }
        do {
            _ = try descriptor.make(try descriptor.validate(given))
        } catch {
            issues.append(ParameterIssue(key: nil, problem: "\(error)",
                                         fix: "change the parameters so that they work together."))
        }
        return issues
    }

    /// Every declared parameter's default, so a run id does not change when a default is
    /// written out.
    public func defaults(for strategy: String) -> [String: ConfigValue] {
        guard let descriptor = try? registry.descriptor(named: strategy) else { return [:] }
        var values: [String: ConfigValue] = [:]
        for spec in descriptor.parameters { values[spec.name] = Self.configValue(spec.defaultValue) }
        return values
    }

    /// Builds the strategy an entry of a validated config names.
    public func make(_ spec: StrategySpec) throws -> any SearchStrategy {
        var given: [String: ParameterValue] = [:]
        for (key, value) in spec.params {
            guard let parameter = Self.parameterValue(value) else {
                throw RegistryError.invalidValue(strategy: spec.name, parameter: key, value: .string(value.description),
                                                 allowed: "a scalar")
            }
            given[key] = parameter
        }
        return try registry.make(spec.name, parameters: given)
    }

    /// A config scalar as a strategy parameter (nil for lists, maps and null).
    static func parameterValue(_ value: ConfigValue) -> ParameterValue? {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .null, .list, .map: return nil
        }
    }

    static func configValue(_ value: ParameterValue) -> ConfigValue {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        }
    }
}
