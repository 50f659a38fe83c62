import Foundation

/// The weights of a Hugging Face checkpoint directory: `model.safetensors`, or the shards
/// listed by `model.safetensors.index.json`.
///
/// Shards are found through the index's `weight_map`, never by guessing file names (shard
/// counts are written with varying digit widths in the wild). Every tensor must be stored
/// exactly once across all shards, and the index must agree with the shards' headers.
public final class SafeTensorsCheckpoint: Sendable {
    /// Where one tensor is stored.
    public struct Location: Sendable {
        /// The file holding it.
        public let file: SafeTensorsFile
        /// Its header entry.
        public let info: SafeTensorInfo
    }

    /// The file name of a single-file checkpoint.
    public static let singleFileName = "model.safetensors"
    /// The file name of a sharded checkpoint's index.
    public static let indexFileName = "model.safetensors.index.json"

    /// The checkpoint directory.
    public let directory: String
    /// The open files (one, or one per shard in the index's order of first mention).
    public let files: [SafeTensorsFile]
    /// The index file's path, or nil for a single-file checkpoint.
    public let indexPath: String?
    /// Every tensor, by name.
    public let locations: [String: Location]

    /// Opens the checkpoint in `directory`. A single `model.safetensors` is preferred when both
    /// forms are present, as transformers does.
    public init(directory: String) throws {
        self.directory = directory
        let single = (directory as NSString).appendingPathComponent(Self.singleFileName)
        let index = (directory as NSString).appendingPathComponent(Self.indexFileName)
        let manager = FileManager.default
        if manager.fileExists(atPath: single) {
            let file = try SafeTensorsFile(path: single)
            files = [file]
            indexPath = nil
            var locations: [String: Location] = [:]
            for info in file.header.tensors { locations[info.name] = Location(file: file, info: info) }
            self.locations = locations
        } else if manager.fileExists(atPath: index) {
            indexPath = index
            (files, locations) = try Self.openShards(directory: directory, indexPath: index)
        } else {
            throw SafeTensorsError.noCheckpoint(directory: directory)
        }
    }

    /// A human-readable name for where the weights came from (for messages).
    public var sourceDescription: String { indexPath ?? files.first?.path ?? directory }

    /// All tensor names, sorted.
    public var tensorNames: [String] { locations.keys.sorted() }

    /// Where `name` is stored, or nil.
    public func location(_ name: String) -> Location? { locations[name] }

    /// Converts tensor `name` to fp32 after checking that its shape is `expectedShape`.
    public func readFloats(_ name: String, expectedShape: [Int],
                           into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let location = locations[name] else {
            throw SafeTensorsError.tensorNotFound(file: sourceDescription, tensor: name)
        }
        guard location.info.shape == expectedShape else {
            throw SafeTensorsError.shapeMismatch(file: location.file.path, tensor: name,
                                                 expected: expectedShape, found: location.info.shape)
        }
        try location.file.readFloats(location.info, into: destination)
    }

    private static func openShards(directory: String, indexPath: String) throws
        -> ([SafeTensorsFile], [String: Location]) {
        let weightMap = try readWeightMap(indexPath: indexPath)
        // Open each shard once, in order of first mention.
        var shardOrder: [String] = []
        var shardFiles: [String: SafeTensorsFile] = [:]
        for (_, shard) in weightMap where shardFiles[shard] == nil {
            let path = (directory as NSString).appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: path) else {
                throw SafeTensorsError.invalidIndex(file: indexPath, reason: "shard \(shard) listed in weight_map does not exist")
            }
            shardFiles[shard] = try SafeTensorsFile(path: path)
            shardOrder.append(shard)
        }
        // Every tensor stored in the shards, each exactly once.
        var locations: [String: Location] = [:]
        for shard in shardOrder {
            guard let file = shardFiles[shard] else { continue }
            for info in file.header.tensors {
                if let previous = locations[info.name] {
                    throw SafeTensorsError.duplicateTensor(tensor: info.name, files: [previous.file.path, file.path])
                }
                locations[info.name] = Location(file: file, info: info)
            }
        }
        // The index must point at the shard that really holds each tensor.
        for (tensor, shard) in weightMap {
            guard let location = locations[tensor], location.file.path == shardFiles[shard]?.path else {
                throw SafeTensorsError.indexMismatch(file: indexPath, tensor: tensor, shard: shard)
            }
        }
        return (shardOrder.compactMap { shardFiles[$0] }, locations)
    }

    /// Parses the index's `weight_map` strictly: an object of tensor name → shard file name,
    /// no name twice, shard names plain file names inside the directory.
    private static func readWeightMap(indexPath: String) throws -> [(String, String)] {
        let mapping = try MappedFile(path: indexPath)
        let json: JSONValue
        do {
            json = try JSONValue.parse(mapping.bytes, options: .strict)
        } catch let error as JSONParseError {
            throw SafeTensorsError.invalidIndex(file: indexPath, reason: error.description)
        }
        guard case let .object(members) = json else {
            throw SafeTensorsError.invalidIndex(file: indexPath, reason: "expected a JSON object")
        }
        guard let weightMap = members.first(where: { $0.key == "weight_map" })?.value else {
            throw SafeTensorsError.invalidIndex(file: indexPath, reason: "missing \"weight_map\"")
        }
        guard case let .object(entries) = weightMap else {
            throw SafeTensorsError.invalidIndex(file: indexPath, reason: "\"weight_map\" must be an object")
        }
        var result: [(String, String)] = []
        for (tensor, value) in entries {
            guard case let .string(shard) = value else {
                throw SafeTensorsError.invalidIndex(file: indexPath, reason: "weight_map[\"\(tensor)\"] must be a file name string")
            }
            guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw SafeTensorsError.invalidIndex(file: indexPath, reason: "shard name \"\(shard)\" must be a file name inside the checkpoint directory")
            }
            result.append((tensor, shard))
        }
        return result
    }
}
