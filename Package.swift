// swift-tools-version:6.1
import PackageDescription

// PonderModel's kernels are Swift SIMD. Swift takes its instruction set from the Clang target,
// and the x86_64 default (SSE2, no FMA) turns `addProduct` into a libm call per lane: build
// for x86-64-v3 (AVX2 + FMA, every x86 server since 2015). Arm64 needs nothing (NEON is base).
// PONDER_MARCH overrides the level (`PONDER_MARCH=native swift build -c release`).
#if arch(x86_64)
import Foundation
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=" + (ProcessInfo.processInfo.environment["PONDER_MARCH"] ?? "x86-64-v3")]),
]
#else
let kernelSettings: [SwiftSetting] = []
#endif

/// Ponder: a Swift research lab for test-time compute.
///
/// Layers (a lower layer never imports a higher one):
/// `ponder` → PonderCLI → Ponder → PonderLab → PonderTrain / PonderSearch → PonderTasks → PonderModel → CBLAS, CGSL.
let package = Package(
    name: "Ponder",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Ponder", targets: ["Ponder"]),
        // The model layer alone (engine, tokenizer, kernels), for Benchmarks/ and light clients.
        .library(name: "PonderModel", targets: ["PonderModel"]),
        // The `ponder` commands as a library: `PonderCLI.main(strategies:tasks:)` runs them with
        // a user's own strategies and tasks (see Examples/CustomPuzzle).
        .library(name: "PonderCLI", targets: ["PonderCLI"]),
        .executable(name: "ponder", targets: ["ponder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries. The shims include <cblas.h> first and then mark GSL's own CBLAS
        // header as seen, so both modules agree on the CBLAS enums (see DESIGN.md).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "openblas",
                       providers: [.apt(["libgsl-dev"])]),
        // The model layer; the worker pool uses the Synchronization module (macOS 15).
        .target(name: "PonderModel", dependencies: ["CBLAS"], swiftSettings: kernelSettings),
        // Problems, prompts, verifiers and rewards. Depends on PonderModel only for SeededRNG.
        .target(name: "PonderTasks", dependencies: ["PonderModel"]),
        // The decoding layer: Policy, ComputeLedger, Budget, strategies. Sees the model only
        // through Policy; takes the task's pieces as hooks, so it does not import PonderTasks.
        .target(name: "PonderSearch", dependencies: ["PonderModel"]),
        // Experiments: configs, the trial runner over tasks and strategies, store, reports.
        // Backward passes, AdamW, SFT, tokenizers and value heads for the models Ponder trains.
        .target(name: "PonderTrain", dependencies: [
            "PonderModel", "PonderTasks", "PonderSearch", "CBLAS",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "PonderLab", dependencies: [
            "PonderModel", "PonderTasks", "PonderSearch", "CGSL",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Ponder", dependencies: ["PonderModel", "PonderTasks", "PonderSearch", "PonderTrain", "PonderLab"]),
        .target(name: "PonderCLI", dependencies: [
            "Ponder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ponder", dependencies: ["PonderCLI"]),
        // Library examples: a user-written strategy registered by name, and budget curves.
        .executableTarget(name: "ponder-example-self-consistency", dependencies: ["Ponder"],
                          path: "Examples/SelfConsistency"),
        .executableTarget(name: "ponder-example-budget-curves", dependencies: ["Ponder"],
                          path: "Examples/BudgetCurves"),
        // A user's own `ponder`: a strategy and a task from outside the package, run from YAML.
        .executableTarget(name: "ponder-example-custom-puzzle", dependencies: ["Ponder", "PonderCLI"],
                          path: "Examples/CustomPuzzle", exclude: ["custom-puzzle.yaml"]),
        .testTarget(name: "PonderModelTests", dependencies: ["PonderModel"]),
        .testTarget(name: "PonderTasksTests", dependencies: ["PonderTasks"]),
        .testTarget(name: "PonderTrainTests", dependencies: ["PonderTrain", "PonderSearch"]),
        // A tiny writer that the store's crash test kills with SIGKILL mid-run.
        .executableTarget(name: "ponder-lab-crash-writer", dependencies: ["PonderLab"],
                          path: "Tests/Helpers/CrashWriter"),
        .testTarget(name: "PonderLabTests", dependencies: ["PonderLab", "PonderSearch", "PonderTasks", "PonderTrain",
                                                    "ponder-lab-crash-writer"]),
        .testTarget(name: "PonderSearchTests", dependencies: ["PonderSearch"]),
        // The umbrella module as a library user imports it (names that must not clash).
        .testTarget(name: "PonderTests", dependencies: ["Ponder"]),
        // End-to-end runs of the built `ponder` binary (run, kill and resume, shards, rejection
        // sampling) and of the custom-puzzle example on fixture checkpoints.
        .testTarget(name: "PonderCLITests", dependencies: ["Ponder", "ponder", "ponder-example-custom-puzzle"]),
    ],
    swiftLanguageModes: [.v6]
)
