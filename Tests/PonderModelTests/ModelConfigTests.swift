import XCTest
@testable import PonderModel

final class ModelConfigTests: XCTestCase {
    func decode(_ json: String) throws -> ModelConfig {
        try ModelConfig.decode(Data(json.utf8), file: "config.json")
    }

    /// Expects a ConfigError naming `key`, and returns its message.
    @discardableResult
    func assertRejected(_ json: String, key: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let error = assertThrows(ConfigError.self, try decode(json), file: file, line: line) { $0.key == key }
        let message = error?.description ?? ""
        XCTAssertTrue(message.hasPrefix("config.json: \"\(key)\""), message, file: file, line: line)
        return message
    }

    /// DeepSeek-R1-Distill-Qwen-1.5B's config.json (hub form, as published).
    static let qwenHub = """
    {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643,
     "hidden_act": "silu", "hidden_size": 1536, "initializer_range": 0.02, "intermediate_size": 8960,
     "max_position_embeddings": 131072, "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 12,
     "num_hidden_layers": 28, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 10000,
     "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
     "transformers_version": "4.44.0", "use_cache": true, "use_mrope": false, "use_sliding_window": false,
     "vocab_size": 151936}
    """

    /// A Llama config with a placeholder for the rope settings.
    static func llama(_ rope: String, extra: String = "") -> String {
        """
        {"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
         "intermediate_size": 128, "vocab_size": 100, "eos_token_id": [1, 8, 9], "bos_token_id": 0\(extra)\(rope.isEmpty ? "" : ", " + rope)}
        """
    }

