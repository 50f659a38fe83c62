// A user's own `ponder`: every command of the built-in one, plus a strategy and a task written
// outside the package (FirstAnswer.swift, DigitSumTask.swift), usable by name from YAML:
//
//   swift run ponder-example-custom-puzzle run Examples/CustomPuzzle/custom-puzzle.yaml
//   swift run ponder-example-custom-puzzle tasks sample --task digit-sum --n 2
import PonderCLI

PonderCLI.main(strategies: [FirstAnswer.descriptor], tasks: [DigitSumTask.descriptor])
