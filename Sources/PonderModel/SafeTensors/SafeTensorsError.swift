import Foundation

/// Everything that can be wrong with a safetensors file or a sharded checkpoint.
///
/// The first cases mirror the checks of the reference reader (`read_metadata` and
/// `Metadata::validate` in huggingface/safetensors `tensor.rs`), one case per check, so a
/// file Ponder accepts is a file the reference accepts. Every message names the file and,
/// where there is one, the tensor.
public enum SafeTensorsError: Error, Sendable, Equatable {
    /// The file could not be opened or mapped.
    case cannotOpen(file: String, reason: String)
    /// The file is shorter than the 8-byte header length (`HeaderTooSmall`).
    case headerTooSmall(file: String, fileSize: Int)
    /// The declared header length exceeds 100,000,000 bytes (`HeaderTooLarge`).
    case headerTooLarge(file: String, headerLength: UInt64)
    /// 8 + header length overflows or runs past the end of the file (`InvalidHeaderLength`).
    case invalidHeaderLength(file: String, headerLength: UInt64, fileSize: Int)
    /// The header bytes are not valid UTF-8 (`InvalidHeader`).
    case invalidHeaderEncoding(file: String)
    /// The header is not JSON, or not JSON of the expected shape (`InvalidHeaderDeserialization`).
    case invalidHeaderJSON(file: String, reason: String)
    /// A tensor names a dtype outside the safetensors list.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// Tensors sorted by offset do not tile the data buffer: a hole, an overlap, or END < BEGIN
    /// (`InvalidOffset`).
    case invalidOffset(file: String, tensor: String, begin: UInt64, end: UInt64, expectedBegin: UInt64)
    /// shape × dtype size overflows (`ValidationOverflow`).
    case validationOverflow(file: String, tensor: String, shape: [UInt64])
    /// The element count × bit size is not a whole number of bytes (`MisalignedSlice`).
    case misalignedSlice(file: String, tensor: String)
    /// END − BEGIN differs from shape × dtype size (`TensorInvalidInfo`).
    case tensorInvalidInfo(file: String, tensor: String, byteCount: UInt64, expected: UInt64)
    /// The data does not end exactly at the end of the file (`MetadataIncompleteBuffer`).
    case metadataIncompleteBuffer(file: String, dataEnd: UInt64, bufferSize: UInt64)
    /// A tensor Ponder needs is not in the file or checkpoint.
    case tensorNotFound(file: String, tensor: String)
    /// A tensor has a dtype that cannot be read as floating point numbers.
    case unsupportedDType(file: String, tensor: String, dtype: SafeTensorsDType)
    /// A tensor's shape disagrees with what the model configuration implies.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// `model.safetensors.index.json` is malformed.
    case invalidIndex(file: String, reason: String)
    /// A tensor appears in more than one place (two shards, or twice in the index).
    case duplicateTensor(tensor: String, files: [String])
    /// The index maps a tensor to a shard whose header does not contain it.
    case indexMismatch(file: String, tensor: String, shard: String)
    /// The checkpoint holds tensors the architecture does not use (so weights would be ignored).
    case unexpectedTensors(file: String, tensors: [String])
    /// The directory holds neither `model.safetensors` nor `model.safetensors.index.json`.
    case noCheckpoint(directory: String)
    /// Writing a file failed.
    case writeFailed(file: String, reason: String)
}

extension SafeTensorsError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file): cannot open safetensors file (\(reason))"
        case let .headerTooSmall(file, size):
            return "\(file): file is \(size) bytes, too small for a safetensors header (needs at least 8); the file is truncated or not safetensors"
        case let .headerTooLarge(file, n):
            return "\(file): header length \(n) exceeds the 100,000,000-byte limit; the file is corrupt or not safetensors"
        case let .invalidHeaderLength(file, n, size):
            return "\(file): header length \(n) + 8 runs past the end of the \(size)-byte file; the file is truncated or corrupt"
        case let .invalidHeaderEncoding(file):
            return "\(file): header is not valid UTF-8; the file is corrupt or not safetensors"
        case let .invalidHeaderJSON(file, reason):
            return "\(file): header is not valid safetensors JSON: \(reason)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has unknown dtype \"\(dtype)\""
        case let .invalidOffset(file, tensor, begin, end, expected):
            let what = begin > expected ? "leaves a hole before it" : (begin < expected ? "overlaps the previous tensor" : "ends before it begins")
            return "\(file): tensor '\(tensor)' has data_offsets [\(begin), \(end)] which \(what) (expected it to begin at \(expected)); the file is corrupt"
        case let .validationOverflow(file, tensor, shape):
            return "\(file): tensor '\(tensor)' shape \(shape) overflows when multiplied out; the file is corrupt"
        case let .misalignedSlice(file, tensor):
            return "\(file): tensor '\(tensor)' does not occupy a whole number of bytes"
        case let .tensorInvalidInfo(file, tensor, count, expected):
            return "\(file): tensor '\(tensor)' spans \(count) bytes but its shape and dtype need \(expected); the file is corrupt"
        case let .metadataIncompleteBuffer(file, end, size):
            return "\(file): tensor data ends at byte \(end) of a \(size)-byte data section; the file is truncated or has trailing bytes"
        case let .tensorNotFound(file, tensor):
            return "\(file): tensor '\(tensor)' is missing; the checkpoint does not match its config.json"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype.rawValue); Ponder reads only F32, F16 and BF16 weights (convert the checkpoint)"
        case let .shapeMismatch(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found) but config.json implies \(expected); the weights and config.json disagree"
        case let .invalidIndex(file, reason):
            return "\(file): invalid sharded-checkpoint index: \(reason)"
        case let .duplicateTensor(tensor, files):
            return "tensor '\(tensor)' appears more than once (in \(files.joined(separator: ", "))); each tensor must be stored exactly once"
        case let .indexMismatch(file, tensor, shard):
            return "\(file): weight_map puts tensor '\(tensor)' in \(shard), but that shard does not contain it"
        case let .unexpectedTensors(file, tensors):
            let shown = tensors.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            let more = tensors.count > 5 ? " and \(tensors.count - 5) more" : ""
            return "\(file): holds tensors the architecture does not use: \(shown)\(more); the checkpoint and config.json disagree"
        case let .noCheckpoint(directory):
            return "\(directory): no model.safetensors or model.safetensors.index.json found; point --model at a Hugging Face checkpoint directory"
        case let .writeFailed(file, reason):
            return "\(file): cannot write safetensors file (\(reason))"
        }
    }

    public var errorDescription: String? { description }
}
