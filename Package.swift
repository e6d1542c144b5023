// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode (strict concurrency) is the default of tools 6.1.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Ballast",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BallastCore", targets: ["BallastCore"]),
        .library(name: "BallastRisk", targets: ["BallastRisk"]),
        .library(name: "BallastIO", targets: ["BallastIO"]),
        .executable(name: "ballast", targets: ["ballast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .target(
            name: "BallastCore",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastRisk",
            dependencies: ["BallastCore", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastIO",
            dependencies: ["BallastCore", "BallastPresets"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastPresets",
            path: "Presets",
            exclude: ["README.md"],
            resources: [.copy("margin"), .copy("collateral"), .copy("options"), .copy("health"), .copy("portfolio")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ballast",
            dependencies: ["BallastIO", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastCoreTests",
            dependencies: ["BallastCore", .product(name: "RealModule", package: "swift-numerics")],
            exclude: ["Fixtures/make_black76_fixture.py", "Fixtures/README.md"],
            resources: [.copy("Fixtures/black76_quantlib.json")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastRiskTests",
            dependencies: ["BallastCore", "BallastRisk", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastIOTests",
            dependencies: ["BallastCore", "BallastIO", "BallastPresets"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSettings
        ),
    ]
)
