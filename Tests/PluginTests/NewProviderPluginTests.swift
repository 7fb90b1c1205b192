import Foundation
import ProviderScaffold
import TestSupport
import Testing

/// `swift package new-provider` run for real in a copy of the package.
@Suite("new-provider command plugin", .serialized)
struct NewProviderPluginTests {
    /// Runs the plugin (SwiftPM resolves the copy, builds the plugin and its tool), then checks
    /// the manifest with SwiftPM itself and type-checks the new and edited code against this
    /// package's build. Why not `swift build` in the copy: a copy at another path rebuilds every
    /// dependency from cold, minutes on two cores; `FullScaffoldBuildTests` does that on request.
    @Test("the scaffold writes a provider that SwiftPM accepts and that compiles with its registration and test")
    func scaffoldCompiles() async throws {
        let copy = try PackageCopy()
        defer { copy.remove() }
        let run = try await copy.swift("package", ["--allow-writing-to-package-directory", "new-provider", "Acme"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("created  Sources/Providers/Acme/Client/AcmeClient.swift"))
        let sources = ["AcmePlugin", "AcmePlugin+Descriptor", "AcmeConfiguration", "AcmeDNSProvider", "Client/AcmeClient"]
        for file in sources {
            #expect(copy.exists("Sources/Providers/Acme/\(file).swift"))
        }
        #expect(copy.exists("Tests/AcmeProviderTests/AcmeProviderTests.swift"))

        // SwiftPM reads the edited manifest: the one line made both targets and the registration.
        let dump = try await copy.swift("package", ["dump-package"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let package = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let targets = try #require(package["targets"] as? [[String: Any]])
        func target(_ name: String) -> [String: Any]? { targets.first { $0["name"] as? String == name } }
        #expect(target("AcmeProvider")?["path"] as? String == "Sources/Providers/Acme")
        #expect(target("AcmeProviderTests")?["type"] as? String == "test")
        let builtinDependencies = "\(target("BuiltinProviders")?["dependencies"] ?? "")"
        #expect(builtinDependencies.contains("AcmeProvider"))

        // The generated module, the generated registry with it, and the generated test compile.
        let output = try makeTemporaryDirectory("scaffold-modules")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let checker = ModuleChecker()
        let module = try await checker.emitModule("AcmeProvider", files: sources.map { "\(copy.root)/Sources/Providers/Acme/\($0).swift" }, into: output)
        #expect(module.status == 0, "\(module.stderr)")
        let registryFile = "\(output)/ProviderRegistry+BuiltIn.swift"
        try RegistrySource.make(modules: ["AcmeProvider", "MemoryProvider", "Route53Provider"]).write(toFile: registryFile, atomically: true, encoding: .utf8)
        let registration = try await checker.typecheck([registryFile], searchPaths: [output])
        #expect(registration.status == 0, "\(registration.stderr)")
        let tests = try await checker.typecheck(["\(copy.root)/Tests/AcmeProviderTests/AcmeProviderTests.swift"], searchPaths: [output])
        #expect(tests.status == 0, "\(tests.stderr)")

        // A second run refuses to overwrite and leaves everything as it was.
        let manifest = try copy.read("Package.swift")
        let again = try await copy.swift("package", ["--allow-writing-to-package-directory", "new-provider", "Acme"])
        #expect(again.status != 0)
        #expect((again.stdout + again.stderr).contains("error: Sources/Providers/Acme already exists; not overwriting it"))
        #expect(try copy.read("Package.swift") == manifest)
    }

    @Test("the type-check really checks: a type error in generated code is reported")
    func checkerCatchesErrors() async throws {
        let directory = try makeTemporaryDirectory("checker")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "import DNS01\nlet name: DomainName = \"not a DomainName literal\"\n".write(toFile: "\(directory)/bad.swift", atomically: true, encoding: .utf8)
        let result = try await ModuleChecker().typecheck(["\(directory)/bad.swift"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("error:"))
    }
}

/// The whole path a contributor takes: scaffold in a copy, `swift test` there, and see the
/// generated contract test fail with its explanation while the config test passes. A cold
/// build of the copy takes minutes, so it runs only with DNS01_SCAFFOLD_FULL_BUILD=1.
@Suite(
    "new-provider, full build of the copy", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["DNS01_SCAFFOLD_FULL_BUILD"] == "1", "set DNS01_SCAFFOLD_FULL_BUILD=1 (cold build of a package copy, minutes)"))
struct FullScaffoldBuildTests {
    @Test("the generated tests run: the config test passes, the contract test fails saying the emulator and client are not written yet")
    func generatedTestsRun() async throws {
        let copy = try PackageCopy()
        defer { copy.remove() }
        let run = try await copy.swift("package", ["--allow-writing-to-package-directory", "new-provider", "Acme"])
        #expect(run.status == 0, "\(run.stderr)")
        let test = try await copy.swift("test", ["--filter", "AcmeProviderTests"])
        #expect(test.status != 0)
        #expect(test.stdout.contains("Test \"the config block decodes, a mistake names its field, an Issuer cannot redirect the endpoint\" passed"), "\(test.stdout)")
        #expect(test.stdout.contains("the acme provider is a scaffold: write Tests/Peers/acme_emulator.py"), "\(test.stdout)")
    }
}
