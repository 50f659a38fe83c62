// libFuzzer target: a Jinja chat template's source into `ChatTemplate(source:)`, then a render of
// a fixed two-turn conversation. Invalid UTF-8 is decoded with replacement characters.
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderModel

private let messages = [
    ChatMessage(role: "system", content: "You are helpful."),
    ChatMessage(role: "user", content: "What is 2 + 2?"),
    ChatMessage(role: "assistant", content: "<think>easy</think>4"),
    ChatMessage(role: "user", content: "And 3 + 3?"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var template: ChatTemplate
    do { template = try ChatTemplate(source: source, name: "fuzz.jinja") } catch { checkNames(error, "fuzz.jinja"); return 0 }
    template.now = { Date(timeIntervalSince1970: 1_700_000_000) }
    _ = try? template.render(messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>",
                             extra: ["date_string": "26 Jul 2024"])
    return 0
}
