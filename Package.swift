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
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/dns01-webhook/Link/hot-functions.order",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-Xlinker", "-T\(Context.packageDirectory)/Sources/dns01-webhook/Link/private-functions.ld",
        ], .when(platforms: [.linux], configuration: .release))
]

/// A provider plugin: one folder, `Sources/Providers/<folder>`, a library `<folder>Provider`
/// whose `ProviderPlugin` is `<folder>Plugin`, tests in `Tests/<folder>ProviderTests`
/// (docs/providers.md). **Adding a provider is one entry in `providers`**: its targets are made
/// here, and `ProviderRegistry.builtIn()` is generated from this list by the
/// ProviderRegistryGenerator build plugin. `swift package new-provider <Name>` writes the entry.
struct ProviderModule {
    let folder: String
    let dependencies: [Target.Dependency]
    let testDependencies: [Target.Dependency]
    let hasTests: Bool

    init(_ folder: String, uses dependencies: [Target.Dependency] = [], testsUse testDependencies: [Target.Dependency] = [], hasTests: Bool = true) {
        self.folder = folder
        self.dependencies = dependencies
        self.testDependencies = testDependencies
        self.hasTests = hasTests
    }

    var module: String { "\(folder)Provider" }

    var targets: [Target] {
        var targets: [Target] = [
            .target(
                name: module,
                dependencies: ["DNS01", "ProviderKit", .product(name: "Logging", package: "swift-log")] + dependencies,
                path: "Sources/Providers/\(folder)",
                swiftSettings: strict
            )
        ]
        if hasTests {
            targets.append(
                .testTarget(
                    name: "\(module)Tests",
                    dependencies: [.target(name: module), "DNS01", "ProviderKit", "TestSupport", .product(name: "Logging", package: "swift-log")] + testDependencies,
                    swiftSettings: strict
                ))
        }
        return targets
    }
}

let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")

