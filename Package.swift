// swift-tools-version:6.1
import PackageDescription

/// Ponder: a Swift research lab for test-time compute.
///
/// Layers (a lower layer never imports a higher one):
/// `ponder` CLI → PonderLab → PonderTrain / PonderSearch → PonderTasks → PonderModel → CBLAS, CGSL.
let package = Package(
    name: "Ponder",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Ponder", targets: ["Ponder"]),
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
        .target(name: "PonderModel", dependencies: ["CBLAS"]),
        // Problems, prompts, verifiers and rewards. Depends on PonderModel only for SeededRNG.
        .target(name: "PonderTasks", dependencies: ["PonderModel"]),
        // Backward passes, AdamW, SFT, tokenizers and value heads for the models Ponder trains.
        .target(name: "PonderTrain", dependencies: [
            "PonderModel", "PonderTasks", "CBLAS",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "PonderLab", dependencies: [
            "PonderModel", "CGSL",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Ponder", dependencies: ["PonderModel", "PonderTasks", "PonderTrain", "PonderLab"]),
        .executableTarget(name: "ponder", dependencies: [
            "Ponder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "PonderModelTests", dependencies: ["PonderModel"]),
        .testTarget(name: "PonderTasksTests", dependencies: ["PonderTasks"]),
        .testTarget(name: "PonderTrainTests", dependencies: ["PonderTrain"]),
        // A tiny writer that the store's crash test kills with SIGKILL mid-run.
        .executableTarget(name: "ponder-lab-crash-writer", dependencies: ["PonderLab"],
                          path: "Tests/Helpers/CrashWriter"),
        .testTarget(name: "PonderLabTests", dependencies: ["PonderLab", "ponder-lab-crash-writer"]),
    ],
    swiftLanguageModes: [.v6]
)