    /// A repeated key is refused (JSONDecoder would keep one value silently, transformers the last).
    func testRepeatedKeysAreRefusedNamingTheKey() {
        let json = Self.qwenHub.replacingOccurrences(of: "\"hidden_size\": 1536,", with: "\"hidden_size\": 1536, \"hidden_size\": 2048,")
        let error = assertThrows(ConfigError.self, try decode(json)) { $0.key == nil }
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("duplicate key \"hidden_size\""), message)
        XCTAssertTrue(message.contains("keep only the one you mean"), message)
        XCTAssertNoThrow(try decode(Self.qwenHub))
    }

    func testQwenHubFormOfAPublishedCheckpoint() throws {
        let config = try decode(Self.qwenHub)
        XCTAssertEqual(config.modelType, "qwen2")
        XCTAssertEqual(config.hiddenSize, 1536)
        XCTAssertEqual(config.numKeyValueHeads, 2)
        XCTAssertEqual(config.headDim, 128)
        XCTAssertEqual(config.queriesPerKeyValueHead, 6)
        XCTAssertEqual(config.vocabSize, 151_936)
        XCTAssertEqual(config.rmsNormEps, 1e-6)
        XCTAssertEqual(config.ropeTheta, 10_000)
        XCTAssertEqual(config.ropeScaling, .none)
        XCTAssertEqual(config.torchDtype, "bfloat16")
        XCTAssertEqual(config.eosTokenId.ids, [151_643])
        XCTAssertFalse(config.tieWordEmbeddings)
    }

    func testEveryRopeForm() throws {
        let llama3 = RopeScaling.llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositionEmbeddings: 8192)
        let llama3Fields = #""factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192"#
        // Hub form with rope_type, with the legacy "type", and with no scaling at all.
        let hub = try decode(Self.llama(#""rope_theta": 500000.0, "rope_scaling": {"rope_type": "llama3", "# + llama3Fields + "}"))
        XCTAssertEqual(hub.ropeScaling, llama3)
        XCTAssertEqual(hub.ropeTheta, 500_000)
        XCTAssertEqual(try decode(Self.llama(#""rope_scaling": {"type": "llama3", "# + llama3Fields + "}")).ropeScaling, llama3)
        XCTAssertEqual(try decode(Self.llama(#""rope_scaling": {"type": "linear", "factor": 2}"#)).ropeScaling, .linear(factor: 2))
        XCTAssertEqual(try decode(Self.llama(#""rope_scaling": {"rope_type": "default"}"#)).ropeScaling, .none)
        let plain = try decode(Self.llama(#""rope_scaling": null"#))
        XCTAssertEqual(plain.ropeScaling, .none)
        XCTAssertEqual(plain.ropeTheta, 10_000, "transformers' default theta")
        // transformers 5 form: rope_parameters carries theta too; `dtype` replaces torch_dtype.
        let v5 = try decode(Self.llama(#""dtype": "float16", "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "# + llama3Fields + "}"))
        XCTAssertEqual(v5.ropeScaling, llama3)
        XCTAssertEqual(v5.ropeTheta, 500_000)
        XCTAssertEqual(v5.torchDtype, "float16")
        XCTAssertEqual(try decode(Self.llama(#""rope_parameters": {"rope_type": "default", "rope_theta": 1e6}"#)).ropeTheta, 1e6)
    }

    func testDefaultsForAbsentKeys() throws {
        let config = try decode(Self.llama(""))
        XCTAssertEqual(config.numKeyValueHeads, 4, "absent num_key_value_heads means one KV head per query head")
        XCTAssertEqual(config.headDim, 16)
        XCTAssertEqual(config.eosTokenId.ids, [1, 8, 9])
        XCTAssertEqual(config.bosTokenId.ids, [0])
        XCTAssertFalse(config.attentionBias)
        let explicit = try decode(Self.llama("", extra: #", "head_dim": 32, "num_key_value_heads": 1"#))
        XCTAssertEqual(explicit.headDim, 32)
        XCTAssertEqual(explicit.queryDim, 128)
        XCTAssertEqual(explicit.keyValueDim, 32)
    }

    func testUnsupportedValuesAreRejectedNamingTheKey() {
        assertRejected(#"{"model_type": "mistral", "hidden_size": 8}"#, key: "model_type")
        assertRejected(Self.llama(#""rope_scaling": {"rope_type": "yarn", "factor": 4}"#), key: "rope_scaling.rope_type")
        assertRejected(Self.llama(#""rope_scaling": {"type": "dynamic", "factor": 2}"#), key: "rope_scaling.rope_type")
        assertRejected(Self.llama(#""rope_parameters": {"rope_type": "longrope", "rope_theta": 1}"#), key: "rope_parameters.rope_type")
        assertRejected(Self.llama(#""rope_scaling": {"rope_type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4}"#),
                       key: "rope_scaling.original_max_position_embeddings")
        assertRejected(Self.llama(#""rope_scaling": {"factor": 8}"#), key: "rope_scaling.rope_type")
        assertRejected(Self.llama(#""rope_parameters": {"rope_type": "default", "rope_theta": 1e4, "partial_rotary_factor": 0.5}"#),
                       key: "rope_parameters.partial_rotary_factor")
        assertRejected(Self.llama("", extra: #", "hidden_act": "gelu""#), key: "hidden_act")
        assertRejected(Self.llama("", extra: #", "num_key_value_heads": 3"#), key: "num_key_value_heads")
        assertRejected(Self.llama("", extra: #", "quantization_config": {"quant_method": "awq"}"#), key: "quantization_config")
        assertRejected(Self.llama("", extra: #", "head_dim": 15"#), key: "head_dim")
        assertRejected(Self.qwenHub.replacingOccurrences(of: #""use_sliding_window": false"#, with: #""use_sliding_window": true"#),
                       key: "use_sliding_window")
        assertRejected(Self.qwenHub.replacingOccurrences(of: #""use_mrope": false"#,
                                                         with: #""layer_types": ["full_attention", "sliding_attention"]"#),
                       key: "layer_types")
        assertRejected(Self.qwenHub.replacingOccurrences(of: #""use_mrope": false"#, with: #""mlp_bias": true"#), key: "mlp_bias")
        assertRejected(Self.llama("").replacingOccurrences(of: "[1, 8, 9]", with: "[1, 100]"), key: "eos_token_id")
    }

    func testMissingAndMistypedKeysNameTheKey() {
        let missing = Self.qwenHub.replacingOccurrences(of: #""hidden_size": 1536,"#, with: "")
        XCTAssertTrue(assertRejected(missing, key: "hidden_size").contains("missing"))
        assertRejected(Self.qwenHub.replacingOccurrences(of: #""hidden_size": 1536"#, with: #""hidden_size": "big""#),
                       key: "hidden_size")
        let notJSON = assertThrows(ConfigError.self, try decode("{not json")) { $0.key == nil }
        XCTAssertTrue(notJSON?.description.hasPrefix("config.json:") ?? false)
    }

    func testLoadingFromDiskNamesThePath() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/config.json"
        try Data(#"{"model_type": "gpt2"}"#.utf8).write(to: URL(fileURLWithPath: path))
        let error = assertThrows(ConfigError.self, try ModelConfig.load(path: path))
        XCTAssertTrue(error?.description.hasPrefix(path) ?? false)
        assertThrows(ConfigError.self, try ModelConfig.load(path: dir + "/absent.json")) { $0.file.hasSuffix("absent.json") }
    }

    func testEncodingWritesTheHubFormAndRoundTrips() throws {
        let original = try decode(Self.llama(#""rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}"#))
        let data = try JSONEncoder().encode(original)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"rope_scaling\""))
        XCTAssertFalse(text.contains("rope_parameters"))
        XCTAssertEqual(try ModelConfig.decode(data), original)
    }

    func testGenerationConfig() throws {
        let dir = try makeTemporaryDirectory(self)
        let path = dir + "/generation_config.json"
        XCTAssertNil(try GenerationConfig.loadIfPresent(path: path))
        try Data(#"{"bos_token_id": 151646, "eos_token_id": 151643, "do_sample": true, "temperature": 0.6, "top_p": 0.95, "transformers_version": "4.39.3"}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let config = try XCTUnwrap(GenerationConfig.loadIfPresent(path: path))
        XCTAssertEqual(config.eosTokenId?.ids, [151_643])
        XCTAssertEqual(config.bosTokenId?.ids, [151_646])
        XCTAssertEqual(config.samplingParameters, SamplingParameters(temperature: 0.6, topK: nil, topP: 0.95))
        XCTAssertTrue(GenerationConfig(doSample: false, temperature: 0.6).samplingParameters.isGreedy)
        XCTAssertTrue(GenerationConfig().samplingParameters.isGreedy)

        try Data(#"{"eos_token_id": [128001, 128008, 128009]}"#.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try GenerationConfig.loadIfPresent(path: path)?.eosTokenId?.ids, [128_001, 128_008, 128_009])
        try Data(#"{"eos_token_id": "end"}"#.utf8).write(to: URL(fileURLWithPath: path))
        assertThrows(ConfigError.self, try GenerationConfig.loadIfPresent(path: path)) { $0.key == "eos_token_id" }
    }

    /// The fixture models' EOS sets are the union of both files.
    func testEOSUnionAcrossConfigFiles() throws {
        let model = try PretrainedModel.load(directory: Fixtures.modelPath("qwen2-tied-bf16"))
        XCTAssertEqual(model.config.eosTokenId.ids, [0])
        XCTAssertEqual(model.eosTokenIds, [0, 2])
        XCTAssertEqual(model.bosTokenId, 1, "generation_config.json's BOS wins over config.json's")
        XCTAssertEqual(model.defaultSampling, SamplingParameters(temperature: 0.6, topK: nil, topP: 0.95))
    }
}