let providers: [ProviderModule] = [
    ProviderModule("Memory"),
    ProviderModule("Route53", uses: [crypto], testsUse: ["Route53Emulator", crypto]),
    ProviderModule("AliDNS", uses: [crypto]),
    ProviderModule("RFC2136", uses: ["DNSWire", "DNSClient"], testsUse: ["DNSWire", "DNSClient"]),
    ProviderModule("HTTP", uses: ["DNSClient", asyncHTTPClient, nioSSL], testsUse: [asyncHTTPClient, nioSSL]),
    ProviderModule("Exec", uses: ["DNSClient", .product(name: "Subprocess", package: "swift-subprocess")]),
    ProviderModule("DNSPod", uses: [crypto], testsUse: ["ConfigLoading", crypto]),
    ProviderModule("HuaweiCloud", uses: [crypto], testsUse: ["ConfigLoading", crypto]),
    ProviderModule("Hetzner", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("Gandi", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("PDNS", uses: [crypto, asyncHTTPClient, nioSSL], testsUse: ["ConfigLoading", "DNSClient"]),
    ProviderModule("OVH", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("Cloudflare", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("DigitalOcean", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("Akamai", uses: [crypto], testsUse: ["ConfigLoading"]),
    ProviderModule("AcmeDNS", testsUse: ["ConfigLoading"]),
    ProviderModule("CloudDNS", uses: [crypto, .product(name: "_CryptoExtras", package: "swift-crypto")], testsUse: ["ConfigLoading", crypto]),
    ProviderModule("AzureDNS", uses: [crypto], testsUse: ["ConfigLoading", asyncHTTPClient, nioSSL]),
    ProviderModule("AcmeSh", uses: ["ExecProvider", crypto], testsUse: ["ConfigLoading", "WebhookSetup", "Kubernetes", "DNSClient"]),
    // `swift package new-provider` adds new providers above this line.
]

// MARK: Fuzzing (Tests/Fuzz/README.md)
// One executable per libFuzzer target (Tests/Fuzz/<name>/). scripts/fuzz builds them with
// coverage, ASan, libFuzzer and -DFUZZING; in a normal build each replays its corpus.
let fuzzTargets: [Target] =
    [
        .target(name: "CLibFuzzer", path: "Tests/Fuzz/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Tests/Fuzz/FuzzSupport", swiftSettings: strict),
    ]
    + ([
        ("fuzz-payload", ["ChallengeAPI", .product(name: "NIOCore", package: "swift-nio")]),
        ("fuzz-config", ["ConfigLoading", "BuiltinProviders"]),
        ("fuzz-dns-message", ["DNSWire"]),
        ("fuzz-route53-xml", ["Route53Provider"]),
    ] as [(String, [Target.Dependency])]).map { name, dependencies in
        .executableTarget(name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Tests/Fuzz/\(name)", swiftSettings: strict)
    }

let package = Package(
    name: "dns01-webhook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dns01-webhook", targets: ["dns01-webhook"]),
        .library(name: "DNS01", targets: ["DNS01"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", exact: "1.0.2"),
    ],
    targets: [
        // MARK: Plugin SDK and shared pieces
        .target(
            name: "DNS01",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Docs pages and the config JSON Schema, generated from the providers' descriptors.
        .target(name: "ProviderDocs", dependencies: ["DNS01"], swiftSettings: strict),
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

        // MARK: The server: Kubernetes access, the aggregated API server and the challenge API on it
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
                // kubeconfig exec credential plugins
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict
        ),
        // The record-name lock of `serve`: Kubernetes Leases (DNS01's RecordNameLock).
        .target(
            name: "KubernetesLeases",
            dependencies: [
                "DNS01", "Kubernetes", "ProviderKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AggregatedAPIServer",
            dependencies: [
                "Kubernetes", "ProviderKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
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
        // cert-manager's webhook-solver API on top of it: the ChallengePayload endpoint, calling the dispatcher.
        .target(
            name: "ChallengeAPI",
            dependencies: [
                "AggregatedAPIServer", "DNS01", "Kubernetes",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // How the process sets itself up, the same for `serve` and the CLI: logging and the dispatcher.
        .target(
            name: "WebhookSetup",
            dependencies: [
                "AggregatedAPIServer", "ConfigLoading", "DNS01", "Kubernetes", "KubernetesLeases",
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
            dependencies: ["DNS01"] + providers.map { .target(name: $0.module) },
            swiftSettings: strict,
            plugins: ["ProviderRegistryGenerator"]
        ),
        .executableTarget(
            name: "dns01-webhook",
            dependencies: [
                "DNS01", "ConfigLoading", "SolverCheck", "BuiltinProviders", "Kubernetes", "AggregatedAPIServer", "ChallengeAPI", "WebhookSetup", "ProviderDocs",
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
                "DNS01", "ProviderKit", "Route53Emulator", "FailureScenarios", "Kubernetes", "KubernetesLeases", "WebhookSetup",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The serve benchmark: a load generator and a bare SwiftNIO TLS server as the baseline.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ] + providers.map { .target(name: $0.module) },
            swiftSettings: strict
        ),

        // MARK: Package plugins for provider authors (docs/providers.md)
        .plugin(
            name: "NewProvider",
            capability: .command(
                intent: .custom(verb: "new-provider", description: "Scaffold Sources/Providers/<Name>, its tests and its line in Package.swift's providers list."),
                permissions: [.writeToPackageDirectory(reason: "writes the new provider's folder, its test file, and its line in Package.swift's providers list")]
            ),
            dependencies: ["provider-scaffold"]
        ),
        .executableTarget(name: "provider-scaffold", dependencies: ["ProviderScaffold"], path: "Plugins/Tools/provider-scaffold", swiftSettings: strict),
        .target(name: "ProviderScaffold", path: "Plugins/Tools/ProviderScaffold", swiftSettings: strict),
        .plugin(
            name: "ProviderRegistryGenerator",
            capability: .buildTool(),
            dependencies: ["provider-scaffold"]
        ),
        .plugin(
            name: "SolverCheckPlugin",
            capability: .command(intent: .custom(verb: "solver-check", description: "Build dns01-webhook and run its check command with these arguments."))
        ),

        // MARK: Tests
        // Shared by the test targets: starting peers (moto, the emulators, Knot, the CLI) and the
        // provider contract suite every provider runs.
        .target(
            name: "TestSupport",
            dependencies: ["DNS01", "ProviderKit", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "DNS01Tests", dependencies: ["DNS01", "MemoryProvider", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ConfigLoadingTests", dependencies: ["ConfigLoading", "DNS01"], swiftSettings: strict),
        .testTarget(
            name: "ProviderKitTests",
            dependencies: [
                "ProviderKit", "DNS01", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ProviderDocsTests", dependencies: ["ProviderDocs", "BuiltinProviders", "ConfigLoading", "DNS01", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire", "DNSClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "ServerTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KubernetesTests",
            dependencies: ["Kubernetes", "KubernetesLeases", "WebhookSetup", "DNS01", "TestSupport"],
            swiftSettings: strict
        ),
        // What both server test targets share: an in-process server built as `serve` builds it,
        // HTTPS and raw-TLS clients.
        .target(
            name: "ServerTestSupport",
            dependencies: [
                "AggregatedAPIServer", "ChallengeAPI", "WebhookSetup", "Kubernetes", "DNS01", "MemoryProvider", "ExecProvider", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ServerTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "AggregatedAPIServerTests",
            dependencies: [
                "AggregatedAPIServer", "ServerTestSupport", "Kubernetes", "DNS01", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ChallengeAPITests",
            dependencies: [
                "ChallengeAPI", "AggregatedAPIServer", "ServerTestSupport", "DNS01", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "PluginTests", dependencies: ["ProviderScaffold", "TestSupport"], swiftSettings: strict),
    ]
        + providers.flatMap(\.targets)
        // A model of real Route53 (paging, change rules, throttling), for the tests and dns01-bench.
        + [.target(name: "Route53Emulator", dependencies: ["ProviderKit", "Route53Provider"], path: "Sources/Emulators/Route53", swiftSettings: strict)]
        // Provider endpoints that fail (refused, unknown host, black hole, TLS, 401), for
        // `dns01-bench failures` and FailFastTests.
        + [
            .target(
                name: "FailureScenarios",
                dependencies: [
                    "DNS01", "ProviderKit",
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "NIOCore", package: "swift-nio"),
                    .product(name: "NIOPosix", package: "swift-nio"),
                    .product(name: "NIOHTTP1", package: "swift-nio"),
                ]
                    + ["Route53", "AliDNS", "HTTP", "Cloudflare", "DigitalOcean", "Hetzner", "Gandi", "DNSPod", "HuaweiCloud", "OVH", "Akamai", "PDNS", "AcmeDNS"]
                    .map { .target(name: "\($0)Provider") },
                path: "Sources/Emulators/FailureScenarios", swiftSettings: strict),
            .testTarget(name: "FailFastTests", dependencies: ["FailureScenarios", "DNS01", "ProviderKit", "SolverCheck"], swiftSettings: strict),
        ]
        + fuzzTargets
)
