import DNS01
import Foundation
import NIOSSL
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kubeconfig user's `exec` block: a program that prints an `ExecCredential` (EKS's
/// `aws eks get-token`, GKE's `gke-gcloud-auth-plugin`, AKS's `kubelogin`, OIDC helpers).
struct ExecConfig: Decodable, Sendable {
    struct Variable: Decodable, Sendable {
        var name: String
        var value: String
    }

    var apiVersion: String?
    var command: String
    var args: [String]?
    var env: [Variable]?
    var installHint: String?
    var provideClusterInfo: Bool?
    var interactiveMode: String?
}

/// The credential an exec plugin gives, run as client-go runs it: `client.authentication.k8s.io`
/// `v1` or `v1beta1`, the block's `args` and `env` on top of this process's environment,
/// `KUBERNETES_EXEC_INFO` (with the cluster when `provideClusterInfo`), standard input only
/// when `interactiveMode` allows it and it is a terminal, standard error passed through (where
/// plugins say what went wrong). The result is kept until its `expirationTimestamp` (for the
/// life of the process when it has none) and the plugin runs again after a 401.
public actor ExecCredentialSource {
    /// What a plugin returned: a bearer token, or a client certificate and key.
    public struct Credential: Sendable {
        public let token: SecretValue?
        public let clientCertificateChain: [NIOSSLCertificate]
        public let clientKey: NIOSSLPrivateKey?
        public let expiry: Date?
        /// Which run of the plugin gave it, so that a 401 discards only the credential that
        /// earned it (several requests failing at once run the plugin once).
        let generation: Int
    }

    /// The cluster as the plugin sees it with `provideClusterInfo`.
    struct ClusterInfo: Sendable {
        var server: String
        var certificateAuthorityData: [UInt8]?
        var insecureSkipTLSVerify: Bool
        var proxyURL: String?
        /// The cluster's `client.authentication.k8s.io/exec` extension, handed to the plugin.
        var config: ConfigValue?
    }

    /// The cluster extension whose value a plugin receives as `spec.cluster.config`.
    static let clusterExtensionName = "client.authentication.k8s.io/exec"
    static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    private let config: ExecConfig
    private let apiVersion: String
    private let interactive: Bool
    private let execInfo: String
    private let origin: String
    private let timeout: Duration
    private var cached: Credential?
    private var running: Task<Credential, any Error>?
    /// How many times the plugin was started, which numbers the credentials.
    private var generation = 0

    /// Checks the block as client-go does before anything runs: a supported `apiVersion`, an
    /// `interactiveMode` (required by `v1`), and for `Always` a terminal on standard input.
    init(_ config: ExecConfig, cluster: ClusterInfo, interactive stdinIsTerminal: Bool, origin: String, timeout: Duration = .seconds(60)) throws(KubernetesError) {
        let origin = "\(origin) exec credential plugin \"\(config.command)\""
        guard let apiVersion = config.apiVersion, Self.supportedVersions.contains(apiVersion) else {
            let given = config.apiVersion.map { "apiVersion \($0) is not supported" } ?? "apiVersion is missing"
            throw KubernetesError(.invalidConfiguration, "\(origin): \(given); use \(Self.supportedVersions.joined(separator: " or "))")
        }
        let mode: String
        let isInteractive: Bool
        switch (config.interactiveMode, apiVersion.hasSuffix("/v1")) {
        case (nil, true):
            throw KubernetesError(.invalidConfiguration, "\(origin): interactiveMode is required with \(apiVersion) (Never, IfAvailable or Always)")
        case (nil, false):
            mode = "IfAvailable"
        case (let given?, _):
            mode = given
        }
        switch mode {
        case "Never":
            isInteractive = false
        case "IfAvailable":
            isInteractive = stdinIsTerminal
        case "Always":
            guard stdinIsTerminal else {
                throw KubernetesError(
                    .invalidConfiguration,
                    "\(origin) has interactiveMode Always, which needs a terminal on standard input, and standard input is not one; run it from a terminal once (or use a plugin setting that does not prompt)"
                )
            }
            isInteractive = true
        default:
            throw KubernetesError(.invalidConfiguration, "\(origin): interactiveMode \"\(mode)\" is not one of Never, IfAvailable, Always")
        }
        self.config = config
        self.apiVersion = apiVersion
        self.origin = origin
        self.timeout = timeout
        self.interactive = isInteractive
        self.execInfo = Self.execInfo(apiVersion: apiVersion, interactive: isInteractive, cluster: config.provideClusterInfo == true ? cluster : nil)
    }

    /// The current credential: the cached one until it expires, else a new run of the plugin
    /// (one at a time, whoever asks meanwhile waits for the same run).
    public func credential() async throws(KubernetesError) -> Credential {
        if let cached, cached.expiry.map({ $0 > Date() }) ?? true { return cached }
        let task: Task<Credential, any Error>
        if let running {
            task = running
        } else {
            generation += 1
            let thisRun = generation
            let (config, apiVersion, interactive, execInfo, origin, timeout) = (config, apiVersion, interactive, execInfo, origin, timeout)
            task = Task {
                try await Self.run(config, apiVersion: apiVersion, interactive: interactive, execInfo: execInfo, origin: origin, timeout: timeout, generation: thisRun)
            }
            running = task
        }
        do {
            let credential = try await task.value
            if running == task { running = nil }
            cached = credential
            return credential
        } catch {
            if running == task { running = nil }
            if let error = error as? KubernetesError { throw error }
            throw KubernetesError(.invalidConfiguration, "\(origin) failed: \(PlainErrorText.describe(error))")
        }
    }

    /// Forgets `credential` after the apiserver refused it (401), so the next request runs
    /// the plugin again.
    public func invalidate(_ credential: Credential) {
        if cached?.generation == credential.generation { cached = nil }
    }

    // MARK: Running the plugin

    private static func run(
        _ config: ExecConfig, apiVersion: String, interactive: Bool, execInfo: String, origin: String, timeout: Duration, generation: Int
    ) async throws(KubernetesError) -> Credential {
        let executable = try locate(config, origin: origin)
        var variables: [Environment.Key: String?] = [:]
        for variable in config.env ?? [] { variables[Environment.Key(stringLiteral: variable.name)] = variable.value }
        variables["KUBERNETES_EXEC_INFO"] = execInfo
        let configuration = Configuration(
            executable: .path(FilePath(executable)), arguments: Arguments(config.args ?? []), environment: .inherit.updating(variables)
        )
        let outcome: (status: TerminationStatus, output: [UInt8])?
        do {
            outcome = try await withThrowingTaskGroup(of: (status: TerminationStatus, output: [UInt8])?.self) { group in
                group.addTask {
                    let input: FileDescriptorInput
                    if interactive {
                        input = .fileDescriptor(.standardInput, closeAfterSpawningProcess: false)
                    } else {
                        input = .fileDescriptor(try FileDescriptor.open("/dev/null", .readOnly), closeAfterSpawningProcess: true)
                    }
                    let result = try await Subprocess.run(
                        configuration,
                        input: input,
                        output: .bytes(limit: 1 << 20),
                        error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false)
                    )
                    return (result.terminationStatus, result.standardOutput)
                }
                // A prompt waits as long as the person at the terminal needs.
                if !interactive {
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        return nil
                    }
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch {
            throw KubernetesError(.invalidConfiguration, "\(origin) could not be run: \(PlainErrorText.describe(error))")
        }
        guard let outcome else {
            throw KubernetesError(.unreachable, "\(origin) gave no credential within \(timeout.components.seconds)s")
        }
        switch outcome.status {
        case .exited(0):
            break
        case .exited(let code):
            throw KubernetesError(.invalidConfiguration, "\(origin) failed with exit status \(code) (what it printed on standard error is above)")
        case .signaled(let signal):
            throw KubernetesError(.invalidConfiguration, "\(origin) was killed by signal \(signal)")
        }
        return try parse(outcome.output, apiVersion: apiVersion, origin: origin, generation: generation)
    }

    /// The plugin's path: a path as given (already resolved against the kubeconfig's
    /// directory), a name looked up in PATH; missing, the message shows the `installHint`.
    private static func locate(_ config: ExecConfig, origin: String) throws(KubernetesError) -> String {
        let command = config.command
        let candidates: [String]
        if command.contains("/") {
            candidates = [command]
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            candidates = path.split(separator: ":").map { "\($0)/\(command)" }
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        var message = "\(origin) was not found (\(command.contains("/") ? "no executable file there" : "not in PATH"))"
        if let hint = config.installHint?.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }).joined(separator: " "),
            !hint.isEmpty
        {
            message += ". The kubeconfig's install hint: \(hint)"
        }
        throw KubernetesError(.invalidConfiguration, message)
    }

    /// The `ExecCredential` object the plugin gets in `KUBERNETES_EXEC_INFO`.
    private static func execInfo(apiVersion: String, interactive: Bool, cluster: ClusterInfo?) -> String {
        var spec: [String: Any] = ["interactive": interactive]
        if let cluster {
            var info: [String: Any] = ["server": cluster.server]
            if let data = cluster.certificateAuthorityData { info["certificate-authority-data"] = Data(data).base64EncodedString() }
            if cluster.insecureSkipTLSVerify { info["insecure-skip-tls-verify"] = true }
            if let proxy = cluster.proxyURL { info["proxy-url"] = proxy }
            if let config = cluster.config { info["config"] = config.jsonObject }
            spec["cluster"] = info
        }
        let object: [String: Any] = ["apiVersion": apiVersion, "kind": "ExecCredential", "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private struct Output: Decodable {
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    static func parse(_ output: [UInt8], apiVersion: String, origin: String, generation: Int) throws(KubernetesError) -> Credential {
        let decoded: Output
        do {
            decoded = try JSONDecoder().decode(Output.self, from: Data(output))
        } catch {
            throw KubernetesError(.invalidResponse, "\(origin) printed something other than an ExecCredential in JSON on standard output")
        }
        guard decoded.kind == "ExecCredential" else {
            throw KubernetesError(.invalidResponse, "\(origin) printed kind \(decoded.kind ?? "(none)"), not ExecCredential")
        }
        guard decoded.apiVersion == apiVersion else {
            throw KubernetesError(.invalidResponse, "\(origin) answered with apiVersion \(decoded.apiVersion ?? "(none)"), but the kubeconfig asks for \(apiVersion)")
        }
        guard let status = decoded.status else {
            throw KubernetesError(.invalidResponse, "\(origin) returned an ExecCredential without status")
        }
        var expiry: Date?
        if let text = status.expirationTimestamp {
            guard let date = parseTimestamp(text) else {
                throw KubernetesError(.invalidResponse, "\(origin) returned an expirationTimestamp that is not an RFC 3339 time: \(text)")
            }
            expiry = date
        }
        var chain: [NIOSSLCertificate] = []
        var key: NIOSSLPrivateKey?
        switch (status.clientCertificateData, status.clientKeyData) {
        case (let certificate?, let privateKey?):
            chain = try PEMFiles.certificates(pem: Array(certificate.utf8), what: "\(origin) clientCertificateData")
            key = try PEMFiles.privateKey(pem: Array(privateKey.utf8), what: "\(origin) clientKeyData")
        case (nil, nil):
            break
        default:
            throw KubernetesError(.invalidResponse, "\(origin) returned only one of clientCertificateData and clientKeyData; a client certificate needs both")
        }
        let token = status.token.flatMap { $0.isEmpty ? nil : SecretValue($0) }
        guard token != nil || key != nil else {
            throw KubernetesError(.invalidResponse, "\(origin) returned neither a token nor a client certificate")
        }
        return Credential(token: token, clientCertificateChain: chain, clientKey: key, expiry: expiry, generation: generation)
    }

    private static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension ConfigValue {
    /// The value as `JSONSerialization` takes it.
    fileprivate var jsonObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let items): items.map(\.jsonObject)
        case .object(let fields): fields.mapValues(\.jsonObject)
        }
    }
}
