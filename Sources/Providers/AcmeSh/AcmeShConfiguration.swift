import DNS01

/// The `acmesh` block: which acme.sh dnsapi script runs, where it is, and the variables it
/// reads. An Issuer's config may name a script only when the operator's
/// `issuerPolicy.allowedPrograms` lists its path (`<scriptsDir>/<script>.sh`).
///
/// ```yaml
/// acmesh:
///   script: dns_cf                       # dns_<name>, looked up in scriptsDir
///   scriptsDir: /opt/acme.sh/dnsapi      # default
///   env:                                 # the variables of the script's dns_<name>_info block
///     CF_Token: {secretKeyRef: {name: cloudflare, key: token}}
///     CF_Zone_ID: "0123abcd"
///   timeout: 120s
/// ```
public struct AcmeShConfiguration: Sendable, Hashable {
    /// A variable's value: written in the config, or read from a Secret in the challenge's
    /// namespace (and then redacted from every message).
    public enum Value: Sendable, Hashable {
        case literal(String)
        case secret(SecretReference)
    }

    /// `dns_<name>`.
    public var script: String
    public var scriptsDirectory: String
    public var environment: [String: Value]
    public var timeout: Duration

    public static let defaultScriptsDirectory = "/opt/acme.sh/dnsapi"
    public static let defaultTimeout: Duration = .seconds(60)
    static let maximumTimeout: Duration = .seconds(600)

    /// The file the runner sources.
    public var scriptPath: String { "\(scriptsDirectory)/\(script).sh" }

    /// Variables the webhook sets itself (the runner's and the shim's), which a config must not
    /// override.
    static let reservedNames: Set<String> = [
        "PATH", "HOME", "TMPDIR", "HTTP_HEADER", "ACCOUNT_CONF_PATH", "DOMAIN_CONF", "USER_AGENT", "NO_TIMESTAMP", "OUTPUT_INSECURE",
    ]

    static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AcmeShConfiguration {
        var reader = try ConfigReader(block, at: path)
        var script = try reader.string("script")
        if script.hasSuffix(".sh") { script.removeLast(3) }
        guard Self.isScriptName(script) else {
            throw DNS01Error.invalidConfiguration(
                at: path.appending("script"), "must be an acme.sh dnsapi hook name such as dns_cf (dns_ followed by letters, digits and _), got \"\(script)\"")
        }
        let directory = try reader.optionalString("scriptsDir") ?? defaultScriptsDirectory
        let components = directory.split(separator: "/")
        guard directory.hasPrefix("/"), !components.contains(".."), !components.contains("."), !directory.contains("\n") else {
            throw DNS01Error.invalidConfiguration(at: path.appending("scriptsDir"), "must be an absolute directory path without . or .. segments, got \"\(directory)\"")
        }
        let scriptsDirectory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let timeout = try reader.optionalDuration("timeout") ?? defaultTimeout
        guard timeout > .zero, timeout <= maximumTimeout else {
            throw DNS01Error.invalidConfiguration(at: path.appending("timeout"), "must be more than 0s and at most 10m")
        }
        var environment: [String: Value] = [:]
        if var env = try reader.optionalObject("env") {
            for name in env.keys {
                try checkVariableName(name, at: env.path)
                guard let value = env.optionalValue(name) else { continue }
                environment[name] = try decodeValue(value, at: env.path.appending(name))
            }
            try env.finish()
        }
        try reader.finish()
        let configuration = AcmeShConfiguration(script: script, scriptsDirectory: scriptsDirectory, environment: environment, timeout: timeout)
        // Last, so a refused Issuer config is refused for what it is, not for a typo elsewhere.
        try source.checkProgram(configuration.scriptPath, at: path.appending("script"))
        return configuration
    }

    static func isScriptName(_ name: String) -> Bool {
        name.hasPrefix("dns_") && name.count > 4 && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    private static func decodeValue(_ value: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> Value {
        switch value {
        case .string(let text): return .literal(text)
        case .bool(let flag): return .literal(flag ? "true" : "false")
        case .number(let number):
            return .literal(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        case .object:
            var reader = try ConfigReader(value, at: path)
            let reference = try reader.secretReference("secretKeyRef")
            try reader.finish()
            return .secret(reference)
        default:
            throw DNS01Error.invalidConfiguration(at: path, "must be a string or {secretKeyRef: {name, key}}, got \(value.kindName)")
        }
    }

    /// POSIX names only, and none the runner sets itself.
    private static func checkVariableName(_ name: String, at path: ConfigPath) throws(DNS01Error) {
        let valid =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard valid else { throw DNS01Error.invalidConfiguration(at: path.appending(name), "is not a valid environment variable name") }
        guard !reservedNames.contains(name), !name.hasPrefix("DNS01_"), !["_H1", "_H2", "_H3", "_H4", "_H5"].contains(name) else {
            throw DNS01Error.invalidConfiguration(at: path.appending(name), "is set by the webhook itself and cannot be configured")
        }
    }
}
