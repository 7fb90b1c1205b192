import DNS01

/// Where API requests go: a scheme and an authority, requests are posted to `/`.
public struct AliDNSEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// `host` or `host:port`.
    public let authority: String

    public init(scheme: String = "https", authority: String) {
        self.scheme = scheme
        self.authority = authority
    }

    /// The URL requests are sent to.
    public var url: String { "\(scheme)://\(authority)/" }

    /// The host without the port (IPv6 literals keep their brackets).
    public var host: String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return authority.split(separator: ":").first.map(String.init) ?? authority
    }

    public var description: String { "\(scheme)://\(authority)" }

    /// The AliDNS endpoint for a region: Alibaba serves mainland China regions (`cn-*`) from
    /// `alidns.<region>.aliyuncs.com` and every international region from Singapore; with no
    /// region, the central endpoint. Zone data is global, so every endpoint sees every domain.
    public static func aliDNS(regionId: String?) -> AliDNSEndpoint {
        guard let regionId else { return AliDNSEndpoint(authority: "alidns.aliyuncs.com") }
        if regionId.hasPrefix("cn-") { return AliDNSEndpoint(authority: "alidns.\(regionId).aliyuncs.com") }
        return AliDNSEndpoint(authority: "alidns.ap-southeast-1.aliyuncs.com")
    }

    /// The STS endpoint as Alibaba's credentials libraries choose it: `sts.<region>` (or
    /// `sts-vpc.<region>` inside a VPC) when a region is given, else the central one.
    public static func sts(regionId: String?, vpc: Bool) -> AliDNSEndpoint {
        guard let regionId, !regionId.isEmpty else { return AliDNSEndpoint(authority: "sts.aliyuncs.com") }
        return AliDNSEndpoint(authority: "\(vpc ? "sts-vpc" : "sts").\(regionId).aliyuncs.com")
    }

    /// Parses `host`, `host:port` or `scheme://host[:port][/]`; `nil` when it is none of those.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingWhitespace())
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard scheme == "https" || scheme == "http", !rest.isEmpty,
            !rest.contains(where: { "/?#@ ".contains($0) })
        else { return nil }
        self.init(scheme: scheme, authority: rest.lowercased())
    }
}
