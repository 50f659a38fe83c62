// libFuzzer target: a safetensors file's bytes into `SafeTensorsHeader(parsing:file:)`.
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderModel

// FUZZ_CHECK_FILE_NAMES=1: an error whose description does not name the file is a finding.
private let checkFileNames = ProcessInfo.processInfo.environment["FUZZ_CHECK_FILE_NAMES"] == "1"
private func checkNames(_ error: any Error, _ file: String) {
    if checkFileNames && !String(describing: error).contains(file) { fatalError("error does not name \(file): \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    do { _ = try SafeTensorsHeader(parsing: buffer, file: "fuzz.safetensors") } catch { checkNames(error, "fuzz.safetensors") }
    return 0
}
