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
        .library(name: "BallastEngine", targets: ["BallastEngine"]),
        .library(name: "BallastStore", targets: ["BallastStore"]),
        .library(name: "BallastServer", targets: ["BallastServer"]),
        .executable(name: "ballast", targets: ["ballast"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The service: HTTP and WebSocket (Hummingbird without its swift-configuration trait), templates, metrics,
        // key hashing (swift-crypto is already built for postgres-nio's SCRAM authentication).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "BallastCore",
            dependencies: ["BallastPrefetch", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastRisk",
            dependencies: ["BallastCore", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastIO",
            dependencies: ["BallastCore", "BallastEngine", "BallastStore", "BallastPresets"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastPresets",
            path: "Presets",
            exclude: ["README.md"],
            resources: [.copy("margin"), .copy("collateral"), .copy("options"), .copy("health"), .copy("portfolio")],
            swiftSettings: strictSettings
        ),
        .target(name: "BallastPrefetch"),
        .target(
            name: "BallastEngine",
            dependencies: ["BallastCore", "BallastPrefetch"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastStore",
            dependencies: [
                "BallastEngine",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "BallastServer",
            dependencies: [
                "BallastCore", "BallastEngine", "BallastStore", "BallastIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ballast",
            dependencies: ["BallastIO", "BallastServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
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
            // "ballast": the crash test runs the executable, so it must be built with the tests.
            dependencies: ["BallastCore", "BallastEngine", "BallastStore", "BallastIO", "BallastPresets", "ballast"],
            exclude: ["Fixtures"],
            resources: [.copy("Vectors")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastEngineTests",
            dependencies: ["BallastCore", "BallastEngine", "BallastStore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastServerTests",
            // "ballast": the shutdown test runs the executable (SIGTERM), so it must be built with the tests.
            dependencies: ["BallastCore", "BallastEngine", "BallastStore", "BallastIO", "BallastServer", "ballast",
                           .product(name: "WSClient", package: "swift-websocket"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOWebSocket", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BallastStoreTests",
            dependencies: ["BallastEngine", "BallastStore"],
            swiftSettings: strictSettings
        ),
    ]
)
