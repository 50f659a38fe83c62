import Foundation

/// The parts of `generation_config.json` Ponder uses: special token ids and default sampling.
///
/// DeepSeek-R1-Distill's `config.json` names a misleading `bos_token_id`; the generation
/// config has the one the tokenizer really uses, and EOS ids may differ between the files,
/// so generation stops on the union of every EOS set (see `PretrainedModel.eosTokenIds`).
public struct GenerationConfig: Codable, Sendable, Equatable {
    /// `bos_token_id`.
    public var bosTokenId: TokenIDList?
    /// `eos_token_id`, an id or a list.
    public var eosTokenId: TokenIDList?
    /// `pad_token_id`.
    public var padTokenId: TokenIDList?
    /// Whether transformers would sample by default (false → greedy).
    public var doSample: Bool?
    /// Default sampling temperature.
    public var temperature: Double?
    /// Default top-k (0 or absent: off).
    public var topK: Int?
    /// Default top-p (1 or absent: off).
    public var topP: Double?

    enum CodingKeys: String, CodingKey {
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case padTokenId = "pad_token_id"
        case doSample = "do_sample"
        case temperature
        case topK = "top_k"
        case topP = "top_p"
    }

    /// Creates a generation config directly (tests, synthetic models).
    public init(bosTokenId: [Int]? = nil, eosTokenId: [Int]? = nil, doSample: Bool? = nil,
                temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil) {
        self.bosTokenId = bosTokenId.map(TokenIDList.init)
        self.eosTokenId = eosTokenId.map(TokenIDList.init)
        self.doSample = doSample
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// The default sampling parameters this file asks for: greedy unless `do_sample` is true
    /// (transformers' rule), else its temperature, top-k and top-p.
    public var samplingParameters: SamplingParameters {
        guard doSample == true else { return SamplingParameters(temperature: 0) }
        return SamplingParameters(temperature: Float(temperature ?? 1),
                                  topK: topK.flatMap { $0 > 0 ? $0 : nil },
                                  topP: topP.flatMap { $0 < 1 ? Float($0) : nil })
    }

    /// Reads `generation_config.json` at `path`; nil when the file does not exist.
    public static func loadIfPresent(path: String) throws -> GenerationConfig? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, key: nil, "cannot read the file (\(error.localizedDescription))")
        }
        let config: GenerationConfig
        do {
            config = try JSONDecoder().decode(GenerationConfig.self, from: data)
        } catch let error as DecodingError {
            throw ConfigError.from(error, file: path)
        }
        if let temperature = config.temperature, !(temperature >= 0) {
            throw ConfigError(file: path, key: "temperature", "must be non-negative, found \(temperature)")
        }
        if let topP = config.topP, !(topP > 0 && topP <= 1) {
            throw ConfigError(file: path, key: "top_p", "must be in (0, 1], found \(topP)")
        }
        return config
    }
}
