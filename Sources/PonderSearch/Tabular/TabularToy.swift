import Foundation
import PonderModel

/// A Countdown-flavoured synthetic benchmark on a `TabularPolicy`, with known optimal
/// behaviour. Each completion is three reasoning steps ("mul 7\n") and a final step
/// ("Answer: 28<eos>").
///
/// Each reasoning node offers three operations, two of them "good" (there is more than one way
/// to solve a problem); a good operation stays good only with its first operand. The final
/// answer depends on the fraction q of good steps: P(correct) = 0.05 + 0.9·q², and each leaf
/// sends 60 % of its wrong mass to its own decoy among three wrong answers. A problem's
/// difficulty h ∈ [0, 1) sets the good operations' total probability to 0.85 − 0.7·h, split
/// at random between them, so the single most likely operation is often a bad one.
///
/// The result mirrors real reasoning tasks (exact figures over problems are in the tests):
/// sampling (pass@1 ≈ 0.3) < greedy (≈ 0.4) < majority vote (≈ 0.5), because errors scatter
/// over many answers while correct paths agree; a value function can find the good path even
/// when it is unlikely.
public struct TabularToy {
    /// Shape of the generated problems.
    public struct Configuration: Sendable, Equatable {
        /// Reasoning steps before the answer.
        public var steps = 3
        /// Operations offered at each reasoning node (at most 4).
        public var branching = 3
        /// Prompt length in tokens (prefill per search).
        public var promptLength = 24
        /// The architecture the ledger charges.
        public var flopModel = FlopModel.qwen2_5_0_5B
        /// A configuration with the defaults above.
        public init() {}
    }

    /// The policy holding every problem.
    public let policy: TabularPolicy
    /// The problems, as search sees them.
    public let problems: [SearchProblem]
    /// The correct answer of each problem.
    public let correctAnswers: [String]

    /// The extractor the toy's leaves are judged by: the text after "Answer:".
    public static let extractor = AnswerExtractor.after("Answer:")
    /// Steps end at a newline.
    public static let splitter = StepSplitter.delimiters(["\n"])

    /// The exact checker for problem `k`: the extracted answer equals the correct one.
    public func checker(for k: Int) -> CheckerFunction {
        let correct = correctAnswers[k]
        return CheckerFunction { _, answer in answer == correct }
    }

    /// Task hooks for problem `k` (splitter, extractor, and the exact checker unless given one).
    public func hooks(for k: Int, checker: (any AnswerChecker)? = nil) -> TaskHooks {
        TaskHooks(stepSplitter: Self.splitter, answerExtractor: Self.extractor,
                  checker: checker ?? self.checker(for: k))
    }

    /// Generates `count` problems reproducibly from `seed`.
    public static func make(problems count: Int = 40, seed: UInt64 = 7,
                            configuration: Configuration = Configuration()) throws -> TabularToy {
        var builder = TabularPolicyBuilder()
        let ops = ["add ", "sub ", "mul ", "div "].map { builder.token($0) }
        let digits = (1...9).map { builder.token(String($0)) }
        let newline = builder.token("\n"), answerMark = builder.token("Answer:")
        let eos = builder.token(TabularPolicyBuilder.eos)
        var prompts: [SearchProblem] = [], answers: [String] = []
        for k in 0..<count {
            var rng = SeededRNG.derived(seed: seed, UInt64(k))
            let difficulty = rng.nextDouble()
            let goodMass = 0.85 - 0.7 * difficulty
            var values = Array(10...99)
            rng.shuffle(&values)
            let answerTokens = values.prefix(4).map { builder.token(" \($0)") }   // correct, then 3 wrong
            let numbers = (0..<3).map { _ in rng.nextInt(in: 1...9) }
            var tree = TabularTree()
            func grow(_ node: Int, depth: Int, good: Int) {
                if depth == configuration.steps {
                    let mark = tree.addChild(of: node, token: answerMark, probability: 1)
                    let q = Double(good) / Double(max(1, configuration.steps))
                    let pCorrect = 0.05 + 0.9 * q * q
                    let decoy = 1 + rng.nextInt(below: 3)
                    for (i, token) in answerTokens.enumerated() {
                        let p = i == 0 ? pCorrect : (1 - pCorrect) * (i == decoy ? 0.6 : 0.2)
                        let leaf = tree.addChild(of: mark, token: token, probability: p)
                        tree.addChild(of: leaf, token: eos, probability: 1)
                    }
                    return
                }
                var choice = ops
                rng.shuffle(&choice)
                let offered = Array(choice.prefix(min(4, max(1, configuration.branching))))
                var order = Array(offered.indices)
                rng.shuffle(&order)
                let goods = Set(order.prefix(offered.count >= 3 ? 2 : 1))
                let weights = offered.indices.map { _ in rng.nextGamma(shape: 1) + 0.1 }
                let goodTotal = goods.reduce(0) { $0 + weights[$1] }
                let badTotal = offered.indices.filter { !goods.contains($0) }.reduce(0) { $0 + weights[$1] }
                for (i, op) in offered.enumerated() {
                    let isGood = goods.contains(i)
                    let pOp = badTotal == 0 ? weights[i] / goodTotal
                        : (isGood ? goodMass * weights[i] / goodTotal : (1 - goodMass) * weights[i] / badTotal)
                    let opNode = tree.addChild(of: node, token: op, probability: pOp)
                    var operands = digits
                    rng.shuffle(&operands)
                    let choices = isGood ? 2 : 1 + rng.nextInt(below: 2)
                    let pFirst = choices == 1 ? 1 : 0.7 + 0.25 * rng.nextDouble()
                    for j in 0..<choices {
                        let digitNode = tree.addChild(of: opNode, token: operands[j],
                                                      probability: j == 0 ? pFirst : 1 - pFirst)
                        let stepEnd = tree.addChild(of: digitNode, token: newline, probability: 1)
                        grow(stepEnd, depth: depth + 1, good: good + (isGood && j == 0 ? 1 : 0))
                    }
                }
            }
            grow(TabularTree.root, depth: 0, good: 0)
            let correct = builder.vocabulary[answerTokens[0]].trimmingCharacters(in: .whitespaces)
            let prompt = "Problem \(k): combine \(numbers.map(String.init).joined(separator: " ")) to reach the target.\n"
            builder.addProblem(prompt: prompt, correctAnswer: correct, tree: tree)
            prompts.append(SearchProblem(id: "toy-\(k)", prompt: prompt))
            answers.append(correct)
        }
        let policy = try builder.build(promptLength: configuration.promptLength, flopModel: configuration.flopModel,
                                       stepDelimiters: ["\n"], maxNewTokens: 64, extractor: extractor)
        return TabularToy(policy: policy, problems: prompts, correctAnswers: answers)
    }
}
