import Foundation
import Kubernetes

/// How the front proxy (the kube-apiserver's aggregator) is recognised: its client certificate
/// chains to `clientCA` with client-auth usage and has a CN in `allowedNames` (any CN when
/// empty); the user comes from the named headers.
struct RequestHeaderSettings: Sendable, Equatable {
    var clientCA: TrustBundle
    var allowedNames: [String]
    var usernameHeaders: [String]
    var groupHeaders: [String]
    var extraHeaderPrefixes: [String]
    var uidHeaders: [String]

    static let defaultUsernameHeaders = ["X-Remote-User"]
    static let defaultGroupHeaders = ["X-Remote-Group"]
    static let defaultExtraHeaderPrefixes = ["X-Remote-Extra-"]
}

/// Everything the authenticator trusts at one moment. `generation` grows with every change,
/// so per-connection verification results can tell they are stale.
struct AuthenticationSettings: Sendable {
    var requestHeader: RequestHeaderSettings?
    var clientCA: TrustBundle?
    var generation: Int
    /// Where the settings came from ("flags", "ConfigMap kube-system/… resourceVersion 12").
    var source: String

    static let none = AuthenticationSettings(requestHeader: nil, clientCA: nil, generation: 0, source: "none")
}

/// The `--requestheader-*` / `--client-ca-file` flags. A setting given here wins over the
/// ConfigMap, as in the Kubernetes API server.
public struct AuthenticationFlags: Sendable {
    public var clientCAFile: String?
    public var requestHeaderClientCAFile: String?
    public var requestHeaderAllowedNames: [String]?
    public var requestHeaderUsernameHeaders: [String]?
    public var requestHeaderGroupHeaders: [String]?
    public var requestHeaderExtraHeadersPrefix: [String]?
    public var requestHeaderUIDHeaders: [String]?
    /// Do not read `kube-system/extension-apiserver-authentication` at all.
    public var skipLookup: Bool

    public init(
        clientCAFile: String? = nil,
        requestHeaderClientCAFile: String? = nil,
        requestHeaderAllowedNames: [String]? = nil,
        requestHeaderUsernameHeaders: [String]? = nil,
        requestHeaderGroupHeaders: [String]? = nil,
        requestHeaderExtraHeadersPrefix: [String]? = nil,
        requestHeaderUIDHeaders: [String]? = nil,
        skipLookup: Bool = false
    ) {
        self.clientCAFile = clientCAFile
        self.requestHeaderClientCAFile = requestHeaderClientCAFile
        self.requestHeaderAllowedNames = requestHeaderAllowedNames
        self.requestHeaderUsernameHeaders = requestHeaderUsernameHeaders
        self.requestHeaderGroupHeaders = requestHeaderGroupHeaders
        self.requestHeaderExtraHeadersPrefix = requestHeaderExtraHeadersPrefix
        self.requestHeaderUIDHeaders = requestHeaderUIDHeaders
        self.skipLookup = skipLookup
    }

    /// Whether the flags alone configure both kinds of client certificate, so the ConfigMap adds nothing.
    var coversEverything: Bool { clientCAFile != nil && requestHeaderClientCAFile != nil }
}

/// Builds settings from the flags and, for what they leave open, the ConfigMap's data.
enum AuthenticationSettingsBuilder {
    static let configMapNamespace = "kube-system"
    static let configMapName = "extension-apiserver-authentication"

    static func build(flags: AuthenticationFlags, configMapData: [String: String]?, generation: Int, source: String) throws(AuthConfigurationError) -> AuthenticationSettings {
        let data = configMapData ?? [:]
        let origin = "ConfigMap \(configMapNamespace)/\(configMapName)"

        var clientCA: TrustBundle?
        if let file = flags.clientCAFile {
            clientCA = try TrustBundle(file: file, origin: "--client-ca-file")
        } else if let pem = data["client-ca-file"], !pem.isEmpty {
            clientCA = try TrustBundle(pem: Array(pem.utf8), origin: "\(origin) key client-ca-file")
        }

        var requestHeaderCA: TrustBundle?
        var fromFlags = false
        if let file = flags.requestHeaderClientCAFile {
            requestHeaderCA = try TrustBundle(file: file, origin: "--requestheader-client-ca-file")
            fromFlags = true
        } else if let pem = data["requestheader-client-ca-file"], !pem.isEmpty {
            requestHeaderCA = try TrustBundle(pem: Array(pem.utf8), origin: "\(origin) key requestheader-client-ca-file")
        }

        var requestHeader: RequestHeaderSettings?
        if let requestHeaderCA {
            // With the CA from the flags, the other request-header settings come from the flags
            // too (defaults where not given); otherwise from the ConfigMap.
            func list(_ flag: [String]?, _ key: String, default fallback: [String]) throws(AuthConfigurationError) -> [String] {
                if let flag { return flag }
                if fromFlags { return fallback }
                return try jsonList(data[key], key: key, origin: origin) ?? fallback
            }
            requestHeader = RequestHeaderSettings(
                clientCA: requestHeaderCA,
                allowedNames: try list(flags.requestHeaderAllowedNames, "requestheader-allowed-names", default: []),
                usernameHeaders: try list(flags.requestHeaderUsernameHeaders, "requestheader-username-headers", default: RequestHeaderSettings.defaultUsernameHeaders),
                groupHeaders: try list(flags.requestHeaderGroupHeaders, "requestheader-group-headers", default: RequestHeaderSettings.defaultGroupHeaders),
                extraHeaderPrefixes: try list(flags.requestHeaderExtraHeadersPrefix, "requestheader-extra-headers-prefix", default: RequestHeaderSettings.defaultExtraHeaderPrefixes),
                uidHeaders: try list(flags.requestHeaderUIDHeaders, "requestheader-uid-headers", default: [])
            )
            if requestHeader?.usernameHeaders.isEmpty == true {
                throw AuthConfigurationError("request-header authentication needs at least one username header")
            }
        }
        return AuthenticationSettings(requestHeader: requestHeader, clientCA: clientCA, generation: generation, source: source)
    }

    /// The ConfigMap stores lists as JSON strings: `'["front-proxy-client"]'`.
    private static func jsonList(_ text: String?, key: String, origin: String) throws(AuthConfigurationError) -> [String]? {
        guard let text, !text.isEmpty else { return nil }
        guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw AuthConfigurationError("\(origin) key \(key) is not a JSON list of strings: \(text.prefix(100))")
        }
        return list
    }
}
