// The `ponder` executable: the command line of `PonderCLI` with the built-in strategies and tasks.
import PonderCLI

PonderCLI.main()
