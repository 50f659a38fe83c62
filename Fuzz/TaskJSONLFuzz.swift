// libFuzzer target: task JSONL bytes into `JSONLMathTask.loadJSONL` and `CountdownTask.loadJSONL`
// (the public loaders read a file, so each input is written to one scratch file per process).
// Any thrown error is fine; only a crash, sanitizer report or hang is a finding.
import Foundation
import PonderTasks

private let scratch = URL(fileURLWithPath: NSTemporaryDirectory())
    .appendingPathComponent("ponder-fuzz-task-\(getpid()).jsonl")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard (try? bytes.write(to: scratch)) != nil else { return 0 }
    _ = try? JSONLMathTask.loadJSONL(scratch, split: .test)
    _ = try? CountdownTask.loadJSONL(scratch, split: .train)
    return 0
}
