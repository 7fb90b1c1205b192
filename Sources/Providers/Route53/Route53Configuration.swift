import DNS01

/// A decoded `route53` block: every field of cert-manager's built-in Route53 solver with the
/// same meaning, plus endpoint overrides and the INSYNC wait.
public struct Route53Configuration: Sendable, Hashable {
    public struct ServiceAccountAuth: Sendable, Hashable {
        public var name: String
        /// cert-manager's default when none are given.
        public var audiences: [String]

        public init(name: String, audiences: [String] = ["sts.amazonaws.com"]) {
            self.name = name
            self.audiences = audiences
        }
    }

    public var region: String?
    /// A literal access key ID (trimmed, as cert-manager does).
    public var accessKeyID: String?
    public var accessKeyIDSecretRef: SecretReference?
    public var secretAccessKeySecretRef: SecretReference?
    public var role: String?
    /// Without the `/hostedzone/` prefix.
    public var hostedZoneID: String?
    public var serviceAccount: ServiceAccountAuth?
    public var endpoint: String?
    public var stsEndpoint: String?
    /// Present and CleanUp also wait until GetChange says INSYNC (cert-manager always waits).
    public var waitForInSync: Bool

    /// Whether the config names static keys (literal or from Secrets).
    public var hasStaticKeys: Bool { accessKeyID != nil || accessKeyIDSecretRef != nil || secretAccessKeySecretRef != nil }

    public init(
        region: String? = nil, accessKeyID: String? = nil, accessKeyIDSecretRef: SecretReference? = nil,
        secretAccessKeySecretRef: SecretReference? = nil, role: String? = nil, hostedZoneID: String? = nil,
        serviceAccount: ServiceAccountAuth? = nil, endpoint: String? = nil, stsEndpoint: String? = nil, waitForInSync: Bool = false
    ) {
        self.region = region
        self.accessKeyID = accessKeyID
        self.accessKeyIDSecretRef = accessKeyIDSecretRef
        self.secretAccessKeySecretRef = secretAccessKeySecretRef
        self.role = role
        self.hostedZoneID = hostedZoneID
        self.serviceAccount = serviceAccount
        self.endpoint = endpoint
        self.stsEndpoint = stsEndpoint
        self.waitForInSync = waitForInSync
    }
}

extension Route53Configuration {
    /// Decodes and validates a block. Messages use cert-manager's wording, prefixed with the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> Route53Configuration {
        var reader = try ConfigReader(block, at: path)
        var config = Route53Configuration()

        config.region = try reader.optionalString("region").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        if let region = config.region, !region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) || !region.allSatisfy(\.isASCII) {
            throw DNS01Error.invalidConfiguration(at: path.appending("region"), "must be an AWS region such as us-east-1, got \"\(region)\"")
        }
        config.accessKeyID = try reader.optionalString("accessKeyID").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        config.accessKeyIDSecretRef = try secretReference(&reader, "accessKeyIDSecretRef", at: path)
        config.secretAccessKeySecretRef = try secretReference(&reader, "secretAccessKeySecretRef", at: path)
        config.role = try reader.optionalString("role").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        if let zone = try reader.optionalString("hostedZoneID")?.trimmingWhitespace(), !zone.isEmpty {
            let id = zone.strippingAWSPrefix("/hostedzone/")
            guard !id.isEmpty, id.allSatisfy({ ($0.isUppercase || $0.isNumber) && $0.isASCII }) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("hostedZoneID"), "must be a hosted zone ID such as Z0123456789ABC, got \"\(zone)\"")
            }
            config.hostedZoneID = id
        }
        config.serviceAccount = try serviceAccountAuth(&reader, at: path)
        config.endpoint = try endpointURL(&reader, "endpoint", at: path, source: source)
        config.stsEndpoint = try endpointURL(&reader, "stsEndpoint", at: path, source: source)
        config.waitForInSync = try reader.optionalBool("waitForInSync") ?? false
        try reader.finish()

        if config.accessKeyID != nil && config.accessKeyIDSecretRef != nil {
            throw DNS01Error.invalidConfiguration(at: path, "accessKeyID and accessKeyIDSecretRef cannot both be specified")
        }
        if (config.accessKeyID != nil || config.accessKeyIDSecretRef != nil) != (config.secretAccessKeySecretRef != nil) {
            throw DNS01Error.invalidConfiguration(at: path, "only one of access and secret key was provided")
        }
        if config.serviceAccount != nil {
            guard config.role != nil else {
                throw DNS01Error.invalidConfiguration(at: path.appending("role"), "must be set when auth.kubernetes.serviceAccountRef is set (role must be set when web identity token is set)")
            }
            if config.hasStaticKeys {
                throw DNS01Error.invalidConfiguration(at: path.appending("auth"), "cannot be combined with accessKeyID, accessKeyIDSecretRef or secretAccessKeySecretRef: the web identity token replaces them")
            }
        }
        return config
    }

    /// A `{name, key}` reference. An empty `name` means "not set", as in cert-manager, whose
    /// `secretAccessKeySecretRef` reads back from the API as `{name: ""}` when unused.
    private static func secretReference(_ reader: inout ConfigReader, _ key: String, at path: ConfigPath) throws(DNS01Error) -> SecretReference? {
        guard var inner = try reader.optionalObject(key) else { return nil }
        let name = try inner.optionalString("name")?.trimmingWhitespace() ?? ""
        let secretKey = try inner.optionalString("key")?.trimmingWhitespace() ?? ""
        try inner.finish()
        if name.isEmpty && secretKey.isEmpty { return nil }
        guard !name.isEmpty else { throw DNS01Error.invalidConfiguration(at: path.appending(key), "requires a name field to be specified") }
        guard !secretKey.isEmpty else { throw DNS01Error.invalidConfiguration(at: path.appending(key), "requires a key field to be specified") }
        return SecretReference(name: name, key: secretKey)
    }

    private static func serviceAccountAuth(_ reader: inout ConfigReader, at path: ConfigPath) throws(DNS01Error) -> ServiceAccountAuth? {
        guard var auth = try reader.optionalObject("auth") else { return nil }
        guard var kubernetes = try auth.optionalObject("kubernetes") else {
            try auth.finish()
            throw auth.missing("kubernetes")
        }
        try auth.finish()
        guard var reference = try kubernetes.optionalObject("serviceAccountRef") else {
            try kubernetes.finish()
            throw kubernetes.missing("serviceAccountRef")
        }
        try kubernetes.finish()
        let name = try reference.string("name")
        let audiences = try reference.optionalStringList("audiences") ?? []
        try reference.finish()
        return ServiceAccountAuth(name: name, audiences: audiences.isEmpty ? ["sts.amazonaws.com"] : audiences)
    }

    /// An `http(s)://host[:port][/path]` override. An Issuer's config may name only AWS's own
    /// Route53 and STS hosts, unless the operator's `issuerPolicy` allows more.
    private static func endpointURL(_ reader: inout ConfigReader, _ key: String, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> String? {
        guard let text = try reader.optionalString(key)?.trimmingWhitespace(), !text.isEmpty else { return nil }
        try source.checkEndpoint(text, at: path.appending(key), official: Route53Plugin.descriptor.officialHosts)
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !text.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }),
            text.split(separator: "/", omittingEmptySubsequences: true).count >= 2
        else {
            throw DNS01Error.invalidConfiguration(at: path.appending(key), "must be an http or https URL such as https://route53.amazonaws.com, got \"\(text)\"")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
