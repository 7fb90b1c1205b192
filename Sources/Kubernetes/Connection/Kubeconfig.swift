import DNS01
import Foundation
import NIOSSL
import Yams

/// A kubeconfig, reduced to what a client needs: a context's cluster and user. One file, or
/// several merged as kubectl merges `KUBECONFIG` (`Kubeconfig.merged`).
/// Supported credentials: client certificate and key (file or `-data`), `token`, `tokenFile`,
/// and exec credential plugins (`ExecCredentialSource`). Auth providers and basic auth are
/// refused with a clear message, not ignored.
public struct Kubeconfig: Decodable, Sendable {
    // Each entry remembers its file: relative paths in it resolve against that file's
    // directory, also after a merge.
    struct NamedCluster: Decodable, Sendable {
        var name: String
        var cluster: Cluster
        var file = ""
        enum CodingKeys: String, CodingKey { case name, cluster }
    }
    struct NamedUser: Decodable, Sendable {
        var name: String
        var user: User
        var file = ""
        enum CodingKeys: String, CodingKey { case name, user }
    }
    struct NamedContext: Decodable, Sendable {
        var name: String
        var context: Context
        enum CodingKeys: String, CodingKey { case name, context }
    }

    struct Cluster: Decodable, Sendable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?
        var proxyURL: String?
        var extensions: [NamedExtension]?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
            case extensions
        }
    }

    struct NamedExtension: Decodable, Sendable {
        var name: String
        var `extension`: ConfigValue?
    }

    struct User: Decodable, Sendable {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var exec: ExecConfig?
        var authProvider: ConfigValue?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, username, exec
            case authProvider = "auth-provider"
        }
    }

    struct Context: Decodable, Sendable {
        var cluster: String
        var user: String?
        var namespace: String?
    }

    var clusters: [NamedCluster]?
    var users: [NamedUser]?
    var contexts: [NamedContext]?
    var currentContext: String?
    /// The file it was read from; relative paths inside resolve against its directory.
    var path: String = ""

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    public static func load(path: String) throws(KubernetesError) -> Kubeconfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) cannot be read")
        }
        do {
            var config = try YAMLDecoder().decode(Kubeconfig.self, from: data)
            config.path = path
            for index in config.clusters?.indices ?? 0..<0 { config.clusters?[index].file = path }
            for index in config.users?.indices ?? 0..<0 { config.users?[index].file = path }
            return config
        } catch {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) is not a valid kubeconfig: \(PlainErrorText.describe(error))")
        }
    }

    /// Several kubeconfig files merged as kubectl merges `KUBECONFIG`: the first file to name
    /// a cluster, user or context wins it, and `current-context` comes from the first file
    /// that sets one. Files that do not exist are skipped, as kubectl skips them; `nil` when
    /// none exists.
    public static func merged(paths: [String]) throws(KubernetesError) -> Kubeconfig? {
        let existing = paths.filter { !$0.isEmpty && FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else { return nil }
        var merged = Kubeconfig()
        merged.path = existing.count == 1 ? existing[0] : existing.joined(separator: ":")
        for path in existing {
            let file = try load(path: path)
            merged.clusters = adding(file.clusters, to: merged.clusters, name: \.name)
            merged.users = adding(file.users, to: merged.users, name: \.name)
            merged.contexts = adding(file.contexts, to: merged.contexts, name: \.name)
            if merged.currentContext?.isEmpty ?? true { merged.currentContext = file.currentContext }
        }
        return merged
    }

    private init() {}

    private static func adding<Entry>(_ entries: [Entry]?, to existing: [Entry]?, name: (Entry) -> String) -> [Entry]? {
        guard let entries else { return existing }
        var result = existing ?? []
        var names = Set(result.map(name))
        for entry in entries where names.insert(name(entry)).inserted { result.append(entry) }
        return result
    }

    /// The connection of `context`, or of `current-context`.
    ///
    /// - Parameter interactive: whether standard input is a terminal a credential plugin may
    ///   prompt on (its `interactiveMode` decides whether it gets it).
    public func connection(context name: String? = nil, interactive: Bool = false) throws(KubernetesError) -> KubernetesConnection {
        guard let contextName = name ?? currentContext, !contextName.isEmpty else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) has no current-context; choose one with --context")
        }
        guard let context = contexts?.first(where: { $0.name == contextName })?.context else {
            let known = (contexts ?? []).map(\.name)
            throw KubernetesError(
                .invalidConfiguration, "kubeconfig \(path) has no context \"\(contextName)\"\(known.isEmpty ? "" : " (it has: \(known.joined(separator: ", ")))")")
        }
        guard let namedCluster = clusters?.first(where: { $0.name == context.cluster }) else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path): context \"\(contextName)\" names cluster \"\(context.cluster)\", which is not defined")
        }
        let cluster = namedCluster.cluster
        let user: User
        var userFile = path
        if let userName = context.user {
            guard let found = users?.first(where: { $0.name == userName }) else {
                throw KubernetesError(.invalidConfiguration, "kubeconfig \(path): context \"\(contextName)\" names user \"\(userName)\", which is not defined")
            }
            user = found.user
            userFile = found.file
        } else {
            user = User()
        }
        let origin = "kubeconfig \(path) (context \(contextName))"
        if cluster.tlsServerName != nil {
            throw KubernetesError(.invalidConfiguration, "\(origin): tls-server-name is not supported; use a server URL whose host the certificate names")
        }
        if user.authProvider != nil || user.username != nil {
            throw KubernetesError(
                .invalidConfiguration, "\(origin): only client certificates, token, tokenFile and exec credential plugins are supported (not auth-provider or basic auth)")
        }

        var trustRoots: [NIOSSLCertificate]?
        var trustPEM: [UInt8]?
        if let data = cluster.certificateAuthorityData {
            trustPEM = try decodeBase64(data, field: "certificate-authority-data", origin: origin)
            trustRoots = try PEMFiles.certificates(pem: trustPEM ?? [], what: "\(origin) certificate-authority-data")
        } else if let file = cluster.certificateAuthority {
            let resolved = Self.resolve(file, against: namedCluster.file)
            trustPEM = try readFile(resolved, what: "\(origin) certificate-authority")
            trustRoots = try PEMFiles.certificates(path: resolved, what: "\(origin) certificate-authority")
        }

        var chain: [NIOSSLCertificate] = []
        var key: NIOSSLPrivateKey?
        var certificatePEM: [UInt8]?
        if let data = user.clientCertificateData {
            certificatePEM = try decodeBase64(data, field: "client-certificate-data", origin: origin)
        } else if let file = user.clientCertificate {
            certificatePEM = try readFile(Self.resolve(file, against: userFile), what: "\(origin) client-certificate")
        }
        var keyPEM: [UInt8]?
        if let data = user.clientKeyData {
            keyPEM = try decodeBase64(data, field: "client-key-data", origin: origin)
        } else if let file = user.clientKey {
            keyPEM = try readFile(Self.resolve(file, against: userFile), what: "\(origin) client-key")
        }
        switch (certificatePEM, keyPEM) {
        case (let certificate?, let privateKey?):
            chain = try PEMFiles.certificates(pem: certificate, what: "\(origin) client certificate")
            key = try PEMFiles.privateKey(pem: privateKey, what: "\(origin) client key")
        case (nil, nil):
            break
        default:
            throw KubernetesError(.invalidConfiguration, "\(origin): a client certificate needs both a certificate and a key")
        }

        var token: BearerTokenSource?
        if let value = user.token, !value.isEmpty {
            token = .fixed(SecretValue(value))
        } else if let file = user.tokenFile {
            token = .file(Self.resolve(file, against: userFile))
        }

        var execCredential: ExecCredentialSource?
        if var exec = user.exec {
            // A command with a path separator is relative to its kubeconfig's directory, as in
            // client-go; a bare name is looked up in PATH.
            if exec.command.contains("/") { exec.command = Self.resolve(exec.command, against: userFile) }
            let clusterInfo = ExecCredentialSource.ClusterInfo(
                server: cluster.server,
                certificateAuthorityData: trustPEM,
                insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
                proxyURL: cluster.proxyURL,
                config: cluster.extensions?.first { $0.name == ExecCredentialSource.clusterExtensionName }?.extension
            )
            execCredential = try ExecCredentialSource(exec, cluster: clusterInfo, interactive: interactive, origin: origin)
        }

        return KubernetesConnection(
            server: cluster.server,
            trustRoots: trustRoots,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            clientCertificateChain: chain,
            clientKey: key,
            bearerToken: token,
            execCredential: execCredential,
            namespace: context.namespace,
            origin: origin
        )
    }

    private static func resolve(_ file: String, against kubeconfig: String) -> String {
        if file.hasPrefix("/") || kubeconfig.isEmpty { return file }
        return URL(fileURLWithPath: kubeconfig).deletingLastPathComponent().appendingPathComponent(file).path
    }

    private func decodeBase64(_ text: String, field: String, origin: String) throws(KubernetesError) -> [UInt8] {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw KubernetesError(.invalidConfiguration, "\(origin): \(field) is not valid base64")
        }
        return Array(data)
    }

    private func readFile(_ path: String, what: String) throws(KubernetesError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesError(.invalidConfiguration, "\(what) \(path) cannot be read")
        }
        return Array(data)
    }
}
