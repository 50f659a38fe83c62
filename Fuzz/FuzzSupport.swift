// Compiled into every fuzz target by Fuzz/run.sh: the one rule the targets share.
import Foundation

/// `FUZZ_CHECK_FILE_NAMES=1`: a thrown error whose description does not name the file it
/// came from is a finding (a corrupt file must always get a typed error naming the file).
private let checkFileNames = ProcessInfo.processInfo.environment["FUZZ_CHECK_FILE_NAMES"] == "1"

/// Reports `error` as a finding when file-name checking is on and it does not name `file`.
func checkNames(_ error: any Error, _ file: String) {
    if checkFileNames && !String(describing: error).contains(file) { fatalError("error does not name \(file): \(error)") }
}
