import ArgumentParser
import Foundation

/// Token ids given on the command line as a comma-separated list (`1, 2,3`), for
/// `generate --prompt-tokens` and `detokenize --ids`.
enum TokenIDList {
    /// The ids in `text`; a field that is not a non-negative integer is a usage error naming
    /// `option` and the field.
    /// - Parameter allowsEmpty: whether an empty list is a valid answer (`detokenize` prints
    ///   nothing) or a usage error (`generate` needs a prompt).
    static func parse(_ text: String, option: String, allowsEmpty: Bool) throws -> [Int] {
        let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if fields == [""] {
            guard allowsEmpty else {
                throw ValidationError("\(option) is empty; give comma-separated token ids like 1,2,3")
            }
            return []
        }
        return try fields.map { field in
            guard let id = Int(field), id >= 0 else {
                throw ValidationError("\(option): \"\(field)\" is not a token id; "
                                      + "give comma-separated non-negative integers like 1,2,3")
            }
            return id
        }
    }
}
