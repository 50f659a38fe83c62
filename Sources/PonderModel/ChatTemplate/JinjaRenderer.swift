import Foundation

/// One level of variable bindings. jinja2 gives each `for` iteration its own scope (so a
/// `set` inside a loop does not leak out of it) while `if` shares its enclosing scope; the
/// `namespace()` object is how templates carry state out of loops.
final class JinjaScope {
    var variables: [String: JinjaValue]
    let parent: JinjaScope?

    init(_ variables: [String: JinjaValue] = [:], parent: JinjaScope?) {
        self.variables = variables
        self.parent = parent
    }

    func lookup(_ name: String) -> JinjaValue? {
        var scope: JinjaScope? = self
        while let s = scope {
            if let v = s.variables[name] { return v }
            scope = s.parent
        }
        return nil
    }
}

/// Executes a parsed template. One renderer per render call: it owns the scope chain, so
/// renders never share mutable state and a `ChatTemplate` can be used from many tasks.
final class JinjaRenderer {
    let template: String
    var scope: JinjaScope

    init(template: String, variables: [String: JinjaValue], now: Date, timeZone: TimeZone) {
        self.template = template
        let globals = JinjaScope(JinjaGlobals.make(now: now, timeZone: timeZone), parent: nil)
        scope = JinjaScope(variables, parent: globals)
    }

    func render(_ nodes: [JinjaNode]) throws -> String {
        var out = ""
        _ = try execute(nodes, into: &out)
        return out
    }

    enum Flow { case normal, breakLoop, continueLoop }

    func execute(_ nodes: [JinjaNode], into out: inout String) throws -> Flow {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .output(let expr):
                out += try evaluate(expr).pythonString
            case .conditional(let branches, let otherwise):
                var taken: [JinjaNode] = otherwise
                for branch in branches where try evaluate(branch.condition).isTruthy {
                    taken = branch.body
                    break
                }
                let flow = try execute(taken, into: &out)
                if flow != .normal { return flow }
            case .forLoop(let loop):
                try executeFor(loop, into: &out)
            case .set(let target, let expr, let location):
                try assign(target, try evaluate(expr), at: location)
            case .setBlock(let name, let body):
                var captured = ""
                _ = try execute(body, into: &captured)
                scope.variables[name] = .string(captured)
            case .loopBreak:
                return .breakLoop
            case .loopContinue:
                return .continueLoop
            case .generation(let body):
                let flow = try execute(body, into: &out)
                if flow != .normal { return flow }
            }
        }
        return .normal
    }

    private func executeFor(_ loop: JinjaForLoop, into out: inout String) throws {
        let outer = scope
        defer { scope = outer }
        var items = try located(loop.iterable.location) { try JinjaOperators.iterate(try evaluate(loop.iterable)) }
        if let condition = loop.condition {
            items = try items.filter { item in
                scope = JinjaScope(parent: outer)
                try bind(loop.targets, to: item, at: loop.location)
                return try evaluate(condition).isTruthy
            }
        }
        if items.isEmpty {
            scope = outer
            _ = try execute(loop.otherwise, into: &out)
            return
        }
        for (i, item) in items.enumerated() {
            scope = JinjaScope(parent: outer)
            try bind(loop.targets, to: item, at: loop.location)
            scope.variables["loop"] = loopObject(index: i, items: items)
            if try execute(loop.body, into: &out) == .breakLoop { break }
        }
    }

    /// jinja2's `loop` variable.
    private func loopObject(index i: Int, items: [JinjaValue]) -> JinjaValue {
        let n = items.count
        var loop = JinjaDict()
        loop["index0"] = .int(i)
        loop["index"] = .int(i + 1)
        loop["revindex0"] = .int(n - i - 1)
        loop["revindex"] = .int(n - i)
        loop["first"] = .bool(i == 0)
        loop["last"] = .bool(i == n - 1)
        loop["length"] = .int(n)
        loop["depth"] = .int(1)
        loop["depth0"] = .int(0)
        if i > 0 { loop["previtem"] = items[i - 1] }
        if i + 1 < n { loop["nextitem"] = items[i + 1] }
        loop["cycle"] = .callable(JinjaCallable("loop.cycle") { args in
            guard !args.positional.isEmpty else { throw JinjaFailure.render("no items for cycling given") }
            return args.positional[i % args.positional.count]
        })
        return .dict(loop)
    }

    private func bind(_ targets: [String], to item: JinjaValue, at location: TemplateSourceLocation) throws {
        if targets.count == 1 {
            scope.variables[targets[0]] = item
            return
        }
        let parts: [JinjaValue]
        if let items = item.sequenceItems {
            parts = items
        } else if case .string(let s) = item {
            parts = s.unicodeScalars.map { .string(String($0)) }
        } else {
            throw ChatTemplateError.render(template: template, location: location, message: "cannot unpack non-sequence \(item.typeName)")
        }
        guard parts.count == targets.count else {
            let problem = parts.count < targets.count ? "not enough" : "too many"
            throw ChatTemplateError.render(template: template, location: location,
                                           message: "\(problem) values to unpack (expected \(targets.count), got \(parts.count))")
        }
        for (name, value) in zip(targets, parts) { scope.variables[name] = value }
    }

    private func assign(_ target: JinjaAssignTarget, _ value: JinjaValue, at location: TemplateSourceLocation) throws {
        switch target {
        case .name(let name):
            scope.variables[name] = value
        case .names(let names):
            try bind(names, to: value, at: location)
        case .attribute(let object, let attribute):
            guard case .namespace(let ns)? = scope.lookup(object) else {
                throw ChatTemplateError.render(template: template, location: location,
                                               message: "cannot assign attribute '\(attribute)' on '\(object)', which is not a namespace() object")
            }
            if attribute.hasPrefix("_") {
                throw ChatTemplateError.render(template: template, location: location,
                                               message: "chat templates cannot store underscore-prefixed attributes on a namespace, but got '\(attribute)'")
            }
            ns.attributes[attribute] = value
            try located(location) { try checkNesting(.namespace(ns)) }
        }
    }

    /// Runs `body`, giving any position-less failure the location `location`.
    func located<T>(_ location: TemplateSourceLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as JinjaFailure {
            throw failure.located(template: template, at: location)
        }
    }
}
