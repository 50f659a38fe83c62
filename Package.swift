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
    ],
    targets: [
        // System libraries. The shims include <cblas.h> first and then mark GSL's own CBLAS
        // header as seen, so both modules agree on the CBLAS enums (see DESIGN.md).
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGSL", pkgConfig: "openblas",
                       providers: [.apt(["libgsl-dev"])]),
        .target(name: "PonderModel", dependencies: ["CBLAS"]),
        .target(name: "PonderSearch", dependencies: ["PonderModel"]),
        .target(name: "Ponder", dependencies: ["PonderModel", "PonderSearch"]),
        .executableTarget(name: "ponder", dependencies: [
            "Ponder",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Library examples: a user-written strategy registered by name, and budget curves.
        .executableTarget(name: "ponder-example-self-consistency", dependencies: ["Ponder"],
                          path: "Examples/SelfConsistency"),
        .executableTarget(name: "ponder-example-budget-curves", dependencies: ["Ponder"],
                          path: "Examples/BudgetCurves"),
        .testTarget(name: "PonderModelTests", dependencies: ["PonderModel"]),
        .testTarget(name: "PonderSearchTests", dependencies: ["PonderSearch"]),
    ],
    swiftLanguageModes: [.v6]
)
