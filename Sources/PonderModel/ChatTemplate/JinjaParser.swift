/// Recursive-descent parser for the statement layer of Jinja (`{% if %}`, `{% for %}`,
/// `{% set %}`, ...). Expressions are in `JinjaExpressionParser.swift`. The grammar and operator
/// precedence follow jinja2's `parser.py`, so a template parses here exactly when (and as) it
/// parses there, except for the features listed in `unsupportedTags`, which are refused by name.
struct JinjaParser {
    let template: String
    var tokens: [JinjaToken]
    var index = 0
    var loopDepth = 0
    /// Expression nesting, bounded so that a hostile template cannot overflow the stack.
    var expressionDepth = 0
    static let maximumNesting = 200
    /// Open blocks, for "the `{% if %}` opened at 3:5 needs `{% endif %}`" messages.
    var openBlocks: [(name: String, location: TemplateSourceLocation)] = []

    static let unsupportedTags: Set<String> = [
        "macro", "call", "filter", "with", "block", "extends", "include", "import", "from", "autoescape", "do",
    ]
    static let endTags: Set<String> = [
        "elif", "else", "endif", "endfor", "endset", "endgeneration", "endmacro", "endcall", "endfilter", "endwith",
        "endblock", "endautoescape", "endraw",
    ]

    /// Parses a whole template.
    static func parse(source: String, templateName: String) throws -> [JinjaNode] {
        let tokens = try JinjaLexer(source: source, templateName: templateName).tokenize()
        var parser = JinjaParser(template: templateName, tokens: tokens)
        return try parser.parseBody(until: []).nodes
    }

    // MARK: Token helpers

    var current: JinjaToken { tokens[index] }

    @discardableResult
    mutating func advance() -> JinjaToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func peek(_ offset: Int = 1) -> JinjaToken { tokens[min(index + offset, tokens.count - 1)] }

    func isName(_ name: String) -> Bool { current.kind == .name(name) }
    func isOp(_ op: String) -> Bool { current.kind == .op(op) }

    func syntaxError(_ message: String, at location: TemplateSourceLocation? = nil) -> ChatTemplateError {
        .syntax(template: template, location: location ?? current.location, message: message)
    }

    func describe(_ kind: JinjaTokenKind) -> String {
        switch kind {
        case .text: "text"
        case .variableBegin: "'{{'"
        case .variableEnd: "end of print statement"
        case .blockBegin: "'{%'"
        case .blockEnd: "end of statement block"
        case .name(let n): "'\(n)'"
        case .string: "string literal"
        case .integer(let i): "integer \(i)"
        case .float(let d): "float \(d)"
        case .op(let o): "'\(o)'"
        case .eof: "end of template"
        }
    }

    mutating func expectOp(_ op: String) throws {
        guard isOp(op) else { throw syntaxError("expected '\(op)', got \(describe(current.kind))") }
        advance()
    }

    mutating func expectName() throws -> String {
        guard case .name(let name) = current.kind else { throw syntaxError("expected a name, got \(describe(current.kind))") }
        advance()
        return name
    }

    mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else { throw syntaxError("expected end of statement block ('%}'), got \(describe(current.kind))") }
        advance()
    }

    // MARK: Statements

    /// Parses nodes until a block tag named in `endNames`; consumes `{%` and that name and
    /// returns it (the caller parses the rest of that tag).
    mutating func parseBody(until endNames: Set<String>) throws -> (nodes: [JinjaNode], end: String) {
        var nodes: [JinjaNode] = []
        while true {
            let token = current
            switch token.kind {
            case .text(let text):
                advance()
                nodes.append(.text(text))
            case .variableBegin:
                advance()
                let expr = try parseTuple()
                guard current.kind == .variableEnd else { throw syntaxError("expected end of print statement ('}}'), got \(describe(current.kind))") }
                advance()
                nodes.append(.output(expr))
            case .blockBegin:
                advance()
                guard case .name(let name) = current.kind else { throw syntaxError("expected a tag name after '{%', got \(describe(current.kind))") }
                if endNames.contains(name) {
                    advance()
                    return (nodes, name)
                }
                try nodes.append(parseStatement(name, tagLocation: token.location))
            case .eof:
                if endNames.isEmpty { return (nodes, "") }
                let open = openBlocks.last
                let wanted = endNames.sorted().map { "'{% \($0) %}'" }.joined(separator: " or ")
                throw syntaxError("unexpected end of template: the '{% \(open?.name ?? "") %}' block opened at \(open.map { "\($0.location)" } ?? "?") "
                                  + "needs \(wanted)", at: open?.location)
            default:
                throw syntaxError("unexpected \(describe(token.kind))")
            }
        }
    }

    private mutating func parseStatement(_ name: String, tagLocation: TemplateSourceLocation) throws -> JinjaNode {
        let nameLocation = current.location
        advance()
        if openBlocks.count >= JinjaParser.maximumNesting {
            throw syntaxError("blocks are nested more than \(JinjaParser.maximumNesting) deep", at: tagLocation)
        }
        openBlocks.append((name, tagLocation))
        defer { openBlocks.removeLast() }
        switch name {
        case "if": return try parseIf()
        case "for": return try parseFor(tagLocation)
        case "set": return try parseSet(tagLocation)
        case "break", "continue":
            guard loopDepth > 0 else { throw syntaxError("'{% \(name) %}' outside of a for loop", at: nameLocation) }
            try expectBlockEnd()
            return name == "break" ? .loopBreak : .loopContinue
        case "generation":
            try expectBlockEnd()
            let body = try parseBody(until: ["endgeneration"]).nodes
            try expectBlockEnd()
            return .generation(body)
        default:
            if JinjaParser.unsupportedTags.contains(name) {
                throw ChatTemplateError.unsupported(template: template, location: nameLocation, message: "the '{% \(name) %}' tag is not supported")
            }
            if JinjaParser.endTags.contains(name) {
                let expected = openBlocks.dropLast().last.map { " (the innermost open block is '{% \($0.name) %}' at \($0.location))" } ?? ""
                throw syntaxError("unexpected '{% \(name) %}': no open block ends here\(expected)", at: nameLocation)
            }
            throw syntaxError("unknown tag '\(name)'", at: nameLocation)
        }
    }

    private mutating func parseIf() throws -> JinjaNode {
        var branches: [JinjaIfBranch] = []
        var condition = try parseTuple(withCondexpr: false)
        while true {
            try expectBlockEnd()
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append(JinjaIfBranch(condition: condition, body: body))
            switch end {
            case "elif":
                condition = try parseTuple(withCondexpr: false)
            case "else":
                try expectBlockEnd()
                let otherwise = try parseBody(until: ["endif"]).nodes
                try expectBlockEnd()
                return .conditional(branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .conditional(branches, otherwise: [])
            }
        }
    }

    private mutating func parseFor(_ location: TemplateSourceLocation) throws -> JinjaNode {
        let targets = try parseTargetNames()
        guard isName("in") else { throw syntaxError("expected 'in' in the for loop, got \(describe(current.kind))") }
        advance()
        let iterable = try parseTuple(withCondexpr: false, extraEnd: ["recursive"])
        var condition: JinjaExpr?
        if isName("if") {
            advance()
            condition = try parseExpression()
        }
        if isName("recursive") {
            throw ChatTemplateError.unsupported(template: template, location: current.location, message: "recursive for loops are not supported")
        }
        try expectBlockEnd()
        loopDepth += 1
        let (body, end) = try parseBody(until: ["else", "endfor"])
        loopDepth -= 1
        try expectBlockEnd()
        var otherwise: [JinjaNode] = []
        if end == "else" {
            otherwise = try parseBody(until: ["endfor"]).nodes
            try expectBlockEnd()
        }
        return .forLoop(JinjaForLoop(targets: targets, iterable: iterable, condition: condition, body: body,
                                     otherwise: otherwise, location: location))
    }

    /// `name`, `a, b` or `(a, b)`.
    private mutating func parseTargetNames() throws -> [String] {
        let parenthesized = isOp("(")
        if parenthesized { advance() }
        var names = [try expectName()]
        while isOp(",") {
            advance()
            if case .name = current.kind { names.append(try expectName()) } else { break }
        }
        if parenthesized { try expectOp(")") }
        return names
    }

    private mutating func parseSet(_ location: TemplateSourceLocation) throws -> JinjaNode {
        let target: JinjaAssignTarget
        if case .name(let object) = current.kind, peek().kind == .op(".") {
            advance(); advance()
            target = .attribute(object: object, attribute: try expectName())
        } else {
            let names = try parseTargetNames()
            target = names.count == 1 ? .name(names[0]) : .names(names)
        }
        if isOp("=") {
            advance()
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(target, value, location)
        }
        guard case .name(let name) = target else { throw syntaxError("a '{% set %}' block can only assign to a single name") }
        if isOp("|") {
            throw ChatTemplateError.unsupported(template: template, location: current.location, message: "filters on '{% set %}' blocks are not supported")
        }
        try expectBlockEnd()
        let body = try parseBody(until: ["endset"]).nodes
        try expectBlockEnd()
        return .setBlock(name, body)
    }
}
