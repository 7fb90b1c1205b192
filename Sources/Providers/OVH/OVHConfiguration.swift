import DNS01

/// The `ovh` config block. Field names are those of the most active OVH webhook
/// (aureq/cert-manager-webhook-ovh), and the older one's (baarde/cert-manager-webhook-ovh) are
/// accepted too, so an Issuer moving here keeps its config:
///
/// ```yaml
/// ovh:                                        # aureq
///   endpoint: ovh-eu                          # ovh-eu, ovh-ca, ovh-us, kimsufi-*, soyoustart-*, or a URL
///   authenticationMethod: application         # or oauth2
///   applicationKeyRef: {name: ovh-credentials, key: applicationKey}
///   applicationSecretRef: {name: ovh-credentials, key: applicationSecret}
///   applicationConsumerKeyRef: {name: ovh-credentials, key: applicationConsumerKey}
///   # oauth2: oauth2ClientIDRef, oauth2ClientSecretRef
///
/// ovh:                                        # baarde: no authenticationMethod
///   endpoint: ovh-eu
///   applicationKey: <application key>
///   applicationSecretRef: {name: ovh-credentials, key: applicationSecret}
///   consumerKey: <consumer key>
/// ```
///
/// Optional: `ttl` (default 60), `tokenEndpoint` (the OAuth2 token URL, for an endpoint given
/// as a URL OVH's SDKs do not know).
public struct OVHConfiguration: Sendable, Hashable {
    /// A value from a Secret, or written in the config (the older webhook's inline keys).
    public enum Value: Sendable, Hashable {
        case secret(SecretReference)
        case literal(String)
    }

    public enum Authentication: Sendable, Hashable {
        /// Application key, application secret and consumer key: `$1$`-signed requests.
        case application(key: Value, secret: SecretReference, consumerKey: Value)
        /// An OAuth2 client (service account): client-credentials bearer tokens.
        case oauth2(clientID: SecretReference, clientSecret: SecretReference, tokenURL: String)
    }

    public var endpoint: OVHEndpoint
    public var authentication: Authentication
    public var ttl: Int

