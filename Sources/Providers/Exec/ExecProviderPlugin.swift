import DNS01
import DNSClient

/// The `exec` provider: runs an operator's program for each step, with lego's `exec` calling
/// convention so existing scripts work (see `ExecProvider`).
///
/// Only the operator's own config may name it. A program path in a namespaced Issuer's config
/// would let any tenant run code in the webhook's pod, so an Issuer config naming `exec` is
/// refused while it is decoded: before any Secret is read, before anything runs.
public struct ExecProviderPlugin: ProviderPlugin {
    public let name = "exec"

    public init() {}

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin) throws(DNS01Error) -> ExecConfiguration {
        guard origin == .operatorConfig else {
            throw DNS01Error(
                .forbiddenByPolicy,
                "\(path.isRoot ? "exec" : path.description): the exec provider is accepted only from the operator's own config (serve --config, or the CLI's --config), never from an Issuer's config: a program named by an Issuer would run in the webhook's pod"
            )
        }
        return try ExecConfiguration.decode(block, at: path)
    }

    public func makeProvider(for configuration: ExecConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        var secrets: [String: SecretValue] = [:]
        for (name, reference) in configuration.secretEnvironment {
            secrets[name] = try await context.secret(reference)
        }
        let readBack = try configuration.nameserver.map { try DNSExchange(hostAndPort: $0) }
        return ExecProvider(configuration: configuration, baseEnvironment: context.environment, secrets: secrets, readBack: readBack)
    }
}
