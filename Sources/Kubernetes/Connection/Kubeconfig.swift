import DNS01
import Foundation
import NIOSSL
import Yams

/// A kubeconfig file, reduced to what a client needs: the current context's cluster and user.
/// Supported credentials: client certificate and key (file or `-data`), `token`, `tokenFile`.
/// Exec plugins, auth providers and basic auth are refused with a clear message, not ignored.
public struct Kubeconfig: Decodable, Sendable {
    struct NamedCluster: Decodable, Sendable {
        var name: String
        var cluster: Cluster
    }
    struct NamedUser: Decodable, Sendable {
        var name: String
        var user: User
    }
    struct NamedContext: Decodable, Sendable {
        var name: String
        var context: Context
    }

    struct Cluster: Decodable, Sendable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    struct User: Decodable, Sendable {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var exec: ConfigValue?
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
            return config
        } catch {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) is not a valid kubeconfig: \(PlainErrorText.describe(error))")
        }
    }

    /// The connection of `context`, or of `current-context`.
    public func connection(context name: String? = nil) throws(KubernetesError) -> KubernetesConnection {
        guard let contextName = name ?? currentContext, !contextName.isEmpty else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) has no current-context")
        }
        guard let context = contexts?.first(where: { $0.name == contextName })?.context else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path) has no context \"\(contextName)\"")
        }
        guard let cluster = clusters?.first(where: { $0.name == context.cluster })?.cluster else {
            throw KubernetesError(.invalidConfiguration, "kubeconfig \(path): context \"\(contextName)\" names cluster \"\(context.cluster)\", which is not defined")
        }
        let user: User
        if let userName = context.user {
            guard let found = users?.first(where: { $0.name == userName })?.user else {
                throw KubernetesError(.invalidConfiguration, "kubeconfig \(path): context \"\(contextName)\" names user \"\(userName)\", which is not defined")
            }
            user = found
        } else {
            user = User()
        }
        let origin = "kubeconfig \(path) (context \(contextName))"
        if cluster.tlsServerName != nil {
            throw KubernetesError(.invalidConfiguration, "\(origin): tls-server-name is not supported; use a server URL whose host the certificate names")
        }
        if user.exec != nil || user.authProvider != nil || user.username != nil {
            throw KubernetesError(.invalidConfiguration, "\(origin): only client certificates, token and tokenFile are supported (not exec, auth-provider or basic auth)")
        }

        var trustRoots: [NIOSSLCertificate]?
        if let data = cluster.certificateAuthorityData {
            trustRoots = try PEMFiles.certificates(pem: try decodeBase64(data, field: "certificate-authority-data", origin: origin), what: "\(origin) certificate-authority-data")
        } else if let file = cluster.certificateAuthority {
            trustRoots = try PEMFiles.certificates(path: resolve(file), what: "\(origin) certificate-authority")
        }

        var chain: [NIOSSLCertificate] = []
        var key: NIOSSLPrivateKey?
        var certificatePEM: [UInt8]?
        if let data = user.clientCertificateData {
            certificatePEM = try decodeBase64(data, field: "client-certificate-data", origin: origin)
        } else if let file = user.clientCertificate {
            certificatePEM = try readFile(resolve(file), what: "\(origin) client-certificate")
        }
        var keyPEM: [UInt8]?
        if let data = user.clientKeyData {
            keyPEM = try decodeBase64(data, field: "client-key-data", origin: origin)
        } else if let file = user.clientKey {
            keyPEM = try readFile(resolve(file), what: "\(origin) client-key")
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
            token = .file(resolve(file))
        }

        return KubernetesConnection(
            server: cluster.server,
            trustRoots: trustRoots,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            clientCertificateChain: chain,
            clientKey: key,
            bearerToken: token,
            namespace: context.namespace,
            origin: origin
        )
    }

    private func resolve(_ file: String) -> String {
        if file.hasPrefix("/") { return file }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(file).path
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
