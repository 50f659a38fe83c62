// libFuzzer target: config.json bytes into `ModelConfig.decode(_:file:)`.
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do { _ = try ModelConfig.decode(bytes, file: "fuzz/config.json") } catch { checkNames(error, "fuzz/config.json") }
    return 0
}
