import DNS01
import ProviderKit

/// The `huaweicloud` config block. Field names are those of the vendor's webhook
/// (HuaweiCloudDeveloper/cert-manager-webhook-huawei); the other two webhooks' names are
/// accepted as aliases, so an Issuer moving here keeps its config:
///
/// ```yaml
/// huaweicloud:
///   regionId: cn-north-4                               # or `region`; endpoint dns.<region>.myhuaweicloud.com
///   accessKeyRef: {name: huawei-secret, key: accessKey}   # or `akSecretRef`, or inline `appKey`
///   secretKeyRef: {name: huawei-secret, key: secretKey}   # or `skSecretRef`, or inline `appSecret`
///   securityTokenRef: {name: huawei-secret, key: token}   # optional, temporary keys
///   projectId: 0123456789abcdef0123456789abcdef           # optional, sent as X-Project-Id
///   zoneId: ff8080827f0e3f6a017f2e7e1a3b2c4d             # optional; or zoneName; otherwise looked up
///   zoneType: public                                      # optional; `private` for private zones
///   ttl: 300                                              # optional, default 300
///   endpoint: https://dns.cn-north-4.myhuaweicloud.com    # optional override
/// ```
public struct HuaweiCloudConfiguration: Sendable, Hashable {
    /// A value from a Secret, or written in the config itself (the innoai webhook's inline
    /// `appKey`/`appSecret`).
    public enum Value<Inline: Sendable & Hashable>: Sendable, Hashable {
        case secret(SecretReference)
        case inline(Inline)
    }

    /// A zone named by the config instead of looked up.
    public enum Zone: Sendable, Hashable {
        case id(String)
        case name(DomainName)
    }

    public var regionId: String?
    public var accessKey: Value<String>?
    public var secretKey: Value<SecretValue>?
    public var securityTokenRef: SecretReference?
    public var projectId: String?
    public var zone: Zone?
    /// `public` or `private`.
    public var zoneType: String
    public var ttl: Int
    public var endpoint: BaseURL

    /// 300 s, the API's own default TTL.
    public static let defaultTTL = 300

    public init(
        regionId: String? = nil,
        accessKey: Value<String>? = nil,
        secretKey: Value<SecretValue>? = nil,
        securityTokenRef: SecretReference? = nil,
        projectId: String? = nil,
        zone: Zone? = nil,
        zoneType: String = "public",
        ttl: Int = HuaweiCloudConfiguration.defaultTTL,
        endpoint: BaseURL? = nil
    ) {
        self.regionId = regionId
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.securityTokenRef = securityTokenRef
        self.projectId = projectId
        self.zone = zone
        self.zoneType = zoneType
        self.ttl = ttl
        self.endpoint = endpoint ?? .huaweiDNS(regionId: regionId ?? BaseURL.huaweiDefaultRegionId)
    }

