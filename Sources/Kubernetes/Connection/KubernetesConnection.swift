import DNS01
import Foundation
import NIOSSL

/// Where the Kubernetes API is and how to authenticate to it: from the pod's service account
/// (in-cluster) or from a kubeconfig file.
public struct KubernetesConnection: Sendable {
    /// `https://host:port`, without a trailing slash.
    public var server: String
    /// The CA bundle the apiserver's certificate must chain to; `nil` means the system roots.
    public var trustRoots: [NIOSSLCertificate]?
    public var insecureSkipTLSVerify: Bool
    /// A client certificate to authenticate with (kubeconfig `client-certificate`).
    public var clientCertificateChain: [NIOSSLCertificate]
    public var clientKey: NIOSSLPrivateKey?
    /// A bearer token to authenticate with, fixed or re-read from a file.
    public var bearerToken: BearerTokenSource?
    /// A kubeconfig exec credential plugin: its token or client certificate, run when first
    /// needed and again when it expires or the apiserver answers 401.
    public var execCredential: ExecCredentialSource?
    /// The namespace of the context (kubeconfig) or of the pod (in-cluster).
    public var namespace: String?
    /// Where this connection came from, for messages ("in-cluster", "kubeconfig /p (context c)").
    public var origin: String

    public init(
        server: String,
        trustRoots: [NIOSSLCertificate]? = nil,
        insecureSkipTLSVerify: Bool = false,
        clientCertificateChain: [NIOSSLCertificate] = [],
        clientKey: NIOSSLPrivateKey? = nil,
        bearerToken: BearerTokenSource? = nil,
        execCredential: ExecCredentialSource? = nil,
        namespace: String? = nil,
        origin: String
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.trustRoots = trustRoots
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.clientCertificateChain = clientCertificateChain
        self.clientKey = clientKey
        self.bearerToken = bearerToken
        self.execCredential = execCredential
        self.namespace = namespace
        self.origin = origin
    }

    /// The TLS settings for calls to the apiserver: TLS 1.2+, its CA, our client certificate.
    public var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let trustRoots { tls.trustRoots = .certificates(trustRoots) }
        if insecureSkipTLSVerify { tls.certificateVerification = .none }
        if let clientKey, !clientCertificateChain.isEmpty {
            tls.certificateChain = clientCertificateChain.map { .certificate($0) }
            tls.privateKey = .privateKey(clientKey)
        }
        return tls
    }
}

extension KubernetesConnection {
    /// The files Kubernetes mounts into every pod with a service account.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The in-cluster connection: `KUBERNETES_SERVICE_HOST`/`_PORT`, the mounted CA and the
    /// service-account token, re-read from its file because the kubelet rotates it.
    public static func inCluster(
        environment: [String: String],
        serviceAccountDirectory: String = serviceAccountDirectory
    ) throws(KubernetesError) -> KubernetesConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubernetesError(.invalidConfiguration, "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (give --kubeconfig)")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let caPath = "\(serviceAccountDirectory)/ca.crt"
        let tokenPath = "\(serviceAccountDirectory)/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubernetesError(.invalidConfiguration, "in-cluster: the service-account token \(tokenPath) is not readable (automountServiceAccountToken: false?)")
        }
        let namespace = (try? String(contentsOfFile: "\(serviceAccountDirectory)/namespace", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return KubernetesConnection(
            server: "https://\(hostPart):\(port)",
            trustRoots: try PEMFiles.certificates(path: caPath, what: "in-cluster CA"),
            bearerToken: .file(tokenPath),
            namespace: namespace,
            origin: "in-cluster"
        )
    }

    /// The connection described by `--kubeconfig`, else in-cluster when the process runs in a
    /// pod; `nil` outside a cluster without `--kubeconfig`. (Like the Kubernetes API server,
    /// `KUBECONFIG` is not consulted: which cluster the webhook trusts is never implicit.)
    public static func discover(kubeconfig: String?, environment: [String: String]) throws(KubernetesError) -> KubernetesConnection? {
        if let kubeconfig { return try Kubeconfig.load(path: kubeconfig).connection() }
        if environment["KUBERNETES_SERVICE_HOST"] != nil { return try inCluster(environment: environment) }
        return nil
    }

    /// The connection kubectl would use, for the CLI: `--kubeconfig`, else the files of
    /// `KUBECONFIG` (`:`-separated, merged as kubectl merges them), else `~/.kube/config`, else
    /// in-cluster in a pod; `context` (`--context`) instead of the current-context. `nil` when
    /// there is none of these.
    public static func discoverLikeKubectl(
        kubeconfig: String?, context: String?, environment: [String: String], interactive: Bool
    ) throws(KubernetesError) -> KubernetesConnection? {
        if let kubeconfig { return try Kubeconfig.load(path: kubeconfig).connection(context: context, interactive: interactive) }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init)
            guard let merged = try Kubeconfig.merged(paths: paths) else {
                throw KubernetesError(.invalidConfiguration, "none of the files KUBECONFIG names exists (\(list))")
            }
            return try merged.connection(context: context, interactive: interactive)
        }
        if let home = environment["HOME"], !home.isEmpty, let merged = try Kubeconfig.merged(paths: ["\(home)/.kube/config"]) {
            return try merged.connection(context: context, interactive: interactive)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            if context != nil { throw KubernetesError(.invalidConfiguration, "--context needs a kubeconfig, and none was found (no --kubeconfig, KUBECONFIG or ~/.kube/config)") }
            return try inCluster(environment: environment)
        }
        if context != nil { throw KubernetesError(.invalidConfiguration, "--context needs a kubeconfig, and none was found (no --kubeconfig, KUBECONFIG or ~/.kube/config)") }
        return nil
    }
}

/// PEM loading with messages that name the file and its role.
enum PEMFiles {
    static func certificates(path: String, what: String) throws(KubernetesError) -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMFile(path)
            guard !certificates.isEmpty else { throw KubernetesError(.invalidConfiguration, "\(what) \(path) holds no PEM certificate") }
            return certificates
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw KubernetesError(.invalidConfiguration, "\(what) \(path) cannot be read as PEM certificates: \(PlainErrorText.describe(error))")
        }
    }

    static func certificates(pem: [UInt8], what: String) throws(KubernetesError) -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(pem)
            guard !certificates.isEmpty else { throw KubernetesError(.invalidConfiguration, "\(what) holds no PEM certificate") }
            return certificates
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw KubernetesError(.invalidConfiguration, "\(what) cannot be read as PEM certificates: \(PlainErrorText.describe(error))")
        }
    }

    static func privateKey(pem: [UInt8], what: String) throws(KubernetesError) -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(bytes: pem, format: .pem)
        } catch {
            throw KubernetesError(.invalidConfiguration, "\(what) cannot be read as a PEM private key: \(PlainErrorText.describe(error))")
        }
    }
}
