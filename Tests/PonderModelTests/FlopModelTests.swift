import XCTest
@testable import PonderModel

/// `FlopModel`, the one FLOP formula of the engine and the search ledger, against a count made
/// independently here: multiply-adds read off the weight shapes stored in each fixture
/// checkpoint, and attention pairs counted position by position.
final class FlopModelTests: XCTestCase {
    /// Multiply-adds per token of every block matrix, of the LM head, and per attended
    /// (query, key) pair, from the checkpoint's tensors alone (not its config).
    struct ShapeCount {
        var blockMACsPerToken = 0
        var headMACsPerRow = 0
        var attentionMACsPerPair = 0
    }

    func count(_ name: String) throws -> ShapeCount {
        let checkpoint = try SafeTensorsCheckpoint(directory: Fixtures.modelPath(name))
        func shape(_ tensor: String) -> [Int]? { checkpoint.location(tensor)?.info.shape }
        var count = ShapeCount()
        let matrices = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]
        var layer = 0
        while let query = shape("model.layers.\(layer).self_attn.q_proj.weight") {
            for matrix in matrices {
                let dims = try XCTUnwrap(shape("model.layers.\(layer).\(matrix).weight"), "\(name) layer \(layer) \(matrix)")
                XCTAssertEqual(dims.count, 2)
                count.blockMACsPerToken += dims.reduce(1, *)   // [out, in]: one multiply-add per weight
            }
            // q_proj's output rows are heads × head_dim: QKᵀ takes that many multiply-adds per
            // (query, key) pair, and A·V as many again.
            count.attentionMACsPerPair += 2 * query[0]
            layer += 1
        }
        XCTAssertGreaterThan(layer, 0, "\(name) has layers")
        // A tied checkpoint stores no lm_head: the embedding matrix is the head.
        let head = try XCTUnwrap(shape("lm_head.weight") ?? shape("model.embed_tokens.weight"))
        count.headMACsPerRow = head.reduce(1, *)
        return count
    }

    /// FLOPs (2 per multiply-add) of `newTokens` after `past` cached positions with logits at
    /// the last one, attention pairs counted one query at a time.
    func independentFLOPs(_ c: ShapeCount, newTokens: Int, past: Int) -> Double {
        var pairs = 0
        for i in 0..<newTokens { pairs += past + i + 1 }   // query i sees every key up to itself
        return 2 * Double(newTokens * c.blockMACsPerToken + c.headMACsPerRow + pairs * c.attentionMACsPerPair)
    }

    func testFormulaMatchesACountFromTheWeightShapes() throws {
        for name in Fixtures.modelNames {
            let shapes = try count(name)
            let model = try TransformerModel.load(directory: Fixtures.modelPath(name))
            let flop = FlopModel(config: model.config)
            for (newTokens, past) in [(1, 0), (7, 0), (1, 40), (3, 17)] {
                XCTAssertEqual(flop.forwardFLOPs(newTokens: newTokens, pastLength: past),
                               independentFLOPs(shapes, newTokens: newTokens, past: past), "\(name) k \(newTokens) p \(past)")
            }
            XCTAssertEqual(Double(flop.matmulParameters), Double(shapes.blockMACsPerToken + shapes.headMACsPerRow), name)
        }
    }

    func testEngineReportsTheFormulaForWhatItComputed() throws {
        let name = "llama-rope-llama3"   // an explicit head_dim unequal to hidden / heads
        let shapes = try count(name)
        let model = try TransformerModel.load(directory: Fixtures.modelPath(name))
        let engine = try Engine(model: model)
        let (root, started) = try engine.start(prompt: Array(1...17))
        XCTAssertEqual(started.flops, independentFLOPs(shapes, newTokens: 17, past: 0))
        let child = try engine.fork(root)
        let step = try engine.extend([root, child], tokens: [[5], [6, 7, 8]])
        XCTAssertEqual(step.flops, independentFLOPs(shapes, newTokens: 1, past: 17)
                                    + independentFLOPs(shapes, newTokens: 3, past: 17))
    }
}
