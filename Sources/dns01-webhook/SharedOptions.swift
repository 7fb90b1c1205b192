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

    @Option(help: "Where record-name lock files go (default $XDG_STATE_HOME/dns01-webhook): several present/cleanup processes lock a name there for providers that rewrite whole TXT sets.")
    var stateDir: String?

    @Option(help: "How long a step may wait for another process's lock on its record name.")
    var lockTimeout: GoDuration = GoDuration(.seconds(60))

    /// The dispatcher, built as `serve` builds its own (`ChallengeDispatcher.make`): with
    /// `--solver NAME` the file may hold NAME's block bare, as an Issuer's config would.
    func makeDispatcher(logger: Logger) throws -> ChallengeDispatcher {
        let environment = ProcessInfo.processInfo.environment
        let document = try ConfigDocument.load(path: config)
        let secretOrigin: DispatcherSecrets
        if let secrets {
            secretOrigin = .manifestFile(path: secrets, defaultNamespace: namespace)
        } else if let connection = try KubernetesConnection.discover(kubeconfig: kubeconfig, environment: environment) {
            secretOrigin = .cluster(KubernetesClient(connection: connection, logger: logger))
        } else {
            secretOrigin = .unavailable(reason: "no --secrets file was given")
        }
        return try ChallengeDispatcher.make(
            registry: .builtIn(), config: document, solver: solver, secrets: secretOrigin, logger: logger, environment: environment,
            nameLocking: .forCommandLine(stateDirectory: stateDir, maximumWait: lockTimeout.value, environment: environment)
        )
    }

    /// Logging as `serve` sets it up, as text.
    func makeLogger() -> Logger {
        WebhookLogging.bootstrap(format: .text, level: logLevel)
    }
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
