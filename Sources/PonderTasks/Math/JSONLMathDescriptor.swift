import Foundation

extension JSONLMathTask {
    /// `gsm8k` and `math` in configs: free-text problems from a JSONL `file` (required), all
    /// of them in the config's split. The two differ only in name; the field options read
    /// GSM8K, MATH and MATH-500 alike.
    public static func descriptor(named name: String) -> TaskDescriptor {
        let fields = MathFields()
        return TaskDescriptor(
            name: name, summary: "math word problems from JSONL (GSM8K `####`, MATH `\\boxed{}`)", defaultStyle: "r1-zero",
            options: [
                .file("file", required: true, "JSONL with one problem per line"),
                .names("question_field", default: fields.question, "the field holding the question"),
                .names("answer_field", default: fields.answer, "a final answer, or GSM8K's worked answer ending in `#### 42`"),
                .names("solution_field", default: fields.solution, "a worked solution whose last \\boxed{} is the answer"),
                .names("id_field", default: fields.id, "a stable problem id (else file-stem:line)"),
                .names("level_field", default: fields.level, "a difficulty level"),
                .text("instruction", default: JSONLMathTask.boxedInstruction, "appended to each question; \"\" for none"),
            ]
        ) { options in
            guard let file = options.file("file") else {
                throw TaskOptionError(key: "options.file", problem: "`\(name)` reads its problems from a JSONL file.",
                                      fix: "add `file: path/to/\(name).jsonl` under the task's options.")
            }
            let fields = MathFields(question: try options.names("question_field"), answer: try options.names("answer_field"),
                                    solution: try options.names("solution_field"), id: try options.names("id_field"),
                                    level: try options.names("level_field"))
            let instruction = try options.string("instruction")
            return try JSONLMathTask(name: name, loading: file, split: options.split, fields: fields,
                                     instruction: instruction.isEmpty ? nil : instruction)
        }
    }
}
