import DNS01
import DNSClient
import ProviderKit
import Foundation
import NIOSSL

/// The `http` provider: POSTs each step to the operator's web hook, lego's `httpreq`
/// convention (see `HTTPDNSProvider`). An Issuer may name only endpoints the operator's
/// `issuerPolicy.allowedEndpoints` allows, checked while its config is decoded.
public struct HTTPPlugin: ProviderPlugin {
    public init() {}

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HTTPConfiguration {
        try HTTPConfiguration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: HTTPConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        var headers: [(String, SecretValue)] = []
        switch configuration.authentication {
        case .none: break
        case .basic(let username, let password):
            let user = try await context.secret(username)
            let pass = try await context.secret(password)
            let credentials = Array("\(user.text):\(pass.text)".utf8)
            headers.append(("Authorization", SecretValue("Basic " + Data(credentials).base64EncodedString())))
        case .bearer(let reference):
            headers.append(("Authorization", SecretValue("Bearer " + (try await context.secret(reference)).text)))
        }
        var trustRoots: [NIOSSLCertificate]?
        switch configuration.trustRoots {
        case .system: trustRoots = nil
        case .pem(let pem): trustRoots = try Self.certificates(pem, source: "http.caBundle")
        case .secret(let reference):
            let value = try await context.secret(reference)
            guard let pem = PEMText.normalise(String(decoding: value.bytes, as: UTF8.self)) else {
                throw DNS01Error(.invalidConfiguration, "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\" holds no PEM certificate")
            }
            trustRoots = try Self.certificates(pem, source: "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\"")
        }
        let readBack = try configuration.nameserver.map { try DNSExchange(hostAndPort: $0) }
        return HTTPDNSProvider(configuration: configuration, headers: headers, trustRoots: trustRoots, readBack: readBack)
    }

    private static func certificates(_ pem: String, source: String) throws -> [NIOSSLCertificate] {
        do {
            return try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
        } catch {
            throw DNS01Error(.invalidConfiguration, "\(source) is not a valid PEM certificate bundle: \(PlainErrorText.describe(error))")
        }
    }
}
