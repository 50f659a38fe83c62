/// Expressions, with jinja2's precedence from loosest to tightest:
/// `x if c else y` → `or` → `and` → `not` → comparisons (`==`, `in`, `not in`, chained) →
/// `+ -` → `~` → `* / // %` → `**` → unary `- +` → primary with postfix (`.a`, `[i]`, `[a:b]`,
/// `(…)`) and then filters (`| f`) and tests (`is t`). Note that filters bind tighter than
/// arithmetic (`a + b | trim` trims only `b`) and unary minus tighter than `**` (`-2 ** 2 == 4`).
extension JinjaParser {
    mutating func parseExpression(withCondexpr: Bool = true) throws -> JinjaExpr {
        try nested { parser in withCondexpr ? try parser.parseConditional() : try parser.parseOr() }
    }

    /// Runs a recursive step of the grammar, failing cleanly past `maximumNesting` levels.
    private mutating func nested(_ body: (inout JinjaParser) throws -> JinjaExpr) throws -> JinjaExpr {
        if expressionDepth >= JinjaParser.maximumNesting {
            throw syntaxError("expression is nested more than \(JinjaParser.maximumNesting) levels deep")
        }
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        return try body(&self)
    }

    /// jinja2's `parse_tuple`: one expression, or a tuple when commas separate several.
    mutating func parseTuple(withCondexpr: Bool = true, extraEnd: Set<String> = [], explicitParentheses: Bool = false) throws -> JinjaExpr {
        let location = current.location
        var items: [JinjaExpr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            items.append(try parseExpression(withCondexpr: withCondexpr))
            if isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let only = items.first { return only }
            if !explicitParentheses { throw syntaxError("expected an expression, got \(describe(current.kind))") }
        }
        return JinjaExpr(kind: .tuple(items), location: location)
    }

