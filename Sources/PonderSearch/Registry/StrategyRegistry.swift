import Foundation

/// A decoding strategy: given a problem and a context, spend (at most) the context's budget
/// and return a chosen completion with everything it considered.
///
/// Conform to this, describe the strategy with a `StrategyDescriptor`, register it, and
/// configs can name it. A strategy is a value (its parameters); all state of one search lives
/// in locals and in the context.
public protocol SearchStrategy: Sendable {
    /// The name configs and results use.
    var name: String { get }
    /// Searches `problem`. Every model, value-head and checker call goes through `context`.
    func search(_ problem: SearchProblem, in context: SearchContext) throws -> SearchResult
}

/// A registry entry: a strategy's name, its typed parameters, and how to build it.
public struct StrategyDescriptor: Sendable {
    /// The name configs use (kebab-case, e.g. `best-of-n`).
    public var name: String
    /// One line for listings.
    public var summary: String
    /// Declared parameters; anything else in a config is an error.
    public var parameters: [ParameterSpec]
    /// Builds the strategy from validated parameters.
    public var make: @Sendable (StrategyParameters) throws -> any SearchStrategy

    /// A descriptor with every field given.
    public init(name: String, summary: String, parameters: [ParameterSpec],
                make: @escaping @Sendable (StrategyParameters) throws -> any SearchStrategy) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.make = make
    }

    /// Validates `given` against the declared parameters and fills in defaults.
    public func validate(_ given: [String: ParameterValue]) throws -> StrategyParameters {
        let known = parameters.map(\.name)
        for key in given.keys.sorted() where !known.contains(key) {
            throw RegistryError.unknownParameter(strategy: name, parameter: key, known: known)
        }
        var values: [String: ParameterValue] = [:]
        for spec in parameters {
            values[spec.name] = try spec.validate(given[spec.name] ?? spec.defaultValue, strategy: name)
        }
        return StrategyParameters(strategy: name, values: values)
    }
}

/// Errors in naming strategies and their parameters. Messages name the strategy and the
/// parameter and list what is allowed.
public enum RegistryError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// No strategy is registered under the name.
    case unknownStrategy(name: String, known: [String])
    /// A second strategy under a taken name.
    case duplicateStrategy(name: String)
    /// A config gives a parameter the strategy does not declare.
    case unknownParameter(strategy: String, parameter: String, known: [String])
    /// A value of the wrong type or out of range.
    case invalidValue(strategy: String, parameter: String, value: ParameterValue, allowed: String)
    /// A factory read a parameter its descriptor does not declare (a bug in the strategy).
    case undeclaredParameter(strategy: String, parameter: String)

    public var description: String {
        switch self {
        case let .unknownStrategy(name, known):
            "unknown strategy '\(name)'; known strategies: \(known.joined(separator: ", "))"
        case let .duplicateStrategy(name):
            "a strategy named '\(name)' is already registered; pick another name"
        case let .unknownParameter(strategy, parameter, known):
            "strategy '\(strategy)' has no parameter '\(parameter)'; known parameters: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
        case let .invalidValue(strategy, parameter, value, allowed):
            "strategy '\(strategy)': parameter '\(parameter)' = \(value) is invalid; it must be \(allowed)"
        case let .undeclaredParameter(strategy, parameter):
            "strategy '\(strategy)' read parameter '\(parameter)', which its descriptor does not "
                + "declare (a bug in the strategy's factory)"
        }
    }

    public var errorDescription: String? { description }
}

/// Maps strategy names to factories, so that experiment configs can name strategies.
public struct StrategyRegistry: Sendable {
    private var descriptors: [String: StrategyDescriptor] = [:]

    /// An empty registry.
    public init() {}

    /// Registers a strategy under its descriptor's name.
    public mutating func register(_ descriptor: StrategyDescriptor) throws {
        guard descriptors[descriptor.name] == nil else {
            throw RegistryError.duplicateStrategy(name: descriptor.name)
        }
        descriptors[descriptor.name] = descriptor
    }

    /// Registered names, sorted.
    public var names: [String] { descriptors.keys.sorted() }

    /// The descriptor registered under `name`.
    public func descriptor(named name: String) throws -> StrategyDescriptor {
        guard let d = descriptors[name] else { throw RegistryError.unknownStrategy(name: name, known: names) }
        return d
    }

    /// Builds the strategy `name` from config parameters (validated; defaults filled in).
    public func make(_ name: String, parameters: [String: ParameterValue] = [:]) throws -> any SearchStrategy {
        let descriptor = try descriptor(named: name)
        return try descriptor.make(descriptor.validate(parameters))
    }

    /// The built-in strategies: greedy, sample, best-of-n, rejection, beam, mcts-step, mcts-token.
    public static let builtIn: StrategyRegistry = {
        var registry = StrategyRegistry()
        for d in [Greedy.descriptor, Sample.descriptor, BestOfN.descriptor, Rejection.descriptor,
                  BeamSearch.descriptor, MCTSStep.descriptor, MCTSToken.descriptor] {
            // Built-in names are distinct by construction; a clash would be a bug caught by tests.
            try? registry.register(d)
        }
        return registry
    }()
}
