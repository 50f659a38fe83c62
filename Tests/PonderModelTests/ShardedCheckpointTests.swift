import XCTest
@testable import PonderModel

final class ShardedCheckpointTests: XCTestCase {
    /// Writes shards (file name → tensor names with values) and an index into a fresh directory.
    func makeCheckpoint(shards: [String: [(String, [Float])]], weightMap: String? = nil) throws -> String {
        let dir = try makeTemporaryDirectory(self)
        var map: [String] = []
        for (file, tensors) in shards.sorted(by: { $0.key < $1.key }) {
            var writer = SafeTensorsWriter()
            for (name, values) in tensors {
                try writer.add(name, shape: [values.count], values: values)
                map.append("\"\(name)\": \"\(file)\"")
            }
            try writer.write(to: dir + "/" + file)
        }
        let index = #"{"metadata": {"total_size": 0}, "weight_map": {"# + (weightMap ?? map.joined(separator: ", ")) + "}}"
        try Data(index.utf8).write(to: URL(fileURLWithPath: dir + "/model.safetensors.index.json"))
        return dir
    }

    func testTensorsAreFoundThroughTheWeightMap() throws {
        // Shard names with a six-digit total, as some published repositories use: names are
        // never parsed, only looked up.
        let dir = try makeCheckpoint(shards: [
            "model-00001-of-000002.safetensors": [("a", [1, 2]), ("b", [3])],
            "model-00002-of-000002.safetensors": [("c", [4, 5, 6])],
        ])
        let checkpoint = try SafeTensorsCheckpoint(directory: dir)
        XCTAssertEqual(checkpoint.files.count, 2)
        XCTAssertEqual(checkpoint.tensorNames, ["a", "b", "c"])
        var c = [Float](repeating: 0, count: 3)
        try c.withUnsafeMutableBufferPointer { try checkpoint.readFloats("c", expectedShape: [3], into: $0) }
        XCTAssertEqual(c, [4, 5, 6])
        assertThrows(SafeTensorsError.self, try c.withUnsafeMutableBufferPointer {
            try checkpoint.readFloats("c", expectedShape: [1, 3], into: $0)
        }) { if case .shapeMismatch = $0 { return true } else { return false } }
    }

    func testTensorStoredInTwoShardsIsRejected() throws {
        let dir = try makeCheckpoint(shards: ["s1.safetensors": [("a", [1])], "s2.safetensors": [("a", [2]), ("b", [3])]],
                                     weightMap: #""a": "s1.safetensors", "b": "s2.safetensors""#)
        assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: dir)) {
            if case let .duplicateTensor(tensor, files) = $0 { return tensor == "a" && files.count == 2 } else { return false }
        }
    }

    func testTensorListedTwiceInTheIndexIsRejected() throws {
        let dir = try makeCheckpoint(shards: ["s1.safetensors": [("a", [1])]],
                                     weightMap: #""a": "s1.safetensors", "a": "s1.safetensors""#)
        let error = assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: dir))
        XCTAssertTrue(error?.description.contains("duplicate key \"a\"") ?? false, "\(String(describing: error))")
    }

    func testIndexPointingAtTheWrongShard() throws {
        let dir = try makeCheckpoint(shards: ["s1.safetensors": [("a", [1])], "s2.safetensors": [("b", [2])]],
                                     weightMap: #""a": "s2.safetensors", "b": "s2.safetensors""#)
        assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: dir)) {
            if case let .indexMismatch(_, tensor, shard) = $0 { return tensor == "a" && shard == "s2.safetensors" }
            return false
        }
    }

    func testMissingShardAndPathsOutsideTheDirectory() throws {
        let missing = try makeCheckpoint(shards: ["s1.safetensors": [("a", [1])]],
                                         weightMap: #""a": "s1.safetensors", "b": "s9.safetensors""#)
        let error = assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: missing))
        XCTAssertTrue(error?.description.contains("s9.safetensors") ?? false)

        let escape = try makeCheckpoint(shards: ["s1.safetensors": [("a", [1])]],
                                        weightMap: #""a": "../s1.safetensors""#)
        assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: escape)) {
            if case .invalidIndex = $0 { return true } else { return false }
        }
    }

    func testDirectoryWithoutWeights() throws {
        let dir = try makeTemporaryDirectory(self)
        assertThrows(SafeTensorsError.self, try SafeTensorsCheckpoint(directory: dir)) { $0 == .noCheckpoint(directory: dir) }
    }

    func testShardedFixtureLoadsBothShards() throws {
        let checkpoint = try SafeTensorsCheckpoint(directory: Fixtures.modelPath("llama-sharded"))
        XCTAssertEqual(checkpoint.files.count, 2)
        XCTAssertNotNil(checkpoint.indexPath)
        XCTAssertEqual(Set(checkpoint.files.map { $0.header.tensors.first?.dtype }), [.f16])
    }

    /// The architecture check tolerates `rotary_emb.inv_freq` buffers but refuses other extras
    /// and reports missing tensors by name.
    func testArchitectureTensorSetIsCheckedExactly() throws {
        let config = try ModelConfig(modelType: "llama", hiddenSize: 4, numHiddenLayers: 1, numAttentionHeads: 2,
                                     intermediateSize: 8, vocabSize: 5, tieWordEmbeddings: true)
        let plan = TransformerWeights.plan(for: config, architecture: Llama())
        func write(_ extra: [String], dropping dropped: String? = nil) throws -> SafeTensorsCheckpoint {
            let dir = try makeTemporaryDirectory(self)
            var writer = SafeTensorsWriter()
            for spec in plan where spec.name != dropped {
                try writer.add(spec.name, shape: spec.shape, values: [Float](repeating: 0.5, count: spec.elementCount))
            }
            for name in extra { try writer.add(name, shape: [2], values: [1, 2]) }
            try writer.write(to: dir + "/model.safetensors")
            return try SafeTensorsCheckpoint(directory: dir)
        }
        XCTAssertNoThrow(try TransformerWeights.validate(write(["model.layers.0.self_attn.rotary_emb.inv_freq"]),
                                                         plan: plan, config: config, architecture: Llama()))
        assertThrows(SafeTensorsError.self, try TransformerWeights.validate(write(["model.layers.0.mlp.extra.weight"]),
                                                                            plan: plan, config: config, architecture: Llama())) {
            $0.description.contains("model.layers.0.mlp.extra.weight")
        }
        assertThrows(SafeTensorsError.self, try TransformerWeights.validate(write([], dropping: "model.norm.weight"),
                                                                            plan: plan, config: config, architecture: Llama())) {
            if case let .tensorNotFound(_, tensor) = $0 { return tensor == "model.norm.weight" } else { return false }
        }
    }
}
