import ProviderScaffold
import Testing

/// The scaffold's files and edits, without running the plugin.
@Suite("new-provider scaffold")
struct ProviderScaffoldTests {
    static let manifest = """
        let package = Package(
            targets: [
                .target(name: "MemoryProvider", path: "Sources/Providers/Memory"),
                // `swift package new-provider` inserts provider targets above this line.
                .target(
                    name: "BuiltinProviders",
                    dependencies: ["DNS01", "MemoryProvider"],
                    swiftSettings: strict
                ),
                .testTarget(name: "DNS01Tests"),
                // `swift package new-provider` inserts provider test targets above this line.
            ]
        )
        """

    static let registration = """
        import DNS01
        import MemoryProvider

        extension ProviderRegistry {
            public static func builtIn() -> ProviderRegistry {
                var registry = ProviderRegistry()
                registry.register(MemoryProviderPlugin())
                return registry
            }
        }
        """

    @Test("names are UpperCamelCase identifiers, and not providers the package has", arguments: ["Acme", "DigitalOcean", "Gandi5"])
    func goodNames(name: String) throws {
        let scaffold = try ProviderScaffold(name: name)
        #expect(scaffold.configKey == name.lowercased())
        #expect(scaffold.targetName == "\(name)Provider")
    }

    @Test("bad names are refused with the reason", arguments: ["acme", "Digital-Ocean", "", "Ünicode", "Route53", "A B"])
    func badNames(name: String) {
        #expect(throws: ScaffoldError.self) { try ProviderScaffold(name: name) }
    }

    @Test("Package.swift gains the target, the test target and the BuiltinProviders dependency")
    func manifestEdit() throws {
        let edited = try ProviderScaffold(name: "Acme").editingManifest(Self.manifest)
        #expect(edited == """
            let package = Package(
                targets: [
                    .target(name: "MemoryProvider", path: "Sources/Providers/Memory"),
                    .target(
                        name: "AcmeProvider",
                        dependencies: ["DNS01", "ProviderKit"],
                        path: "Sources/Providers/Acme",
                        swiftSettings: strict
                    ),
                    // `swift package new-provider` inserts provider targets above this line.
                    .target(
                        name: "BuiltinProviders",
                        dependencies: ["DNS01", "MemoryProvider", "AcmeProvider"],
                        swiftSettings: strict
                    ),
                    .testTarget(name: "DNS01Tests"),
                    .testTarget(
                        name: "AcmeProviderTests",
                        dependencies: ["AcmeProvider", "DNS01", .product(name: "Logging", package: "swift-log")],
                        swiftSettings: strict
                    ),
                    // `swift package new-provider` inserts provider test targets above this line.
                ]
            )
            """)
        #expect(throws: ScaffoldError("Package.swift already has a target named AcmeProvider")) {
            try ProviderScaffold(name: "Acme").editingManifest(edited)
        }
        #expect(throws: ScaffoldError.self) { try ProviderScaffold(name: "Acme").editingManifest("let package = Package()") }
    }

    @Test("BuiltinProviders.swift gains the import, kept sorted, and the one register line")
    func registrationEdit() throws {
        let edited = try ProviderScaffold(name: "Acme").editingRegistration(Self.registration)
        #expect(edited == """
            import AcmeProvider
            import DNS01
            import MemoryProvider

            extension ProviderRegistry {
                public static func builtIn() -> ProviderRegistry {
                    var registry = ProviderRegistry()
                    registry.register(MemoryProviderPlugin())
                    registry.register(AcmeProviderPlugin())
                    return registry
                }
            }
            """)
        #expect(throws: ScaffoldError("BuiltinProviders.swift already registers AcmeProviderPlugin")) {
            try ProviderScaffold(name: "Acme").editingRegistration(edited)
        }
    }

    @Test("the files are the provider's folder and its test file, with every placeholder filled")
    func files() throws {
        let files = try ProviderScaffold(name: "Acme").files
        #expect(files.map(\.path) == [
            "Sources/Providers/Acme/AcmeConfiguration.swift", "Sources/Providers/Acme/AcmeProviderPlugin.swift",
            "Sources/Providers/Acme/AcmeProvider.swift", "Sources/Providers/Acme/AcmeClient.swift",
            "Tests/AcmeProviderTests/AcmeProviderTests.swift",
        ])
        #expect(files.allSatisfy { !$0.contents.contains("__") })
        #expect(files[1].contents.contains("public let name = \"acme\""))
        #expect(files[4].contents.contains("(fails until AcmeClient is written)"))
    }
}
