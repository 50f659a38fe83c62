// libFuzzer target: a safetensors file's bytes into `SafeTensorsHeader(parsing:file:)`.
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    do { _ = try SafeTensorsHeader(parsing: buffer, file: "fuzz.safetensors") } catch { checkNames(error, "fuzz.safetensors") }
    return 0
}
