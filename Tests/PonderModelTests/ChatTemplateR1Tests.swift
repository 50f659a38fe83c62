import Foundation
import XCTest
@testable import PonderModel

/// The prompt facts Ponder's search layer relies on (engine-facts A5), checked on the exact
/// templates, plus family detection and the built-in R1-Zero prompt.
final class ChatTemplateR1Tests: XCTestCase {
    private let bos = ChatTemplateFixtures.r1BOS
    private let eos = ChatTemplateFixtures.r1EOS
    private let user = "<\u{FF5C}User\u{FF5C}>"
    private let assistant = "<\u{FF5C}Assistant\u{FF5C}>"

    private func occurrences(of needle: String, in text: String) -> Int {
        PythonText.count(text, needle)
    }

    func testFamilyDetection() throws {
        let expected: [String: ChatTemplateFamily] = [
            "deepseek-r1-distill.jinja": .r1Distill,
            "llamacpp-deepseek-r1-distill-llama-8b.jinja": .r1Distill,
            "qwen2.5-instruct.jinja": .chatML,
            "qwen2-instruct.jinja": .chatML,
            "llama-3.1-instruct.jinja": .llama3,
            "llama-3-instruct.jinja": .llama3,
            "r1-zero.jinja": .r1Zero,
        ]
        for (file, family) in expected {
            XCTAssertEqual(try ChatTemplateFixtures.template(file).family, family, file)
        }
        XCTAssertEqual(ChatTemplate.r1Zero.family, .r1Zero)
        XCTAssertEqual(try ChatTemplate(source: "{{ messages[0]['content'] }}").family, .other)
        // ASCII bars are a different token: only U+FF5C marks the R1 format.
        XCTAssertEqual(try ChatTemplate(source: "{{ '<|User|>' }}").family, .other)
    }

