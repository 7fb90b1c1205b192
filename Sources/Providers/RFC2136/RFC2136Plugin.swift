import DNS01
import DNSClient
import DNSWire
import Foundation

/// The `rfc2136` provider: dynamic DNS UPDATE (RFC 2136), TSIG-signed (RFC 8945), against the
/// operator's own authoritative server. Config as cert-manager's built-in solver (see
/// `RFC2136Configuration`).
public struct RFC2136Plugin: ProviderPlugin {
    public init() {}

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> RFC2136Configuration {
        try RFC2136Configuration.decode(block, at: path, source: source)
    }

    public func makeProvider(for configuration: RFC2136Configuration, context: ProviderContext) async throws -> any DNSProvider {
        var signer: TSIGSigner?
        if let signing = configuration.signing {
            let secret = try await context.secret(signing.secretRef)
            guard let bytes = Data(base64Encoded: secret.text) else {
                throw DNS01Error(
                    .credentialsUnavailable,
                    "secret \(context.namespace)/\(signing.secretRef.name) key \"\(signing.secretRef.key)\" is not a base64 TSIG secret (as tsig-keygen or keymgr print it)"
                )
            }
            signer = TSIGSigner(key: TSIGKey(name: signing.keyName, algorithm: signing.algorithm, secret: Array(bytes)))
        }
        let exchange: DNSExchange
        do {
            exchange = try DNSExchange(hostAndPort: configuration.nameserver, timeout: .seconds(5))
        } catch {
            throw DNS01Error(.providerUnavailable, "rfc2136: cannot resolve nameserver \(configuration.nameserver): \(PlainErrorText.describe(error))")
        }
        let client = DNSUpdateClient(exchange: exchange, nameserver: configuration.nameserver, signer: signer, transport: configuration.transport)
        return RFC2136DNSProvider(client: client)
    }
}
