// The umbrella module: `import Ponder` brings in every layer a library user needs.
@_exported import PonderModel
@_exported import PonderTasks
@_exported import PonderSearch
@_exported import PonderTrain
@_exported import PonderLab
