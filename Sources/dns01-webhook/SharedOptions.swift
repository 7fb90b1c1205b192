import ArgumentParser
import BuiltinProviders
import ConfigLoading
import DNS01
import Foundation
import Kubernetes
import Logging

/// Options every challenge command takes: where the config and Secrets come from, and the
/// challenge's context as cert-manager would send it.
struct ProviderOptions: ParsableArguments {
    @Option(help: "Config file (YAML or JSON): one provider block or a routing table.")
    var config: String

    @Option(help: "Solver name: \"dispatch\" (routing table) or a provider name such as route53.")
    var solver: String = ChallengeDispatcher.dispatchSolverName

    @Option(help: "Namespace Secret references resolve in (cert-manager's resourceNamespace).")
    var namespace: String = "default"

    @Option(help: "File of Kubernetes Secret manifests (as `kubectl get secret -o yaml` writes them).")
    var secrets: String?

    @Option(help: "Kubeconfig of the cluster Secrets and service-account tokens come from when --secrets is not given (in a pod: the pod's service account).")
    var kubeconfig: String?

    @Flag(help: "Allow ambient credentials (environment, IRSA, RRSA), as cert-manager does for ClusterIssuers.")
    var allowAmbientCredentials = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func makeDispatcher(logger: Logger) throws -> ChallengeDispatcher {
        let registry = ProviderRegistry.builtIn()
        // With --solver NAME the file may hold NAME's block bare, as an Issuer's config would.
        let document = RoutingTable.document(try ConfigDocument.load(path: config), forSolver: solver, registry: registry)
        let secretSource: any SecretSource
        var tokens: (any ServiceAccountTokenSource)?
        if let secrets {
            secretSource = try SecretManifestSource(path: secrets, defaultNamespace: namespace)
        } else if let connection = try KubernetesConnection.discover(kubeconfig: kubeconfig, environment: ProcessInfo.processInfo.environment) {
            let client = KubernetesClient(connection: connection, logger: logger)
            secretSource = KubernetesSecretSource(client: client)
            tokens = KubernetesServiceAccountTokenSource(client: client)
        } else {
            secretSource = NoSecretSource(reason: "no --secrets file was given")
        }
        return try ChallengeDispatcher(
            registry: registry,
            defaultConfig: document,
            secrets: secretSource,
            logger: logger,
            environment: ProcessInfo.processInfo.environment,
            serviceAccountTokens: tokens
        )
    }

    func makeLogger() -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "dns01-webhook")
    }
}

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
