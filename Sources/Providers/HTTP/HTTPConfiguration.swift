import DNS01
import DNSClient
import ProviderKit

/// The `http` block (lego's `httpreq` convention).
///
/// ```yaml
/// http:
///   endpoint: https://dns-hook.internal.example.com/acme   # POST <endpoint>/present and <endpoint>/cleanup
///   usernameSecretRef: {name: dns-hook, key: username}     # basic auth (both), or…
///   passwordSecretRef: {name: dns-hook, key: password}
///   bearerTokenSecretRef: {name: dns-hook, key: token}     # …a bearer token
///   caBundle: |                                            # PEM (or base64 of PEM) trusted instead of the system roots
///     -----BEGIN CERTIFICATE-----
///   caBundleSecretRef: {name: dns-hook-ca, key: ca.crt}    # or the same from a Secret
///   timeout: 30s                                           # per request; default 30s
///   nameserver: 10.0.0.53:53                               # optional: where `check` reads records back (DNS)
/// ```
///
/// From an Issuer's config, `endpoint` must lie under one of the operator's
/// `issuerPolicy.allowedEndpoints`; from the operator's own config any http(s) URL is accepted.
public struct HTTPConfiguration: Sendable, Hashable {
    public enum Authentication: Sendable, Hashable {
        case none
        case basic(username: SecretReference, password: SecretReference)
        case bearer(SecretReference)
    }

    public enum TrustRoots: Sendable, Hashable {
        case system
        case pem(String)
        case secret(SecretReference)
    }

    /// Without a trailing slash.
    public var endpoint: String
    public var authentication: Authentication
    public var trustRoots: TrustRoots
    public var timeout: Duration
    public var nameserver: String?

    static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HTTPConfiguration {
        var reader = try ConfigReader(block, at: path)
        var endpoint = try reader.string("endpoint")
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        // An Issuer's endpoint is checked against the policy first, so whatever it tries is
        // answered as a policy refusal; the operator's gets the syntax check.
        // Steps go to <endpoint>/present and /cleanup: the endpoint as a directory must be allowed.
        try source.checkEndpoint(endpoint + "/", at: path.appending("endpoint"), official: .none, shown: endpoint)
        guard EndpointPrefix(endpoint) != nil else {
            throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be an http:// or https:// URL with a host and no user, query, fragment or ./.. segments, got \"\(endpoint)\"")
        }

        let username = try reader.optionalSecretReference("usernameSecretRef")
        let password = try reader.optionalSecretReference("passwordSecretRef")
        let bearer = try reader.optionalSecretReference("bearerTokenSecretRef")
        let authentication: Authentication
        switch (username, password, bearer) {
        case (nil, nil, nil): authentication = .none
        case (nil, nil, let token?): authentication = .bearer(token)
        case (let user?, let pass?, nil): authentication = .basic(username: user, password: pass)
        case (_, _, _?): throw DNS01Error.invalidConfiguration(at: path, "sets both basic auth (usernameSecretRef, passwordSecretRef) and bearerTokenSecretRef; choose one")
        case (nil, _?, nil): throw reader.missing("usernameSecretRef")
        case (_?, nil, nil): throw reader.missing("passwordSecretRef")
        }

        let inlineCA = try reader.optionalString("caBundle")
        let secretCA = try reader.optionalSecretReference("caBundleSecretRef")
        let trustRoots: TrustRoots
        switch (inlineCA, secretCA) {
        case (nil, nil): trustRoots = .system
        case (let text?, nil):
            guard let pem = PEMText.normalise(text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("caBundle"), "must hold PEM certificates (-----BEGIN CERTIFICATE-----), or their base64")
            }
            trustRoots = .pem(pem)
        case (nil, let reference?): trustRoots = .secret(reference)
        case (_?, _?): throw DNS01Error.invalidConfiguration(at: path, "sets both caBundle and caBundleSecretRef; choose one")
        }

        let timeout = try reader.optionalDuration("timeout") ?? .seconds(30)
        guard timeout > .zero, timeout <= .seconds(300) else {
            throw DNS01Error.invalidConfiguration(at: path.appending("timeout"), "must be more than 0s and at most 5m")
        }
        let nameserver = try reader.optionalString("nameserver")
        if let nameserver {
            guard (try? DNSExchange.parseHostAndPort(nameserver)) != nil else {
                throw DNS01Error.invalidConfiguration(at: path.appending("nameserver"), "must be HOST:PORT, [IPv6]:PORT or a host, got \"\(nameserver)\"")
            }
            try source.checkEndpoint("dns://\(nameserver)/", at: path.appending("nameserver"), official: .none, shown: nameserver)
        }
        try reader.finish()
        return HTTPConfiguration(endpoint: endpoint, authentication: authentication, trustRoots: trustRoots, timeout: timeout, nameserver: nameserver)
    }
}
