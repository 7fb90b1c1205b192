import DNS01

/// Where Tencent Cloud API 3.0 requests go: a scheme and an authority; every call is posted to
/// `/`, and the authority is the `Host` that is signed.
public struct TencentEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// `host`, or `host:port` when the port is not the scheme's default (what `Host` carries).
    public let authority: String

    public init(scheme: String = "https", authority: String) {
        self.scheme = scheme
        self.authority = authority
    }

    /// DNSPod's API 3.0 endpoint (zone data is global; the international site has its own host).
    public static let dnspod = TencentEndpoint(authority: "dnspod.tencentcloudapi.com")
    /// The STS endpoint the official SDKs use for web identity.
    public static let sts = TencentEndpoint(authority: "sts.tencentcloudapi.com")

    /// The URL requests are sent to.
    public var url: String { "\(scheme)://\(authority)/" }

    public var description: String { "\(scheme)://\(authority)" }

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
