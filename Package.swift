// swift-tools-version:6.2
import PackageDescription

// Every target of this package is compiled in Swift 6 mode (strict concurrency) and treats
// warnings as errors, so "no warnings" is enforced by the build rather than by review.
// NonisolatedNonsendingByDefault (SE-0461): a nonisolated async function runs on its caller's
// executor instead of hopping to the global one; the code has no actors, and the hop on every
// async call was a measurable share of a webhook request (README, Benchmarks).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .treatAllWarnings(as: .error),
]

// How the shipped binary is linked (release only; docs/memory.md says why and what each saves):
// lld, packed relative relocations (DT_RELR: glibc >= 2.36 at run time), no dynamic symbol
// table for the program's own symbols, and the functions `serve` runs placed together
// (Link/hot-functions.order, from scripts/generate-order-file, a stale list is harmless; and
// Link/private-functions.ld for the functions that have no symbol to order by).
let webhookLinkerSettings: [LinkerSetting] = [
    .unsafeFlags([
        "-use-ld=lld",
        "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        "-Xlinker", "--no-export-dynamic",
        "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/dns01-webhook/Link/hot-functions.order",
        "-Xlinker", "--no-warn-symbol-ordering",
        "-Xlinker", "-T\(Context.packageDirectory)/Sources/dns01-webhook/Link/private-functions.ld",
    ], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "dns01-webhook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dns01-webhook", targets: ["dns01-webhook"]),
        .library(name: "DNS01", targets: ["DNS01"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
    ],
    targets: [
        // MARK: Plugin SDK and shared pieces
        .target(
            name: "DNS01",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "ConfigLoading",
            dependencies: ["DNS01", "Yams"],
            swiftSettings: strict
        ),
        .target(name: "DNSWire", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .target(
            name: "DNSClient",
            dependencies: [
                "DNSWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "ProviderKit",
            dependencies: [
                "DNS01",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),

        // MARK: Provider plugins (one folder each)
        .target(
            name: "MemoryProvider",
            dependencies: ["DNS01"],
            path: "Sources/Providers/Memory",
            swiftSettings: strict
        ),
        .target(
            name: "AliDNSProvider",
            dependencies: [
                "DNS01", "ProviderKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Providers/AliDNS",
            swiftSettings: strict
        ),
        .target(
            name: "Route53Provider",
            dependencies: [
                "DNS01", "ProviderKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Providers/Route53",
            swiftSettings: strict
        ),
        .target(
            name: "ExecProvider",
            dependencies: ["DNS01", "DNSClient", .product(name: "Subprocess", package: "swift-subprocess")],
            path: "Sources/Providers/Exec",
            swiftSettings: strict
        ),
        .target(
            name: "HTTPProvider",
            dependencies: [
                "DNS01", "DNSClient", "ProviderKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Sources/Providers/HTTP",
            swiftSettings: strict
        ),
        .target(
            name: "RFC2136Provider",
            dependencies: ["DNS01", "DNSWire", "DNSClient"],
            path: "Sources/Providers/RFC2136",
            swiftSettings: strict
        ),
        // `swift package new-provider` inserts provider targets above this line.

        // MARK: The server: Kubernetes access and the aggregated API server
        .target(
            name: "Kubernetes",
            dependencies: [
                "DNS01", "Yams",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WebhookServer",
            dependencies: [
                "DNS01", "Kubernetes", "ProviderKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: The standalone solver test and the CLI
        .target(
            name: "SolverCheck",
            dependencies: ["DNS01", "DNSClient"],
            swiftSettings: strict
        ),
        .target(
            name: "BuiltinProviders",
            dependencies: ["DNS01", "MemoryProvider", "AliDNSProvider", "Route53Provider", "ExecProvider", "HTTPProvider", "RFC2136Provider"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "dns01-webhook",
            dependencies: [
                "DNS01", "ConfigLoading", "SolverCheck", "BuiltinProviders", "Kubernetes", "WebhookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Link"],
            swiftSettings: strict,
            linkerSettings: webhookLinkerSettings
        ),

        .executableTarget(
            name: "dns01-bench",
            dependencies: [
                "DNS01", "ProviderKit", "AliDNSProvider", "Route53Provider", "Route53Emulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The serve benchmark: a load generator and a bare SwiftNIO TLS server as the baseline.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),

        // MARK: Package plugins for provider authors (docs/providers.md)
        .plugin(
            name: "NewProvider",
            capability: .command(
                intent: .custom(verb: "new-provider", description: "Scaffold Sources/Providers/<Name>, its tests and its registration."),
                permissions: [.writeToPackageDirectory(reason: "writes the new provider's folder, its test file, and its lines in Package.swift and BuiltinProviders.swift")]
            ),
            dependencies: ["provider-scaffold"]
        ),
        .executableTarget(name: "provider-scaffold", dependencies: ["ProviderScaffold"], path: "Plugins/Tools/provider-scaffold", swiftSettings: strict),
        .target(name: "ProviderScaffold", path: "Plugins/Tools/ProviderScaffold", swiftSettings: strict),
        .plugin(
            name: "SolverCheckPlugin",
            capability: .command(intent: .custom(verb: "solver-check", description: "Build dns01-webhook and run its check command with these arguments."))
        ),

        // MARK: Tests
        // Shared by the test targets: starting peers (moto, the AliDNS emulator, Knot, the CLI).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "DNS01Tests", dependencies: ["DNS01", "MemoryProvider", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ConfigLoadingTests", dependencies: ["ConfigLoading", "DNS01"], swiftSettings: strict),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "DNSClient", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "AliDNSProviderTests",
            dependencies: ["AliDNSProvider", "DNS01", "ProviderKit", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KubernetesTests",
            dependencies: ["Kubernetes", "DNS01", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WebhookServerTests",
            dependencies: [
                "WebhookServer", "Kubernetes", "DNS01", "MemoryProvider", "ExecProvider", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // A model of real Route53 (paging, change rules, throttling) for the tests and dns01-bench.
        .target(
            name: "Route53Emulator",
            dependencies: ["ProviderKit", "Route53Provider"],
            path: "Tests/Route53ProviderTests/Emulator",
            swiftSettings: strict
        ),
        .testTarget(
            name: "Route53ProviderTests",
            dependencies: [
                "Route53Provider", "Route53Emulator", "DNS01", "ProviderKit", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Emulator"],
            swiftSettings: strict
        ),
        .testTarget(name: "ExecProviderTests", dependencies: ["ExecProvider", "DNS01", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "HTTPProviderTests",
            dependencies: [
                "HTTPProvider", "DNS01", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RFC2136ProviderTests",
            dependencies: ["RFC2136Provider", "DNS01", "DNSWire", "DNSClient", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "PluginTests", dependencies: ["ProviderScaffold", "TestSupport"], swiftSettings: strict),
        // `swift package new-provider` inserts provider test targets above this line.
    ]
)
