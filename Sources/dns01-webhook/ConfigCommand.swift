import ArgumentParser
import BuiltinProviders
import ConfigLoading
import DNS01
import Foundation
import ProviderDocs

/// `dns01-webhook config schema|validate|docs`: the config document's JSON Schema, an offline
/// check of a config file, and the providers' generated docs pages.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with config documents: print the JSON Schema, validate a file, generate provider docs.",
        subcommands: [Schema.self, Validate.self, Docs.self]
    )

    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the JSON Schema (draft 2020-12) of the whole config document.")

        func run() async throws {
            FileHandle.standardOutput.write(Data(ConfigSchema.make(registry: .builtIn()).utf8))
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a config document as the webhook would load it, without contacting anything.",
            discussion: "Exit status 0 when it is valid, 1 with the same message loading it would give."
        )

        @Option(help: "Config file (YAML or JSON), or - for standard input; an Issuer or ClusterIssuer manifest is reduced to its DNS-01 solver's config.")
        var config: String

        @Option(
            help: "Solver name the document is for: \"dispatch\" (routing table) or a provider name, whose block may be bare. Default: dispatch, or the solverName of an Issuer manifest."
        )
        var solver: String?

        @Flag(help: "Check it as an Issuer's webhook.config (endpoints and programs under the default Issuer policy) instead of the operator's own config.")
        var issuer = false

        func run() async throws {
            try await runReportingErrors {
                let registry = ProviderRegistry.builtIn()
                let loaded = try CLIConfig.load(path: config, requestedSolver: solver, registry: registry)
                let summary = try Self.validate(loaded.document, solver: loaded.solver, asIssuer: issuer, registry: registry, source: loaded.source)
                writeLine("\(loaded.source): valid (\(summary))")
            }
        }

        /// Decodes `document` exactly as `serve`, the CLI or an Issuer's challenge would.
        static func validate(_ document: ConfigValue, solver: String, asIssuer: Bool, registry: ProviderRegistry, source: String = "the config") throws -> String {
            guard solver == ChallengeDispatcher.dispatchSolverName || registry.contains(solver) else {
                throw DNS01Error(.unknownSolver, "solver \"\(solver)\" is not served; served solvers: \(([ChallengeDispatcher.dispatchSolverName] + registry.pluginNames).joined(separator: ", "))")
            }
            if asIssuer {
                let table: RoutingTable
                if solver == ChallengeDispatcher.dispatchSolverName {
                    table = try RoutingTable.decode(document, registry: registry, source: .issuerConfig())
                } else {
                    let (block, path) = try RoutingTable.providerBlock(document, forSolver: solver, registry: registry)
                    table = try RoutingTable.single(registry.bind(solver, block: block, at: path, source: .issuerConfig()), origin: .issuerConfig)
                }
                return describe(table)
            }
            let dispatcher = try ChallengeDispatcher(
                registry: registry,
                defaultConfig: RoutingTable.document(document, forSolver: solver, registry: registry),
                secrets: NoSecretSource(reason: "validate reads no Secrets"),
                logger: .init(label: "validate"),
                environment: [:]
            )
            try CLIConfig.requireBlock(forSolver: solver, in: dispatcher.defaultTable, source: source, registry: registry)
            guard let table = dispatcher.defaultTable else { return "no default table" }
            return describe(table)
        }

        static func describe(_ table: RoutingTable) -> String {
            let entries = table.bindings
            return entries.count == 1 ? "one \(entries[0].pluginName) entry" : "\(entries.count) entries: " + entries.map(\.pluginName).joined(separator: ", ")
        }
    }

    struct Docs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write docs/providers/<name>.md for every provider, and their index, from the descriptors.")

        @Argument(help: "The folder to write (docs/providers).")
        var folder: String

        @Flag(help: "Write nothing; exit 1 if any file differs from what would be written (for CI).")
        var check = false

        func run() async throws {
            let registry = ProviderRegistry.builtIn()
            var files = registry.descriptors.map { ("\($0.name).md", ProviderPage.render($0)) }
            files.append(("README.md", ProviderPage.index(registry.descriptors)))
            var stale: [String] = []
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in files {
                let path = "\(folder)/\(name)"
                if (try? String(contentsOfFile: path, encoding: .utf8)) == text { continue }
                stale.append(path)
                if !check { try text.write(toFile: path, atomically: true, encoding: .utf8) }
            }
            if check, !stale.isEmpty {
                FileHandle.standardError.write(Data("stale: \(stale.joined(separator: ", ")); run dns01-webhook config docs \(folder)\n".utf8))
                throw ExitCode(1)
            }
            writeLine(stale.isEmpty ? "\(folder): up to date" : "wrote \(stale.joined(separator: ", "))")
        }
    }
}