    /// OVH's lowest record TTL.
    public static let defaultTTL = 60

    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> OVHConfiguration {
        var reader = try ConfigReader(block, at: path)
        let endpointText = try reader.string("endpoint")
        guard let endpoint = OVHEndpoint(parsing: endpointText) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu, soyoustart-ca or an http(s) URL of the API (with /1.0), got \"\(endpointText)\"")
        }
        try source.checkEndpoint(endpoint.url, at: path.appending("endpoint"), official: OVHPlugin.descriptor.officialHosts)

        let method = try reader.optionalString("authenticationMethod")
        let keyRef = try reader.optionalSecretReference("applicationKeyRef")
        let keyLiteral = try nonEmpty(reader.optionalString("applicationKey"))
        let secretRef = try reader.optionalSecretReference("applicationSecretRef")
        let consumerRef = try reader.optionalSecretReference("applicationConsumerKeyRef")
        let consumerRefOld = try reader.optionalSecretReference("consumerKeyRef")
        let consumerLiteral = try nonEmpty(reader.optionalString("consumerKey"))
        let clientIDRef = try reader.optionalSecretReference("oauth2ClientIDRef")
        let clientSecretRef = try reader.optionalSecretReference("oauth2ClientSecretRef")
        let tokenEndpoint = try reader.optionalString("tokenEndpoint").map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        let ttl = try reader.optionalInt("ttl", in: 0...86_400) ?? defaultTTL
        try reader.finish()

        let applicationFields = [
            ("applicationKeyRef", keyRef != nil), ("applicationKey", keyLiteral != nil), ("applicationSecretRef", secretRef != nil),
            ("applicationConsumerKeyRef", consumerRef != nil), ("consumerKeyRef", consumerRefOld != nil), ("consumerKey", consumerLiteral != nil),
        ].filter(\.1).map(\.0)
        let oauth2Fields = [("oauth2ClientIDRef", clientIDRef != nil), ("oauth2ClientSecretRef", clientSecretRef != nil)].filter(\.1).map(\.0)

        let authentication: Authentication
        switch method {
        case "oauth2":
            guard applicationFields.isEmpty else {
                throw DNS01Error.invalidConfiguration(at: path, "sets \(applicationFields.joined(separator: ", ")) with authenticationMethod oauth2; those belong to authenticationMethod application")
            }
            guard let clientIDRef else { throw DNS01Error.invalidConfiguration(at: path.appending("oauth2ClientIDRef"), "is required with authenticationMethod oauth2") }
            guard let clientSecretRef else { throw DNS01Error.invalidConfiguration(at: path.appending("oauth2ClientSecretRef"), "is required with authenticationMethod oauth2") }
            guard let tokenURL = tokenEndpoint ?? endpoint.tokenURL else {
                throw DNS01Error.invalidConfiguration(
                    at: path.appending("tokenEndpoint"), "is required with authenticationMethod oauth2 and the endpoint \(endpoint): OVH offers OAuth2 on ovh-eu, ovh-ca and ovh-us; for another API URL, give its OAuth2 token URL")
            }
            if let tokenEndpoint {
                try source.checkEndpoint(tokenEndpoint, at: path.appending("tokenEndpoint"), official: OVHPlugin.descriptor.officialHosts)
                guard EndpointPrefix(tokenEndpoint) != nil else {
                    throw DNS01Error.invalidConfiguration(at: path.appending("tokenEndpoint"), "must be an http(s) URL such as https://www.ovh.com/auth/oauth2/token, got \"\(tokenEndpoint)\"")
                }
            }
            authentication = .oauth2(clientID: clientIDRef, clientSecret: clientSecretRef, tokenURL: tokenURL)
        case "application", nil:
            guard oauth2Fields.isEmpty else {
                let named = method == nil ? "without authenticationMethod (the application method)" : "with authenticationMethod application"
                throw DNS01Error.invalidConfiguration(at: path, "sets \(oauth2Fields.joined(separator: ", ")) \(named); set authenticationMethod: oauth2 to use an OAuth2 client")
            }
            if tokenEndpoint != nil {
                throw DNS01Error.invalidConfiguration(at: path.appending("tokenEndpoint"), "is used only with authenticationMethod oauth2")
            }
            let key: Value
            switch (keyRef, keyLiteral) {
            case (let reference?, nil): key = .secret(reference)
            case (nil, let literal?): key = .literal(literal)
            case (nil, nil): throw DNS01Error.invalidConfiguration(at: path.appending("applicationKeyRef"), "is required: the OVH application key, from a Secret (or inline as applicationKey)")
            default: throw DNS01Error.invalidConfiguration(at: path, "sets both applicationKeyRef and applicationKey; keep one")
            }
            guard let secretRef else {
                throw DNS01Error.invalidConfiguration(at: path.appending("applicationSecretRef"), "is required: the OVH application secret, from a Secret")
            }
            let consumers = [consumerRef.map { ("applicationConsumerKeyRef", Value.secret($0)) }, consumerRefOld.map { ("consumerKeyRef", Value.secret($0)) }, consumerLiteral.map { ("consumerKey", Value.literal($0)) }].compactMap { $0 }
            guard consumers.count <= 1 else {
                throw DNS01Error.invalidConfiguration(at: path, "sets \(consumers.map(\.0).joined(separator: " and ")); keep one consumer key")
            }
            guard let consumer = consumers.first?.1 else {
                throw DNS01Error.invalidConfiguration(at: path.appending("applicationConsumerKeyRef"), "is required: the OVH consumer key, from a Secret (or inline as consumerKey)")
            }
            authentication = .application(key: key, secret: secretRef, consumerKey: consumer)
        case let other?:
            throw DNS01Error.invalidConfiguration(at: path.appending("authenticationMethod"), "must be application or oauth2, got \"\(other)\"")
        }
        return OVHConfiguration(endpoint: endpoint, authentication: authentication, ttl: ttl)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty else { return nil }
        return text
    }
}
