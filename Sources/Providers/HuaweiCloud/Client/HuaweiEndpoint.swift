import DNS01

/// Where Huawei Cloud DNS requests go: a scheme and an authority (the `Host` that is signed).
public struct HuaweiEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// `host`, or `host:port` when the port is not the scheme's default (what `Host` carries).
    public let authority: String

    public init(scheme: String = "https", authority: String) {
        self.scheme = scheme
        self.authority = authority
    }

    /// The DNS endpoint of a region, as huaweicloudsdkdns names them. Public zones are global:
    /// every region's endpoint sees every zone of the account.
    public static func dns(regionId: String) -> HuaweiEndpoint {
        HuaweiEndpoint(authority: "dns.\(regionId).myhuaweicloud.com")
    }

    /// The region used without `regionId` (acme.sh's choice for Huawei Cloud DNS).
    public static let defaultRegionId = "ap-southeast-1"

    /// The base URL, without a trailing `/`; API paths start with `/v2/`.
    public var baseURL: String { "\(scheme)://\(authority)" }

    public var description: String { baseURL }

    /// Parses `host`, `host:port` or `scheme://host[:port][/]`; `nil` when it is none of those.
    /// The scheme's default port is dropped, as the `Host` header drops it.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingWhitespace())
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard scheme == "https" || scheme == "http", !rest.isEmpty,
            !rest.contains(where: { "/?#@ \\".contains($0) })
        else { return nil }
        var authority = rest.lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        self.init(scheme: scheme, authority: authority)
    }
}
