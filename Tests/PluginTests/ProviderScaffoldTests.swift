import ProviderScaffold
import Testing

/// The scaffold's files and edits, without running the plugin.
@Suite("new-provider scaffold")
struct ProviderScaffoldTests {
    static let manifest = """
        let providers: [ProviderModule] = [
            ProviderModule("Memory"),
            ProviderModule("Route53", uses: [crypto]),
            // `swift package new-provider` adds new providers above this line.
        ]
        """

    @Test("names are UpperCamelCase identifiers, and not providers the package has", arguments: ["Acme", "DigitalOcean", "Gandi5"])
    func goodNames(name: String) throws {
        let scaffold = try ProviderScaffold(name: name)
        #expect(scaffold.configKey == name.lowercased())
        #expect(scaffold.targetName == "\(name)Provider")
    }

    @Test("bad names are refused with the reason", arguments: ["acme", "Digital-Ocean", "", "Ünicode", "Route53", "A B", "AcmeProvider", "AcmePlugin"])
    func badNames(name: String) {
        #expect(throws: ScaffoldError.self) { try ProviderScaffold(name: name) }
    }

    @Test("Package.swift gains one line in the providers list, above the marker")
    func manifestEdit() throws {
        let edited = try ProviderScaffold(name: "Acme").editingManifest(Self.manifest)
        #expect(
            edited == """
                let providers: [ProviderModule] = [
                    ProviderModule("Memory"),
                    ProviderModule("Route53", uses: [crypto]),
                    ProviderModule("Acme"),
                    // `swift package new-provider` adds new providers above this line.
                ]
                """)
        #expect(throws: ScaffoldError("Package.swift already lists the provider Acme")) {
            try ProviderScaffold(name: "Acme").editingManifest(edited)
        }
        #expect(throws: ScaffoldError.self) { try ProviderScaffold(name: "Acme").editingManifest("let package = Package()") }
    }

    @Test("the generated registry imports each provider module and registers its <Folder>Plugin")
    func registry() throws {
        let source = try RegistrySource.make(modules: ["Route53Provider", "AcmeProvider"])
        #expect(source.contains("import AcmeProvider\nimport DNS01\nimport Route53Provider\n"))
        #expect(source.contains("        registry.register(AcmePlugin())\n        registry.register(Route53Plugin())\n"))
        #expect(throws: ScaffoldError.self) { try RegistrySource.make(modules: ["Provider"]) }
    }

    @Test("the files are the provider's folder and its test file, by job, with every placeholder filled")
    func files() throws {
        let files = try ProviderScaffold(name: "Acme").files
        #expect(
            files.map(\.path) == [
                "Sources/Providers/Acme/AcmePlugin.swift", "Sources/Providers/Acme/AcmePlugin+Descriptor.swift",
                "Sources/Providers/Acme/AcmeConfiguration.swift", "Sources/Providers/Acme/AcmeDNSProvider.swift",
                "Sources/Providers/Acme/Client/AcmeClient.swift", "Tests/AcmeProviderTests/AcmeProviderTests.swift",
            ])
        #expect(files.allSatisfy { !$0.contents.contains("__NAME__") && !$0.contents.contains("__KEY__") })
        #expect(files[1].contents.contains("name: \"acme\""))
        #expect(files[5].contents.contains("ProviderContract.allCases"))
        #expect(files[5].contents.contains("acme_emulator.py"))
    }
}
