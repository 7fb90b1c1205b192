import ArgumentParser
import BuiltinProviders
import ConfigLoading
import DNS01
import Foundation
import Kubernetes
import Logging
import WebhookSetup

/// Options every challenge command takes: where the config and Secrets come from, and the
/// challenge's context as cert-manager would send it.
struct ProviderOptions: ParsableArguments {
    @Option(
        help: "Config file (YAML or JSON), or - for standard input: one provider block, a routing table, or an Issuer or ClusterIssuer manifest (its DNS-01 solver's config is used)."
    )
    var config: String

    @Option(help: "Solver name: \"dispatch\" (routing table) or a provider name such as route53. Default: dispatch, or the solverName of an Issuer manifest given as --config.")
    var solver: String?

    @Option(help: "Namespace Secret references resolve in (cert-manager's resourceNamespace).")
    var namespace: String = "default"

    @Option(help: "File of Kubernetes Secret manifests (as `kubectl get secret -o yaml` writes them).")
    var secrets: String?

    @Option(
        help: "Kubeconfig of the cluster Secrets and service-account tokens come from when --secrets is not given. Default as kubectl: $KUBECONFIG (files separated by :), else ~/.kube/config, else the pod's service account."
    )
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Flag(help: "Allow ambient credentials (environment, IRSA, RRSA), as cert-manager does for ClusterIssuers.")
    var allowAmbientCredentials = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    @Option(help: "Where record-name lock files go (default $XDG_STATE_HOME/dns01-webhook): several present/cleanup processes lock a name there for providers that rewrite whole TXT sets.")
    var stateDir: String?

    @Option(help: "How long a step may wait for another process's lock on its record name.")
    var lockTimeout: GoDuration = GoDuration(.seconds(60))

    /// A dispatcher and the solver the challenge goes to.
    struct Prepared {
        var dispatcher: ChallengeDispatcher
        var solver: String
    }

    /// The dispatcher, built as `serve` builds its own (`ChallengeDispatcher.make`): with
    /// `--solver NAME` the file may hold NAME's block bare, as an Issuer's config would.
    func prepare(logger: Logger) throws -> Prepared {
        let environment = ProcessInfo.processInfo.environment
        let registry = ProviderRegistry.builtIn()
        let loaded = try CLIConfig.load(path: config, requestedSolver: solver, registry: registry)
        let secretOrigin: DispatcherSecrets
        if let secrets {
            secretOrigin = .manifestFile(path: secrets, defaultNamespace: namespace)
        } else {
            secretOrigin = try clusterSecrets(environment: environment, logger: logger)
        }
        let dispatcher = try ChallengeDispatcher.make(
            registry: registry, config: loaded.document, solver: loaded.solver, secrets: secretOrigin, logger: logger, environment: environment,
            nameLocking: .forCommandLine(stateDirectory: stateDir, maximumWait: lockTimeout.value, environment: environment)
        )
        try CLIConfig.requireBlock(forSolver: loaded.solver, in: dispatcher.defaultTable, source: loaded.source, registry: registry)
        return Prepared(dispatcher: dispatcher, solver: loaded.solver)
    }

    /// Secrets from the cluster kubectl would use. A kubeconfig the user named (`--kubeconfig`,
    /// `--context`) must work; one found on its own (`KUBECONFIG`, `~/.kube/config`) matters
    /// only once a Secret is needed, so a config that references none runs whatever it holds.
    private func clusterSecrets(environment: [String: String], logger: Logger) throws -> DispatcherSecrets {
        let connection: KubernetesConnection?
        do {
            connection = try KubernetesConnection.discoverLikeKubectl(
                kubeconfig: kubeconfig, context: context, environment: environment, interactive: isatty(STDIN_FILENO) == 1
            )
        } catch {
            guard kubeconfig == nil, context == nil else { throw error }
            return .unavailable(reason: "no --secrets file was given, and the cluster cannot be used: \(error.message)")
        }
        guard let connection else {
            return .unavailable(reason: "no --secrets file was given, and no cluster is configured (no --kubeconfig, KUBECONFIG or ~/.kube/config)")
        }
        return .cluster(KubernetesClient(connection: connection, logger: logger))
    }

    /// Logging as `serve` sets it up, as text.
    func makeLogger() -> Logger {
        WebhookLogging.bootstrap(format: .text, level: logLevel)
    }
}

/// How the CLI reads `--config`: a file or standard input, an Issuer manifest reduced to its
/// DNS-01 solver's config, and the solver that follows from both.
enum CLIConfig {
    struct Loaded {
        var document: ConfigValue
        var solver: String
        /// The file name, or "standard input", for messages.
        var source: String
    }

    static func load(path: String, requestedSolver: String?, registry: ProviderRegistry) throws -> Loaded {
        let source = path == "-" ? ConfigDocument.standardInputName : path
        var document = try ConfigDocument.load(path: path)
        var solver = requestedSolver
        if let extracted = try IssuerManifest.extract(from: document, source: source, requestedSolver: requestedSolver, registry: registry) {
            writeNote(extracted.note)
            document = extracted.config
            solver = solver ?? extracted.solver
        }
        return Loaded(document: document, solver: solver ?? ChallengeDispatcher.dispatchSolverName, source: source)
    }

    /// A provider solver needs its block in the config: without one, the server would use an
    /// empty block (cert-manager's ambient-credentials case), which from the command line is
    /// never what was meant.
    static func requireBlock(forSolver solver: String, in table: RoutingTable?, source: String, registry: ProviderRegistry) throws {
        guard solver != ChallengeDispatcher.dispatchSolverName, let provider = registry.descriptor(for: solver)?.name else { return }
        let present = table?.bindings.map(\.pluginName) ?? []
        guard !present.contains(provider) else { return }
        let has = present.isEmpty ? "no provider block" : "only " + Array(Set(present)).sorted().joined(separator: ", ")
        throw DNS01Error(
            .invalidConfiguration,
            "--solver \(solver): \(source) has no \(provider) block (it has \(has)); give a config with a block for \(provider) (on its own or under \"\(provider):\"), or leave out --solver to use the config as it is"
        )
    }
}

/// One line on stderr that is not an error: what the CLI decided for the user.
func writeNote(_ line: String) {
    FileHandle.standardError.write(Data("note: \(line)\n".utf8))
}

// swift-format-ignore: AvoidRetroactiveConformances
// Log levels as flag values; neither swift-log nor ArgumentParser can declare it.
extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Runs `body`; any error becomes one line on stderr and exit code 1.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(PlainErrorText.describe(error))\n".utf8))
        throw ExitCode(1)
    }
}

func parseDomain(_ text: String, flag: String) throws -> DomainName {
    do {
        return try DomainName(text)
    } catch {
        throw ValidationError("\(flag): \(error.message)")
    }
}

/// Writes one line to stdout unbuffered, so progress shows as it happens even through a pipe.
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
