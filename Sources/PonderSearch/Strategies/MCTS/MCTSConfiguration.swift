/// How a leaf's value is estimated in MCTS.
public enum LeafEvaluation: String, Codable, Sendable, CaseIterable {
    /// The value head on the new node's state (TS-LLM, rStar-Math at test time).
    case value
    /// A sampled rollout to the end, scored at its end (value head, or checker when charged).
    case rollout
    /// (1 − λ)·value + λ·rollout (AlphaGo's mix).
    case mix
}

/// Which terminal node gives the final answer.
public enum FinalAnswerRule: String, Codable, Sendable, CaseIterable {
    /// The committed path, continued by most visits when the search stopped early.
    case path
    /// The terminal node with the highest mean value.
    case bestValue = "best-value"
    /// The answer with most visits summed over terminal nodes.
    case vote
}

/// How the root's child is chosen when a step is committed.
public enum RootSelection: String, Codable, Sendable, CaseIterable {
    /// Most visits (AlphaZero), with optional Dirichlet noise on root priors.
    case visits
    /// Gumbel-top-m sampling plus sequential halving (Danihelka et al. 2022; ReSCALE's fix for
    /// MCTS whose accuracy falls as the budget grows).
    case gumbel
}

/// How a terminal node is scored.
public enum TerminalReward: String, Codable, Sendable, CaseIterable {
    /// The value head on the terminal state (verifier-hidden).
    case value
    /// The checker: 1 or 0, one charged verifier call (verifier-charged mode only).
    case checker
}

/// Every knob of the shared MCTS machinery (step- and token-level alike).
public struct MCTSConfiguration: Sendable, Equatable, Codable {
    /// Simulations per committed action when `fill` is off or the budget is unlimited: the
    /// search's cost is then set by its own shape and a larger budget is not spent (a count
    /// above what the budget can pay for makes it bind; the move it cuts short is not
    /// committed). Under fill with a finite budget the count is derived from the budget
    /// instead (see `fill`).
    public var simulations = 16
    /// Leaves expanded per batched forward (virtual loss keeps them apart).
    public var batch = 1
    /// Children created per expansion.
    public var width = 4
    /// Most children per node; above `width`, a node is widened by `width` more children once
    /// its visits reach the square of its child count (progressive widening, exponent ½).
    public var expansionCap = 4
    /// PUCT exploration c(s) = c_init + log((N(s) + c_base + 1) / c_base): the constant part.
    public var cInit = 1.25
    /// PUCT exploration: the visit scale at which exploration starts to grow (AlphaZero's 19652).
    public var cBase = 19_652.0
    /// Dirichlet root noise concentration α (visits root selection only).
    public var dirichletAlpha = 0.3
    /// Weight of the Dirichlet noise in root priors; 0 turns it off.
    public var dirichletWeight = 0.0
    /// How new nodes are evaluated.
    public var leaf = LeafEvaluation.value
    /// The rollout weight λ for `leaf = mix`.
    public var lambda = 0.5
    /// Pending visits a selected path counts, each at value 0, until its evaluation returns
    /// (3, as AlphaGo's n_vl: one pending visit is often too weak to turn PUCT away from a
    /// leaf that is already claimed by the batch).
    public var virtualLoss = 3
    /// Keep the committed child's subtree (true) or rebuild it from scratch (false).
    public var reuse = true
    /// How the final answer is chosen.
    public var final = FinalAnswerRule.path
    /// How the committed child is chosen.
    public var root = RootSelection.visits
    /// Actions considered by Gumbel sequential halving (m).
    public var gumbelCandidates = 4
    /// How terminal nodes are scored.
    public var terminalReward = TerminalReward.value
    /// Budget-filling (anytime) search: with a finite budget, each move gets about
    /// remaining budget / expected remaining moves of simulations (the last move everything
    /// left; Gumbel's sequential halving is sized from that share and the observed cost per
    /// simulation), and a committed path that ends with more than one completion's worth of
    /// budget left starts a fresh tree from the same prompt (forked, not re-encoded), the
    /// final answer being chosen across all trees by `final`. `simulations` is then ignored.
    /// With an unlimited budget fill has no target and the fixed `simulations` apply.
    public var fill = true
    /// Where leaf and terminal values come from (`value` leaves, `terminal = value`).
    public var valueSource = ValueSource.head

    /// The defaults above.
    public init() {}

    /// The registry parameters shared by `mcts-step` and `mcts-token`.
    static func parameters(width: Int, simulations: Int) -> [ParameterSpec] {
        [
            .int("simulations", 1...1_000_000, default: simulations, "simulations per committed action (ignored under fill with a finite budget)"),
            .int("batch", 1...4096, default: 1, "leaves per batched forward (virtual loss)"),
            .int("width", 1...1024, default: width, "children per expansion"),
            .int("expansion_cap", 0...65_536, default: 0, "most children per node; 0 means width (no widening)"),
            .double("c_init", 0...100, default: 1.25, "PUCT c_init"),
            .double("c_base", 1...1e9, default: 19_652, "PUCT c_base"),
            .double("dirichlet_alpha", 0.001...100, default: 0.3, "Dirichlet α for root noise"),
            .double("dirichlet_weight", 0...1, default: 0, "root noise weight (0: off)"),
            .choice("leaf", LeafEvaluation.allCases.map(\.rawValue), default: "value", "value | rollout | mix"),
            .double("lambda", 0...1, default: 0.5, "rollout weight for leaf = mix"),
            .int("virtual_loss", 0...1024, default: 3, "virtual visits per pending path"),
            .bool("reuse", default: true, "keep the committed child's subtree"),
            .choice("final", FinalAnswerRule.allCases.map(\.rawValue), default: "path", "path | best-value | vote"),
            .choice("root", RootSelection.allCases.map(\.rawValue), default: "visits", "visits | gumbel"),
            .int("gumbel_m", 1...1024, default: 4, "actions considered by sequential halving"),
            .choice("terminal", TerminalReward.allCases.map(\.rawValue), default: "value",
                    "value | checker (verifier-charged only)"),
            .bool("fill", default: true,
                  "with a finite budget, allot simulations per move from the remaining budget and restart fresh trees until it is spent"),
        ] + ValueSource.parameters
    }

    /// Reads the shared parameters.
    static func from(_ p: StrategyParameters) throws -> MCTSConfiguration {
        var c = MCTSConfiguration()
        c.simulations = try p.int("simulations")
        c.batch = try p.int("batch")
        c.width = try p.int("width")
        let cap = try p.int("expansion_cap")
        c.expansionCap = cap == 0 ? c.width : cap
        c.cInit = try p.double("c_init")
        c.cBase = try p.double("c_base")
        c.dirichletAlpha = try p.double("dirichlet_alpha")
        c.dirichletWeight = try p.double("dirichlet_weight")
        c.leaf = try p.choice("leaf", as: LeafEvaluation.self)
        c.lambda = try p.double("lambda")
        c.virtualLoss = try p.int("virtual_loss")
        c.reuse = try p.bool("reuse")
        c.final = try p.choice("final", as: FinalAnswerRule.self)
        c.root = try p.choice("root", as: RootSelection.self)
        c.gumbelCandidates = try p.int("gumbel_m")
        c.terminalReward = try p.choice("terminal", as: TerminalReward.self)
        c.fill = try p.bool("fill")
        c.valueSource = try ValueSource.from(p)
        if c.expansionCap < c.width {
            throw RegistryError.invalidValue(strategy: p.strategy, parameter: "expansion_cap", value: .int(cap),
                                             allowed: "0 or at least width (\(c.width))")
        }
        return c
    }
}
