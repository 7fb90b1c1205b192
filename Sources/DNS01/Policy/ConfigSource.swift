/// Where a config came from, which decides what it may ask for: an operator's own config
/// (`serve --config`, the CLI's `--config`) is trusted; an Issuer's config arrives in a
/// `ChallengePayload` from any namespace and must not be able to run programs or reach
/// arbitrary hosts from the webhook's pod.
public enum ConfigOrigin: String, Sendable, Hashable {
    case operatorConfig = "operator"
    case issuerConfig = "issuer"
}

/// What a plugin's `decodeConfiguration` is told about the block it decodes: who wrote it and,
/// for an Issuer's block, the operator's `issuerPolicy`. Its checks are the one place where
/// "may an Issuer name this?" is decided, for every provider:
///
/// - an endpoint (`endpoint`, `stsEndpoint`, `tokenEndpoint`, a nameserver…) is allowed from an
///   Issuer when it is `https` to one of the provider's `OfficialHosts`, or lies under the
///   operator's `issuerPolicy.allowedEndpoints`;
/// - a program or script is allowed from an Issuer only when `issuerPolicy.allowedPrograms`
///   lists it;
/// - the operator's own config may name anything.
public struct ConfigSource: Sendable, Hashable {
    public var origin: ConfigOrigin
    /// The operator's policy (`.denyAll` when there is none); consulted for Issuer configs.
    public var policy: IssuerPolicy

    public init(origin: ConfigOrigin, policy: IssuerPolicy = .denyAll) {
        self.origin = origin
        self.policy = policy
    }

    /// The operator's own config: everything is allowed.
    public static let operatorConfig = ConfigSource(origin: .operatorConfig)

    /// An Issuer's config under the operator's `policy`.
    public static func issuerConfig(policy: IssuerPolicy = .denyAll) -> ConfigSource {
        ConfigSource(origin: .issuerConfig, policy: policy)
    }

    public var isOperator: Bool { origin == .operatorConfig }

    /// Refuses an Issuer's `url` (named by the field at `path`) unless it is one of `official`
    /// or the operator allows it. `url` is absolute (`https://…`, or `dns://host:port` for a
    /// nameserver); `shown` is how the message quotes it, when the field held something else
    /// (a base URL whose requests go below it, a bare `host:port`).
    public func checkEndpoint(_ url: String, at path: ConfigPath, official: OfficialHosts, shown: String? = nil) throws(DNS01Error) {
        guard origin == .issuerConfig, !official.contains(url), !policy.allows(endpoint: url) else { return }
        let url = shown ?? url
        let officialText = official.patterns.isEmpty ? "this provider has no official API host" : "the provider's official hosts are \(official)"
        throw DNS01Error(
            .forbiddenByPolicy,
            "\(path) \"\(url)\" is not allowed in an Issuer's config: \(officialText), and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
    }

    /// Refuses an Issuer's program or script `name` (named by the field at `path`) unless the
    /// operator lists it in `issuerPolicy.allowedPrograms`.
    public func checkProgram(_ name: String, at path: ConfigPath) throws(DNS01Error) {
        guard origin == .issuerConfig, !policy.allows(program: name) else { return }
        throw DNS01Error(
            .forbiddenByPolicy,
            "\(path) \"\(name)\" is not allowed in an Issuer's config: a program named by an Issuer would run in the webhook's pod; the operator can allow it by listing it under issuerPolicy.allowedPrograms in the webhook's own config (serve --config), or move this block there"
        )
    }
}