    /// Decodes and validates a block; errors name the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> HuaweiCloudConfiguration {
        var reader = try ConfigReader(block, at: path)
        let regionField = try onlyOne(of: ["regionId", "region"], in: &reader)
        var regionId: String?
        if case (let field, let value)? = regionField {
            let text = try string(value, at: path.appending(field))
            guard isRegion(text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending(field), "must be a region such as cn-north-4 or ap-southeast-1, got \"\(text)\"")
            }
            regionId = text
        }

        var accessKey: Value<String>?
        switch try onlyOne(of: ["accessKeyRef", "akSecretRef", "appKey"], in: &reader) {
        case (let field, let value)? where field == "appKey":
            let text = try string(value, at: path.appending(field)).trimmingWhitespace()
            guard !text.isEmpty, text.utf8.count <= 128, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw DNS01Error.invalidConfiguration(at: path.appending(field), "must be an access key ID (AK) such as HPUAXXXXXXXXXXXXXXXX")
            }
            accessKey = .inline(text)
        case (let field, let value)?:
            accessKey = .secret(try secretReference(value, at: path.appending(field)))
        case nil:
            break
        }
        var secretKey: Value<SecretValue>?
        switch try onlyOne(of: ["secretKeyRef", "skSecretRef", "appSecret"], in: &reader) {
        case (let field, let value)? where field == "appSecret":
            let text = try string(value, at: path.appending(field))
            guard !text.trimmingWhitespace().isEmpty else { throw DNS01Error.invalidConfiguration(at: path.appending(field), "is empty") }
            secretKey = .inline(SecretValue(text))
        case (let field, let value)?:
            secretKey = .secret(try secretReference(value, at: path.appending(field)))
        case nil:
            break
        }
        let tokenRef = try reader.optionalSecretReference("securityTokenRef")
        switch (accessKey, secretKey) {
        case (.some, nil):
            throw DNS01Error.invalidConfiguration(at: path.appending("secretKeyRef"), "is required with the access key (the secret access key, SK, that belongs to it)")
        case (nil, .some):
            throw DNS01Error.invalidConfiguration(at: path.appending("accessKeyRef"), "is required with the secret key (the access key ID, AK, it belongs to)")
        case (nil, nil) where tokenRef != nil:
            throw DNS01Error.invalidConfiguration(at: path.appending("securityTokenRef"), "needs accessKeyRef and secretKeyRef (the temporary access key it belongs to)")
        default:
            break
        }

        let projectId = try reader.optionalString("projectId")?.trimmingWhitespace()
        if let projectId, projectId.isEmpty || projectId.utf8.count > 64 || !projectId.utf8.allSatisfy(isIdByte) {
            throw DNS01Error.invalidConfiguration(at: path.appending("projectId"), "must be a project ID (32 hexadecimal characters), got \"\(projectId)\"")
        }
        var zone: Zone?
        let zoneId = try reader.optionalString("zoneId")?.trimmingWhitespace()
        let zoneName = try reader.optionalString("zoneName")
        switch (zoneId, zoneName) {
        case (.some, .some):
            throw DNS01Error.invalidConfiguration(at: path.appending("zoneName"), "cannot be set with zoneId: keep one of them")
        case (let id?, nil):
            guard !id.isEmpty, id.utf8.count <= 64, id.utf8.allSatisfy(isIdByte) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("zoneId"), "must be a zone ID such as ff8080827f0e3f6a017f2e7e1a3b2c4d, got \"\(id)\"")
            }
            zone = .id(id)
        case (nil, let name?):
            do {
                let domain = try DomainName(name)
                guard !domain.isRoot else { throw DNS01Error(.invalidConfiguration, "") }
                zone = .name(domain)
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("zoneName"), "must be a DNS zone name such as example.com, got \"\(name)\"")
            }
        case (nil, nil):
            break
        }
        let zoneType = try reader.optionalString("zoneType") ?? "public"
        guard zoneType == "public" || zoneType == "private" else {
            throw DNS01Error.invalidConfiguration(at: path.appending("zoneType"), "must be public or private, got \"\(zoneType)\"")
        }
        let ttl = try reader.optionalInt("ttl", in: 1...2_147_483_647) ?? defaultTTL
        var endpoint: BaseURL?
        if let text = try reader.optionalString("endpoint") {
            guard let parsed = BaseURL(hostOrRoot: text) else {
                throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be a host name or an http(s)://host[:port] URL without a path, got \"\(text)\"")
            }
            try source.checkEndpoint(parsed.url("/"), at: path.appending("endpoint"), official: HuaweiCloudPlugin.descriptor.officialHosts)
            endpoint = parsed
        } else if let regionId, case (let field, _)? = regionField {
            // The region decides the host: an Issuer may only name a region whose DNS endpoint
            // is one of the official hosts.
            try source.checkEndpoint(BaseURL.huaweiDNS(regionId: regionId).url("/"), at: path.appending(field), official: HuaweiCloudPlugin.descriptor.officialHosts)
        }
        try reader.finish()
        return HuaweiCloudConfiguration(
            regionId: regionId, accessKey: accessKey, secretKey: secretKey, securityTokenRef: tokenRef, projectId: projectId,
            zone: zone, zoneType: zoneType, ttl: ttl, endpoint: endpoint
        )
    }

    /// The one field of `names` that is set (they are aliases), or an error naming both.
    private static func onlyOne(of names: [String], in reader: inout ConfigReader) throws(DNS01Error) -> (String, ConfigValue)? {
        var found: [(String, ConfigValue)] = []
        for name in names {
            if let value = reader.optionalValue(name) { found.append((name, value)) }
        }
        if found.count > 1 {
            throw DNS01Error.invalidConfiguration(at: reader.path.appending(found[1].0), "cannot be set with \(found[0].0): they are two names for one field; keep one")
        }
        return found.first
    }

    private static func string(_ value: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> String {
        guard case .string(let text) = value else { throw DNS01Error.invalidConfiguration(at: path, "must be a string, got \(value.kindName)") }
        return text
    }

    private static func secretReference(_ value: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> SecretReference {
        var reader = try ConfigReader(value, at: path)
        let name = try reader.string("name")
        let key = try reader.string("key")
        try reader.finish()
        return SecretReference(name: name, key: key)
    }

    private static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 2 && text.utf8.count <= 64
            && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) } }
    }

    private static func isIdByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
