import DNS01
import DNSClient

/// The `exec` provider: runs an operator's program for each step, with lego's `exec` calling
/// convention so existing scripts work (see `ExecDNSProvider`).
///
/// A program path in a namespaced Issuer's config would let any tenant run code in the
/// webhook's pod, so an Issuer config naming a program the operator did not list in
/// `issuerPolicy.allowedPrograms` is refused while it is decoded: before any Secret is read,
/// before anything runs.
public struct ExecPlugin: ProviderPlugin {
    public init() {}

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> ExecConfiguration {
        try ExecConfiguration.decode(block, at: path.isRoot ? ConfigPath.root.appending("exec") : path, source: source)
    }

    public func makeProvider(for configuration: ExecConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        var secrets: [String: SecretValue] = [:]
        for (name, reference) in configuration.secretEnvironment {
            secrets[name] = try await context.secret(reference)
        }
        let readBack = try configuration.nameserver.map { try DNSExchange(hostAndPort: $0) }
        return ExecDNSProvider(configuration: configuration, baseEnvironment: context.environment, secrets: secrets, readBack: readBack)
    }
}
