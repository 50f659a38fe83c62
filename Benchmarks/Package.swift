// swift-tools-version:6.1
import PackageDescription

/// Ponder's regression benchmarks (ordo-one/benchmark), kept apart from the root package so
/// that `swift test` there never builds them. Run from this directory:
///
///     swift package benchmark                       # run and print
///     swift package benchmark baseline update main  # record a baseline
///     swift package benchmark baseline check main   # compare against it
///
/// `ponder bench` is the one-shot report against the machine's limits; these track changes.
let package = Package(
    name: "PonderBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Ponder", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PonderModel", package: "Ponder"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LabBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Ponder", package: "Ponder"),
            ],
            path: "Benchmarks/LabBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
