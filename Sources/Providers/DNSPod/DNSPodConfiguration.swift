import DNS01
import ProviderKit

/// The `dnspod` config block. Field names are those of the most used DNSPod webhook
/// (imroc/cert-manager-webhook-dnspod), so an Issuer moving here keeps its config:
///
/// ```yaml
/// dnspod:
///   secretIdRef: {name: dnspod-secret, key: secret-id}     # SecretId (or, as up to 1.4, inline `secretId: AKID…`)
///   secretKeyRef: {name: dnspod-secret, key: secret-key}   # SecretKey
///   ttl: 600                                               # optional, default 600
///   recordLine: ""                                         # optional, empty: the default line (默认)
///   sessionTokenRef: {name: dnspod-secret, key: token}     # optional, temporary keys
///   region: ap-guangzhou                                   # optional, for STS (TKE OIDC)
///   endpoint: https://dnspod.tencentcloudapi.com           # optional override
///   stsEndpoint: https://sts.tencentcloudapi.com           # optional, for the TKE OIDC role
/// ```
///
/// Without a SecretId and SecretKey the provider uses ambient credentials (environment, then
/// TKE's OIDC role), and only for challenges that allow them.
public struct DNSPodConfiguration: Sendable, Hashable {
    /// Where the SecretId comes from: a Secret, or the config itself (a SecretId is not secret;
    /// imroc's webhook up to 1.4 took it inline).
    public enum SecretId: Sendable, Hashable {
        case secret(SecretReference)
        case inline(String)
    }

    public var secretId: SecretId?
    public var secretKeyRef: SecretReference?
    public var sessionTokenRef: SecretReference?
    public var ttl: Int
    /// The line name (`默认`, `电信`…); `nil` is the default line.
    public var recordLine: String?
    public var region: String?
    public var endpoint: BaseURL
    /// Set only when the config names one; otherwise the official STS host.
    public var stsEndpoint: BaseURL?

    /// 600 s: the webhook's default, and the lowest TTL DNSPod's free plan accepts.
    public static let defaultTTL = 600
    /// The default line, as the API names it.
    public static let defaultRecordLine = "默认"

    public init(
        secretId: SecretId? = nil,
        secretKeyRef: SecretReference? = nil,
        sessionTokenRef: SecretReference? = nil,
        ttl: Int = DNSPodConfiguration.defaultTTL,
        recordLine: String? = nil,
        region: String? = nil,
        endpoint: BaseURL = .dnspodAPI,
        stsEndpoint: BaseURL? = nil
    ) {
        self.secretId = secretId
        self.secretKeyRef = secretKeyRef
        self.sessionTokenRef = sessionTokenRef
        self.ttl = ttl
        self.recordLine = recordLine
        self.region = region
        self.endpoint = endpoint
        self.stsEndpoint = stsEndpoint
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> DNSPodConfiguration {
        var reader = try ConfigReader(block, at: path)
        let idRef = try reader.optionalSecretReference("secretIdRef")
        let inlineId = try reader.optionalString("secretId")?.trimmingWhitespace()
        let keyRef = try reader.optionalSecretReference("secretKeyRef")
        let tokenRef = try reader.optionalSecretReference("sessionTokenRef")
        var secretId: SecretId?
        switch (idRef, inlineId) {
        case (.some, .some):
            throw DNS01Error.invalidConfiguration(at: path.appending("secretId"), "cannot be set with secretIdRef: keep one of them (secretIdRef reads the SecretId from a Secret)")
        case (.some(let reference), nil):
            secretId = .secret(reference)
        case (nil, .some(let id)):
            guard !id.isEmpty else { throw DNS01Error.invalidConfiguration(at: path.appending("secretId"), "is empty") }
            guard id.utf8.count <= 128, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("secretId"), "must be a SecretId such as AKIDxxxxxxxx")
            }
            secretId = .inline(id)
        case (nil, nil):
            break
        }
        switch (secretId, keyRef) {
        case (.some, nil):
            throw DNS01Error.invalidConfiguration(at: path.appending("secretKeyRef"), "is required with \(idRef != nil ? "secretIdRef" : "secretId") (the SecretKey that belongs to that SecretId)")
        case (nil, .some):
            throw DNS01Error.invalidConfiguration(at: path.appending("secretIdRef"), "is required with secretKeyRef (the SecretId that key belongs to; the older inline secretId works too)")
        case (nil, nil) where tokenRef != nil:
            throw DNS01Error.invalidConfiguration(at: path.appending("sessionTokenRef"), "needs secretIdRef and secretKeyRef (the temporary key it belongs to)")
        default:
            break
        }
        let ttl = try reader.optionalInt("ttl", in: 1...604_800) ?? defaultTTL
        var recordLine = try reader.optionalString("recordLine")?.trimmingWhitespace()
        if recordLine?.isEmpty == true { recordLine = nil }
        if let line = recordLine, line.unicodeScalars.count > 64 || line.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\"" || $0 == "\\" }) {
            throw DNS01Error.invalidConfiguration(at: path.appending("recordLine"), "must be a line name such as \"默认\" (the default line), \"电信\" or \"境外\", got \"\(line)\"")
        }
        let region = try reader.optionalString("region")
        if let region, !isRegion(region) {
            throw DNS01Error.invalidConfiguration(at: path.appending("region"), "must be a region such as ap-guangzhou or na-siliconvalley, got \"\(region)\"")
        }
        let endpoint = try decodeEndpoint(&reader, "endpoint", source: source)
        let stsEndpoint = try decodeEndpoint(&reader, "stsEndpoint", source: source)
        try reader.finish()
        return DNSPodConfiguration(
            secretId: secretId, secretKeyRef: keyRef, sessionTokenRef: tokenRef, ttl: ttl, recordLine: recordLine,
            region: region, endpoint: endpoint ?? .dnspodAPI, stsEndpoint: stsEndpoint
        )
    }

    private static func decodeEndpoint(_ reader: inout ConfigReader, _ key: String, source: ConfigSource) throws(DNS01Error) -> BaseURL? {
        guard let text = try reader.optionalString(key) else { return nil }
        let path = reader.path.appending(key)
        guard let endpoint = BaseURL(hostOrRoot: text) else {
            throw DNS01Error.invalidConfiguration(at: path, "must be a host name or an http(s)://host[:port] URL without a path, got \"\(text)\"")
        }
        try source.checkEndpoint(endpoint.url("/"), at: path, official: DNSPodPlugin.descriptor.officialHosts)
        return endpoint
    }

    private static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 2 && text.utf8.count <= 64
            && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) } }
    }
}
