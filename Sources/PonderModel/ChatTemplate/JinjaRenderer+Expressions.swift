/// Expression evaluation. Every failure leaves here as a `ChatTemplateError` carrying the
/// position of the innermost expression that failed.
extension JinjaRenderer {
    func evaluate(_ expr: JinjaExpr) throws -> JinjaValue {
        try located(expr.location) {
            let value = try evaluateKind(expr)
            switch expr.kind {
            case .list, .tuple, .dict, .call:  // the expressions that build containers
                try checkNesting(value)
            default:
                break
            }
            return value
        }
    }

    func checkNesting(_ value: JinjaValue) throws {
        if value.nestingDepth() > JinjaValue.maximumNesting {
            throw JinjaFailure.render("value nests containers more than \(JinjaValue.maximumNesting) deep")
        }
    }

    private func evaluateKind(_ expr: JinjaExpr) throws -> JinjaValue {
        switch expr.kind {
        case .string(let s): return .string(s)
        case .integer(let i): return .int(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .name(let name): return scope.lookup(name) ?? .undefinedName(name)
        case .list(let items): return .list(try items.map(evaluate))
        case .tuple(let items): return .tuple(try items.map(evaluate))
        case .dict(let items):
            var dict = JinjaDict()
            for item in items {
                guard case .string(let key) = try evaluate(item.key) else {
                    throw ChatTemplateError.unsupported(template: template, location: item.key.location,
                                                        message: "dict literal keys must be strings here")
                }
                dict[key] = try evaluate(item.value)
            }
            return .dict(dict)
        case .attribute(let object, let name):
            return try JinjaOperators.attribute(try evaluate(object), name)
        case .item(let object, let key):
            return try JinjaOperators.item(try evaluate(object), try evaluate(key))
        case .slice(let object, let start, let stop, let step):
            return try JinjaOperators.slice(try evaluate(object), start: try start.map(evaluate),
                                            stop: try stop.map(evaluate), step: try step.map(evaluate))
        case .call(let callee, let args):
            let function = try evaluate(callee)
            let arguments = try evaluateArguments(args)
            switch function {
            case .callable(let c): return try c.body(arguments)
            case .undefined(let hint): throw JinjaFailure.render(hint)
            default: throw JinjaFailure.render("'\(function.typeName)' object is not callable")
            }
        case .filter(let value, let name, let args):
            return try JinjaFilters.apply(name, try evaluate(value), try evaluateArguments(args))
        case .test(let value, let name, let args, let negated):
            let arguments = try evaluateArguments(args)
            guard arguments.keyword.isEmpty else { throw JinjaFailure.render("tests take no keyword arguments") }
            let result = try JinjaTests.apply(name, try evaluate(value), arguments.positional)
            return .bool(result != negated)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .negate(let operand):
            return try JinjaOperators.negate(try evaluate(operand), sign: -1)
        case .plus(let operand):
            return try JinjaOperators.negate(try evaluate(operand), sign: 1)
        case .binary(let op, let left, let right):
            return try JinjaOperators.binary(op, try evaluate(left), try evaluate(right))
        case .concat(let parts):
            return .string(try parts.map { try evaluate($0).pythonString }.joined())
        case .and(let left, let right):
            let l = try evaluate(left)
            return l.isTruthy ? try evaluate(right) : l
        case .or(let left, let right):
            let l = try evaluate(left)
            return l.isTruthy ? l : try evaluate(right)
        case .compare(let first, let comparisons):
            var left = try evaluate(first)
            for comparison in comparisons {
                let right = try evaluate(comparison.operand)
                let holds = try located(comparison.operand.location) { try JinjaOperators.compare(comparison.op, left, right) }
                if !holds { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let then, let condition, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            return try otherwise.map(evaluate) ?? .undefined(hint: "the inline if-expression is false and has no else branch")
        }
    }

    private func evaluateArguments(_ args: [JinjaExpr.Argument]) throws -> JinjaArguments {
        var arguments = JinjaArguments()
        for arg in args {
            let value = try evaluate(arg.value)
            if let name = arg.name { arguments.keyword.append((name, value)) } else { arguments.positional.append(value) }
        }
        return arguments
    }
}
