import Ponder
import Synchronization

/// The strategy and task registries the commands of this process use: the built-ins plus
/// whatever `PonderCLI.main` registered. Commands are parsed values, so they cannot be
/// handed registries; they read them here.
enum CLIRegistries {
    private static let storage = Mutex((strategies: StrategyRegistry.builtIn, tasks: TaskRegistry.builtIn))

    /// The strategies configs may name.
    static var strategies: StrategyRegistry { storage.withLock { $0.strategies } }
    /// The tasks configs and commands may name.
    static var tasks: TaskRegistry { storage.withLock { $0.tasks } }

    /// Adds `strategies` and `tasks` to the built-ins.
    /// - Throws: a registry error when a name is already taken.
    static func register(strategies: [StrategyDescriptor], tasks: [TaskDescriptor]) throws {
        var strategyRegistry = StrategyRegistry.builtIn
        for descriptor in strategies { try strategyRegistry.register(descriptor) }
        let taskRegistry = try TaskRegistry.builtIn(adding: tasks)
        storage.withLock { $0 = (strategyRegistry, taskRegistry) }
    }
}