    func testR1DistillPromptHasOneBOSAndEndsInsideTheThinkBlock() throws {
        for file in ["deepseek-r1-distill.jinja", "llamacpp-deepseek-r1-distill-llama-8b.jinja"] {
            let template = try ChatTemplateFixtures.template(file)
            let single = try template.render(messages: [ChatMessage(role: "user", content: "What is 2+2?")],
                                             addGenerationPrompt: true, bosToken: bos, eosToken: eos)
            XCTAssertEqual(Array(single.unicodeScalars), Array((bos + user + "What is 2+2?" + assistant + "<think>\n").unicodeScalars), file)

            let withSystem = try template.render(
                messages: [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi")],
                addGenerationPrompt: true, bosToken: bos, eosToken: eos)
            XCTAssertTrue(PythonText.hasPrefix(withSystem, bos + "Be brief." + user), file)
            XCTAssertEqual(occurrences(of: bos, in: withSystem), 1, "exactly one BOS (\(file))")
            XCTAssertTrue(PythonText.hasSuffix(withSystem, assistant + "<think>\n"), file)

            let noGeneration = try template.render(messages: [ChatMessage(role: "user", content: "Hi")],
                                                   addGenerationPrompt: false, bosToken: bos, eosToken: eos)
            XCTAssertEqual(Array(noGeneration.unicodeScalars), Array((bos + user + "Hi").unicodeScalars), file)
        }
    }

    func testR1DistillStripsReasoningFromEarlierAssistantTurns() throws {
        let template = try ChatTemplateFixtures.template("deepseek-r1-distill.jinja")
        let messages = [
            ChatMessage(role: "user", content: "What is 7 * 8?"),
            ChatMessage(role: "assistant", content: "<think>\nsecret scratch work\n</think>\n\n56"),
            ChatMessage(role: "user", content: "And 7 * 9?"),
            ChatMessage(role: "assistant", content: "no reasoning here"),
            ChatMessage(role: "user", content: "Thanks"),
        ]
        let prompt = try template.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
        XCTAssertFalse(PythonText.contains(prompt, "secret scratch work"))
        XCTAssertFalse(PythonText.contains(prompt, "</think>"))
        XCTAssertTrue(PythonText.contains(prompt, assistant + "\n\n56" + eos + user + "And 7 * 9?"))
        XCTAssertTrue(PythonText.contains(prompt, assistant + "no reasoning here" + eos))
        XCTAssertEqual(occurrences(of: bos, in: prompt), 1)
        // Several </think> markers: only the text after the last one survives (`split(...)[-1]`).
        let twice = try template.render(messages: [ChatMessage(role: "user", content: "q"),
                                                   ChatMessage(role: "assistant", content: "a</think>b</think>c")],
                                        addGenerationPrompt: false, bosToken: bos, eosToken: eos)
        XCTAssertTrue(PythonText.hasSuffix(twice, assistant + "c" + eos))
    }

    /// llama.cpp's re-indented copy must render like the Hugging Face original on every
    /// conversation without tool calls: a strong check of whitespace control.
    func testLlamaCppReformattedR1TemplateRendersLikeTheOriginal() throws {
        let original = try ChatTemplateFixtures.template("deepseek-r1-distill.jinja")
        let reformatted = try ChatTemplateFixtures.template("llamacpp-deepseek-r1-distill-llama-8b.jinja")
        let conversations: [[ChatMessage]] = [
            [ChatMessage(role: "user", content: " spaced \n")],
            [ChatMessage(role: "system", content: "S"), ChatMessage(role: "user", content: "U"),
             ChatMessage(role: "assistant", content: "<think>x</think>A"), ChatMessage(role: "user", content: "U2")],
        ]
        for messages in conversations {
            for generation in [true, false] {
                let a = try original.render(messages: messages, addGenerationPrompt: generation, bosToken: bos, eosToken: eos)
                let b = try reformatted.render(messages: messages, addGenerationPrompt: generation, bosToken: bos, eosToken: eos)
                XCTAssertTrue(a.unicodeScalars.elementsEqual(b.unicodeScalars), ChatTemplateFixtures.firstDifference(b, a))
            }
        }
    }

    func testR1ZeroIsThePaperPrompt() throws {
        XCTAssertEqual(Array(ChatTemplate.r1Zero.source.unicodeScalars), Array(try ChatTemplateFixtures.source("r1-zero.jinja").unicodeScalars),
                       "the fixture the goldens were rendered from must be the built-in source")
        let prompt = try ChatTemplate.r1Zero.render(messages: [ChatMessage(role: "user", content: "What is 2+2?")], addGenerationPrompt: true)
        let table1 = "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. "
            + "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. "
            + "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, "
            + "i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: What is 2+2?. Assistant:"
        XCTAssertEqual(prompt, table1)
        let withBOS = try ChatTemplate.r1Zero.render(messages: [ChatMessage(role: "user", content: "What is 2+2?")],
                                                     addGenerationPrompt: true, bosToken: bos)
        XCTAssertEqual(withBOS, bos + table1)
    }

    func testR1ZeroRejectsASystemTurnWithATypedError() {
        let messages = [ChatMessage(role: "system", content: "s"), ChatMessage(role: "user", content: "q")]
        XCTAssertThrowsError(try ChatTemplate.r1Zero.render(messages: messages, addGenerationPrompt: true)) { error in
            guard case .raised(let template, let location, let message)? = error as? ChatTemplateError else {
                return XCTFail("expected .raised, got \(error)")
            }
            XCTAssertEqual(template, "r1-zero")
            XCTAssertEqual(message, "The R1-Zero prompt has only user and assistant turns, but message 1 has role system.")
            XCTAssertEqual(location.line, 1)
        }
    }

    func testLlama31DateDefaultAndOverride() throws {
        let template = try ChatTemplateFixtures.template("llama-3.1-instruct.jinja")
        let messages = [ChatMessage(role: "user", content: "Hi")]
        let byDefault = try template.render(messages: messages, addGenerationPrompt: true, bosToken: "<|begin_of_text|>")
        XCTAssertEqual(byDefault, "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n"
                       + "Today Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                       + "<|start_header_id|>assistant<|end_header_id|>\n\n")
        let dated = try template.render(messages: messages, addGenerationPrompt: true, extra: ["date_string": "04 Mar 2025"])
        XCTAssertTrue(dated.contains("Today Date: 04 Mar 2025\n"))
        XCTAssertFalse(dated.contains("Environment: ipython"), "tools default to none, as apply_chat_template passes tools=None")
    }

    func testQwen25AddsItsDefaultSystemPrompt() throws {
        let template = try ChatTemplateFixtures.template("qwen2.5-instruct.jinja")
        let prompt = try template.render(messages: [ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true)
        XCTAssertEqual(prompt, "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                       + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    func testStrftimeNowUsesTheInjectedClock() throws {
        var template = try ChatTemplate(source: "{{ strftime_now('%d %b %Y') }}")
        template.now = { ChatTemplateFixtures.fixedNow }
        template.timeZone = TimeZone(identifier: "UTC") ?? .current
        XCTAssertEqual(try template.render(variables: [:]), "04 Mar 2025")
    }

    func testTemplatesRenderConcurrently() async throws {
        let template = try ChatTemplateFixtures.template("deepseek-r1-distill.jinja")
        let bos = self.bos
        let prompts = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try template.render(messages: [ChatMessage(role: "user", content: "q\(i % 2)")], addGenerationPrompt: true, bosToken: bos)
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        XCTAssertEqual(prompts.count, 2)
    }
}
