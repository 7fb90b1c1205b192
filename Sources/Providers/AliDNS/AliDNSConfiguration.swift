import DNS01
import ProviderKit

/// The `alidns` config block. Field names are those of the widely used AliDNS webhook
/// (DEVmachine-fr/cert-manager-alidns-webhook), so an Issuer moving here keeps its config:
///
/// ```yaml
/// alidns:
///   regionId: cn-beijing                                          # optional
///   accessTokenSecretRef: {name: alidns-secrets, key: access-token}   # AccessKey ID
///   secretKeySecretRef: {name: alidns-secrets, key: secret-key}       # AccessKey secret
///   securityTokenSecretRef: {name: alidns-secrets, key: sts-token}    # optional, STS keys
///   ttl: 600                                                      # optional, default 600
///   line: default                                                 # optional resolution line
///   endpoint: https://alidns.cn-beijing.aliyuncs.com              # optional override
///   stsEndpoint: https://sts.cn-beijing.aliyuncs.com              # optional, for RRSA
/// ```
///
/// Without the two Secret references the provider uses ambient credentials (environment, then
/// RRSA), and only for challenges that allow them.
public struct AliDNSConfiguration: Sendable, Hashable {
    public var regionId: String?
    public var accessKeyIdRef: SecretReference?
    public var accessKeySecretRef: SecretReference?
    public var securityTokenRef: SecretReference?
    public var endpoint: BaseURL
    /// Set only when the config names one; otherwise the RRSA environment decides.
    public var stsEndpoint: BaseURL?
    public var ttl: Int
    public var line: String?

    /// 600 s is the lowest TTL the free edition of Alibaba Cloud DNS accepts.
    public static let defaultTTL = 600

    public init(
        regionId: String? = nil,
        accessKeyIdRef: SecretReference? = nil,
        accessKeySecretRef: SecretReference? = nil,
        securityTokenRef: SecretReference? = nil,
        endpoint: BaseURL? = nil,
        stsEndpoint: BaseURL? = nil,
        ttl: Int = AliDNSConfiguration.defaultTTL,
        line: String? = nil
    ) {
        self.regionId = regionId
        self.accessKeyIdRef = accessKeyIdRef
        self.accessKeySecretRef = accessKeySecretRef
        self.securityTokenRef = securityTokenRef
        self.endpoint = endpoint ?? .aliDNS(regionId: regionId)
        self.stsEndpoint = stsEndpoint
        self.ttl = ttl
        self.line = line
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AliDNSConfiguration {
        var reader = try ConfigReader(block, at: path)
        let regionId = try reader.optionalString("regionId")
        if let regionId, !isRegionId(regionId) {
            throw DNS01Error.invalidConfiguration(at: path.appending("regionId"), "must be a region ID such as cn-hangzhou or ap-southeast-1, got \"\(regionId)\"")
        }
        let idRef = try reader.optionalSecretReference("accessTokenSecretRef")
        let secretRef = try reader.optionalSecretReference("secretKeySecretRef")
        let tokenRef = try reader.optionalSecretReference("securityTokenSecretRef")
        switch (idRef, secretRef) {
        case (.some, nil): throw DNS01Error.invalidConfiguration(at: path.appending("secretKeySecretRef"), "is required with accessTokenSecretRef (the AccessKey secret that belongs to that AccessKey ID)")
        case (nil, .some): throw DNS01Error.invalidConfiguration(at: path.appending("accessTokenSecretRef"), "is required with secretKeySecretRef (the AccessKey ID that secret belongs to)")
        case (nil, nil) where tokenRef != nil:
            throw DNS01Error.invalidConfiguration(at: path.appending("securityTokenSecretRef"), "needs accessTokenSecretRef and secretKeySecretRef (the STS AccessKey pair it belongs to)")
        default: break
        }
        let endpoint = try decodeEndpoint(&reader, "endpoint", source: source)
        let stsEndpoint = try decodeEndpoint(&reader, "stsEndpoint", source: source)
        let ttl = try reader.optionalInt("ttl", in: 1...86_400) ?? defaultTTL
        let line = try reader.optionalString("line")
        if let line, line.isEmpty || line.utf8.count > 64 || !line.utf8.allSatisfy(isLineByte) {
            throw DNS01Error.invalidConfiguration(at: path.appending("line"), "must be a resolution line code such as \"default\", \"telecom\" or \"oversea\", got \"\(line)\"")
        }
        try reader.finish()
        return AliDNSConfiguration(
            regionId: regionId, accessKeyIdRef: idRef, accessKeySecretRef: secretRef, securityTokenRef: tokenRef,
            endpoint: endpoint, stsEndpoint: stsEndpoint, ttl: ttl, line: line
        )
    }

    private static func decodeEndpoint(_ reader: inout ConfigReader, _ key: String, source: ConfigSource) throws(DNS01Error) -> BaseURL? {
        guard let text = try reader.optionalString(key) else { return nil }
        let path = reader.path.appending(key)
        guard let endpoint = BaseURL(hostOrRoot: text) else {
            throw DNS01Error.invalidConfiguration(at: path, "must be a host name or an http(s)://host[:port] URL without a path, got \"\(text)\"")
        }
        try source.checkEndpoint(endpoint.url("/"), at: path, official: AliDNSPlugin.descriptor.officialHosts)
        return endpoint
    }

    private static func isRegionId(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 2 && text.utf8.count <= 64
            && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) } }
    }

    private static func isLineByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "_")
    }
}
