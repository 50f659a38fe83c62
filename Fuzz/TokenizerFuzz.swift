// libFuzzer target: tokenizer.json bytes into `Tokenizer(tokenizerFile:configFile:)` (the public
// loader reads a file, so each input is written to one scratch file per process), then an
// encode/decode round trip of a fixed text when the file loads.
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderModel

private let scratch = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("ponder-fuzz-tokenizer-\(getpid()).json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard (try? bytes.write(to: scratch)) != nil else { return 0 }
    let tokenizer: Tokenizer
    do { tokenizer = try Tokenizer(tokenizerFile: scratch, configFile: nil) } catch { checkNames(error, scratch.path); return 0 }
    if let ids = try? tokenizer.encode("Hello, world! 123 héllo <|im_start|> \n\t  x") {
        _ = try? tokenizer.decode(ids)
    }
    return 0
}