    private func isTupleEnd(_ extraEnd: Set<String>) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .eof: true
        case .op(")"): true
        case .name(let n): extraEnd.contains(n)
        default: false
        }
    }

    private mutating func parseConditional() throws -> JinjaExpr {
        var expr = try parseOr()
        while isName("if") {
            let location = current.location
            advance()
            let condition = try parseOr()
            var otherwise: JinjaExpr?
            if isName("else") {
                advance()
                otherwise = try parseConditional()
            }
            expr = JinjaExpr(kind: .conditional(then: expr, condition: condition, otherwise: otherwise), location: location)
        }
        return expr
    }

    private mutating func parseOr() throws -> JinjaExpr {
        var left = try parseAnd()
        while isName("or") {
            let location = current.location
            advance()
            left = JinjaExpr(kind: .or(left, try parseAnd()), location: location)
        }
        return left
    }

    private mutating func parseAnd() throws -> JinjaExpr {
        var left = try parseNot()
        while isName("and") {
            let location = current.location
            advance()
            left = JinjaExpr(kind: .and(left, try parseNot()), location: location)
        }
        return left
    }

    private mutating func parseNot() throws -> JinjaExpr {
        guard isName("not") else { return try parseCompare() }
        let location = current.location
        advance()
        return JinjaExpr(kind: .not(try nested { try $0.parseNot() }), location: location)
    }

    private mutating func parseCompare() throws -> JinjaExpr {
        let location = current.location
        let first = try parseMath1()
        var comparisons: [JinjaExpr.Comparison] = []
        while true {
            let op: JinjaExpr.CompareOp
            if case .op(let text) = current.kind, let compare = JinjaExpr.CompareOp(rawValue: text), text != "in" {
                op = compare
                advance()
            } else if isName("in") {
                op = .isIn
                advance()
            } else if isName("not"), peek().kind == .name("in") {
                op = .notIn
                advance(); advance()
            } else {
                break
            }
            comparisons.append(JinjaExpr.Comparison(op: op, operand: try parseMath1()))
        }
        return comparisons.isEmpty ? first : JinjaExpr(kind: .compare(first, comparisons), location: location)
    }

    private mutating func parseBinary(_ ops: [String: JinjaExpr.BinaryOp], next: (inout JinjaParser) throws -> JinjaExpr) throws -> JinjaExpr {
        var left = try next(&self)
        while case .op(let text) = current.kind, let op = ops[text] {
            let location = current.location
            advance()
            left = JinjaExpr(kind: .binary(op, left, try next(&self)), location: location)
        }
        return left
    }

    private mutating func parseMath1() throws -> JinjaExpr {
        try parseBinary(["+": .add, "-": .subtract]) { try $0.parseConcat() }
    }

    private mutating func parseConcat() throws -> JinjaExpr {
        let location = current.location
        var parts = [try parseMath2()]
        while isOp("~") {
            advance()
            parts.append(try parseMath2())
        }
        return parts.count == 1 ? parts[0] : JinjaExpr(kind: .concat(parts), location: location)
    }

    private mutating func parseMath2() throws -> JinjaExpr {
        try parseBinary(["*": .multiply, "/": .divide, "//": .floorDivide, "%": .modulo]) { try $0.parsePow() }
    }

    private mutating func parsePow() throws -> JinjaExpr {
        try parseBinary(["**": .power]) { try $0.parseUnary() }
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> JinjaExpr {
        let location = current.location
        var node: JinjaExpr
        if isOp("-") {
            advance()
            node = JinjaExpr(kind: .negate(try nested { try $0.parseUnary(withFilter: false) }), location: location)
        } else if isOp("+") {
            advance()
            node = JinjaExpr(kind: .plus(try nested { try $0.parseUnary(withFilter: false) }), location: location)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        return withFilter ? try parseFilterExpr(node) : node
    }

    private mutating func parsePrimary() throws -> JinjaExpr {
        let token = current
        let location = token.location
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return JinjaExpr(kind: .bool(true), location: location)
            case "false", "False": return JinjaExpr(kind: .bool(false), location: location)
            case "none", "None": return JinjaExpr(kind: .none, location: location)
            default: return JinjaExpr(kind: .name(name), location: location)
            }
        case .string(var text):
            advance()
            while case .string(let more) = current.kind { text += more; advance() }  // 'a' 'b' == 'ab'
            return JinjaExpr(kind: .string(text), location: location)
        case .integer(let value):
            advance()
            return JinjaExpr(kind: .integer(value), location: location)
        case .float(let value):
            advance()
            return JinjaExpr(kind: .float(value), location: location)
        case .op("("):
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return inner
        case .op("["):
            advance()
            var items: [JinjaExpr] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return JinjaExpr(kind: .list(items), location: location)
        case .op("{"):
            advance()
            var items: [JinjaExpr.DictItem] = []
            while !isOp("}") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                items.append(JinjaExpr.DictItem(key: key, value: try parseExpression()))
            }
            try expectOp("}")
            return JinjaExpr(kind: .dict(items), location: location)
        default:
            throw syntaxError("unexpected \(describe(token.kind)) where an expression was expected")
        }
    }

    private mutating func parsePostfix(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            let location = current.location
            if isOp(".") {
                advance()
                switch current.kind {
                case .name(let name):
                    advance()
                    node = JinjaExpr(kind: .attribute(node, name), location: location)
                case .integer(let i):  // `items.0` is `items[0]`
                    advance()
                    node = JinjaExpr(kind: .item(node, JinjaExpr(kind: .integer(i), location: location)), location: location)
                default:
                    throw syntaxError("expected an attribute name after '.', got \(describe(current.kind))")
                }
            } else if isOp("[") {
                advance()
                node = try parseSubscript(node, location)
            } else if isOp("(") {
                node = JinjaExpr(kind: .call(node, try parseArguments()), location: node.location)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ object: JinjaExpr, _ location: TemplateSourceLocation) throws -> JinjaExpr {
        var start: JinjaExpr?
        if !isOp(":") {
            let index = try parseExpression()
            if !isOp(":") {
                try expectOp("]")
                return JinjaExpr(kind: .item(object, index), location: location)
            }
            start = index
        }
        advance()  // ':'
        let stop = isOp("]") || isOp(":") ? nil : try parseExpression()
        var step: JinjaExpr?
        if isOp(":") {
            advance()
            step = isOp("]") ? nil : try parseExpression()
        }
        try expectOp("]")
        return JinjaExpr(kind: .slice(object, start: start, stop: stop, step: step), location: location)
    }

    /// `( a, b, key=value )`.
    private mutating func parseArguments() throws -> [JinjaExpr.Argument] {
        try expectOp("(")
        var args: [JinjaExpr.Argument] = []
        while !isOp(")") {
            if !args.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            if isOp("*") || isOp("**") {
                throw ChatTemplateError.unsupported(template: template, location: current.location, message: "*args and **kwargs in calls are not supported")
            }
            if case .name(let name) = current.kind, peek().kind == .op("=") {
                advance(); advance()
                args.append(JinjaExpr.Argument(name: name, value: try parseExpression()))
            } else {
                if args.contains(where: { $0.name != nil }) { throw syntaxError("positional argument after a keyword argument") }
                args.append(JinjaExpr.Argument(name: nil, value: try parseExpression()))
            }
        }
        try expectOp(")")
        return args
    }

    private mutating func parseDottedName() throws -> String {
        var name = try expectName()
        while isOp(".") {
            advance()
            name += "." + (try expectName())
        }
        return name
    }

    private mutating func parseFilterExpr(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            let location = current.location
            if isOp("|") {
                advance()
                let nameLocation = current.location
                let name = try parseDottedName()
                guard JinjaFilters.supported.contains(name) else {
                    throw ChatTemplateError.unsupported(template: template, location: nameLocation,
                                                        message: "unknown filter '\(name)' (supported: \(JinjaFilters.supported.sorted().joined(separator: ", ")))")
                }
                let args = isOp("(") ? try parseArguments() : []
                node = JinjaExpr(kind: .filter(node, name: name, args), location: nameLocation)
            } else if isName("is") {
                advance()
                let negated = isName("not")
                if negated { advance() }
                let nameLocation = current.location
                let name = try parseDottedName()
                guard JinjaTests.supported.contains(name) else {
                    throw ChatTemplateError.unsupported(template: template, location: nameLocation,
                                                        message: "unknown test '\(name)' (supported: \(JinjaTests.supported.sorted().joined(separator: ", ")))")
                }
                var args: [JinjaExpr.Argument] = []
                if isOp("(") {
                    args = try parseArguments()
                } else if startsBareTestArgument {
                    if isName("is") { throw syntaxError("tests cannot be chained with 'is'") }
                    args = [JinjaExpr.Argument(name: nil, value: try parsePostfix(try parsePrimary()))]
                }
                node = JinjaExpr(kind: .test(node, name: name, args, negated: negated), location: location)
            } else if isOp("(") {
                node = JinjaExpr(kind: .call(node, try parseArguments()), location: node.location)
            } else {
                return node
            }
        }
    }

    /// `x is divisibleby 3`: a test may take one argument without parentheses.
    private var startsBareTestArgument: Bool {
        switch current.kind {
        case .name(let n): !["else", "or", "and"].contains(n)
        case .string, .integer, .float, .op("("), .op("["), .op("{"): true
        default: false
        }
    }
}
