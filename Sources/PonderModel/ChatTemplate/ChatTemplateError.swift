import Foundation

/// A position in a template's source: 1-based line and column, columns counted in Unicode
/// scalars (the way an editor showing the template counts characters).
public struct TemplateSourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// Everything that can go wrong while loading, parsing or rendering a chat template.
///
/// All cases are recoverable: a template from a checkpoint is untrusted input, so nothing in
/// the interpreter traps. Each message names the template and the position, and says how to fix it.
public enum ChatTemplateError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The source is not valid Jinja: an unclosed tag, a malformed expression, a stray end tag.
    case syntax(template: String, location: TemplateSourceLocation, message: String)
    /// Valid Jinja that Ponder's interpreter does not implement (a filter, test, tag, or method).
    case unsupported(template: String, location: TemplateSourceLocation, message: String)
    /// Rendering failed: a type error, an undefined value used as a value, a bad argument.
    case render(template: String, location: TemplateSourceLocation, message: String)
    /// The template itself called `raise_exception(message)`, usually to reject a conversation
    /// it cannot format (for example a role it does not know).
    case raised(template: String, location: TemplateSourceLocation, message: String)
    /// `tokenizer_config.json` or `chat_template.jinja` could not be read or has the wrong shape.
    case config(file: String, message: String)

    /// The template's name, when the error comes from a template.
    public var templateName: String? {
        switch self {
        case .syntax(let t, _, _), .unsupported(let t, _, _), .render(let t, _, _), .raised(let t, _, _): t
        case .config: nil
        }
    }

    /// Where in the template the error happened, when it comes from a template.
    public var location: TemplateSourceLocation? {
        switch self {
        case .syntax(_, let l, _), .unsupported(_, let l, _), .render(_, let l, _), .raised(_, let l, _): l
        case .config: nil
        }
    }

    public var description: String {
        switch self {
        case .syntax(let t, let l, let m):
            "\(t):\(l): syntax error: \(m). Fix the template text at this position."
        case .unsupported(let t, let l, let m):
            "\(t):\(l): \(m). Ponder's Jinja subset does not implement this; rewrite the template "
                + "without it or extend Sources/PonderModel/ChatTemplate."
        case .render(let t, let l, let m):
            "\(t):\(l): render error: \(m). Check the messages and variables passed to the template."
        case .raised(let t, let l, let m):
            "\(t):\(l): the template rejected the input: \(m)"
        case .config(let f, let m):
            "\(f): \(m)"
        }
    }

    public var errorDescription: String? { description }
}

/// An error raised below the evaluator, before the failing expression's position is known.
/// The evaluator turns it into a `ChatTemplateError` carrying the template name and position.
struct JinjaFailure: Error {
    enum Kind { case render, raised, unsupported }
    var kind: Kind
    var message: String

    static func render(_ message: String) -> JinjaFailure { JinjaFailure(kind: .render, message: message) }
    static func unsupported(_ message: String) -> JinjaFailure { JinjaFailure(kind: .unsupported, message: message) }

    func located(template: String, at location: TemplateSourceLocation) -> ChatTemplateError {
        switch kind {
        case .render: .render(template: template, location: location, message: message)
        case .raised: .raised(template: template, location: location, message: message)
        case .unsupported: .unsupported(template: template, location: location, message: message)
        }
    }
}
