import DNS01
import DNSClient

/// The `exec` block. An Issuer's config may name only a program the operator's
/// `issuerPolicy.allowedPrograms` lists.
///
/// ```yaml
/// exec:
///   command: /usr/local/bin/update-dns    # run as `command present|cleanup <fqdn> <value>`
///   timeout: 30s                          # killed (process group) after this; default 60s
///   env: {DNS_SERVER: 10.0.0.53}          # added to the webhook's environment
///   secretEnv:                            # from Secrets in the challenge's namespace; redacted from output
///     API_TOKEN: {name: dns-hook, key: token}
///   nameserver: 10.0.0.53:53              # optional: where `check` reads records back (DNS)
/// ```
public struct ExecConfiguration: Sendable, Hashable {
    public var command: String
    public var timeout: Duration
    public var environment: [String: String]
    public var secretEnvironment: [String: SecretReference]
    public var nameserver: String?

    public static let defaultTimeout: Duration = .seconds(60)
    static let maximumTimeout: Duration = .seconds(600)

    static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> ExecConfiguration {
        var reader = try ConfigReader(block, at: path)
        let command = try reader.string("command")
        try source.checkProgram(command, at: path.appending("command"))
        let timeout = try reader.optionalDuration("timeout") ?? defaultTimeout
        guard timeout > .zero, timeout <= maximumTimeout else {
            throw DNS01Error.invalidConfiguration(at: path.appending("timeout"), "must be more than 0s and at most 10m")
        }
        var environment: [String: String] = [:]
        if var env = try reader.optionalObject("env") {
            for name in env.keys {
                try checkVariableName(name, at: env.path)
                guard let value = try env.optionalString(name) else { continue }
                environment[name] = value
            }
            try env.finish()
        }
        var secretEnvironment: [String: SecretReference] = [:]
        if var env = try reader.optionalObject("secretEnv") {
            for name in env.keys {
                try checkVariableName(name, at: env.path)
                secretEnvironment[name] = try env.secretReference(name)
            }
            try env.finish()
        }
        let nameserver = try reader.optionalString("nameserver")
        if let nameserver {
            guard (try? DNSExchange.parseHostAndPort(nameserver)) != nil else {
                throw DNS01Error.invalidConfiguration(at: path.appending("nameserver"), "must be HOST:PORT, [IPv6]:PORT or a host, got \"\(nameserver)\"")
            }
            try source.checkEndpoint("dns://\(nameserver)/", at: path.appending("nameserver"), official: .none, shown: nameserver)
        }
        try reader.finish()
        return ExecConfiguration(command: command, timeout: timeout, environment: environment, secretEnvironment: secretEnvironment, nameserver: nameserver)
    }

    /// POSIX names only, and never ours: the challenge variables must say what the webhook says.
    private static func checkVariableName(_ name: String, at path: ConfigPath) throws(DNS01Error) {
        let valid =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard valid else { throw DNS01Error.invalidConfiguration(at: path.appending(name), "is not a valid environment variable name") }
        guard !name.hasPrefix(ExecDNSProvider.variablePrefix) else {
            throw DNS01Error.invalidConfiguration(at: path.appending(name), "is reserved: the \(ExecDNSProvider.variablePrefix)* variables describe the challenge")
        }
    }
}
