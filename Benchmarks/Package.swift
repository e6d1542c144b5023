// swift-tools-version: 6.1
// A nested package so that the root `swift build` / `swift test` never compiles the benchmark plugin, its tools or
// the malloc interposer. Run from this folder: `swift package --disable-sandbox benchmark` (see README.md).
import PackageDescription

// SwiftPM names a path dependency after its folder ("main" in a checkout at /work/main, "ballast" in a clone named so),
// not after its manifest's `name`, so take the root package's identity from the folder above this one.
let ballastIdentity = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "ballast").lowercased()

/// A benchmark executable in `Benchmarks/<name>` linking the Ballast libraries `libraries`.
func benchmarkTarget(_ name: String, _ libraries: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark")] + libraries.map { .product(name: $0, package: ballastIdentity) },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "BallastBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        // MallocInterposer only: the default RuntimeInterposer trait pulls a package the local mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmarkTarget("MarginBenchmarks", ["BallastCore"]),
        benchmarkTarget("EngineBenchmarks", ["BallastCore", "BallastEngine", "BallastIO", "BallastStore"]),
        benchmarkTarget("ReadBenchmarks", ["BallastCore", "BallastEngine", "BallastIO"]),
    ]
)
