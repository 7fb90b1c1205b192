/// An http(s) URL, or a `dns://host[:port]` nameserver address, cut into the parts an
/// allow-list compares: scheme, host, port and path.
///
/// Parsing is deliberately strict, because the point is to stop a tenant from reaching a host
/// the operator did not list: no user info (`https://allowed@evil`), no query or fragment, no
/// backslashes, no `.`/`..` path segments (plain or percent-encoded) that a server could
/// normalise away after the check.
public struct EndpointPrefix: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// Lower-cased; IPv6 addresses keep their brackets.
    public let host: String
    public let port: Int
    /// Always starts with `/`; a prefix's path ends with `/` so it matches at segment boundaries.
    public let path: String

    /// Parses an allow-list entry; its path is taken as a directory (`/acme` → `/acme/`).
    public init?(_ text: String) {
        guard let parts = Self.parse(text) else { return nil }
        (scheme, host, port) = (parts.scheme, parts.host, parts.port)
        path = parts.path.hasSuffix("/") ? parts.path : parts.path + "/"
    }

    /// Parses a URL to be checked against prefixes; its path is kept as written.
    init?(matching text: String) {
        guard let parts = Self.parse(text) else { return nil }
        (scheme, host, port, path) = (parts.scheme, parts.host, parts.port, parts.path)
    }

    /// Whether `url` has the same scheme, host and port, and a path at or below this one.
    func contains(_ url: EndpointPrefix) -> Bool {
        guard url.scheme == scheme, url.host == host, url.port == port else { return false }
        return url.path.hasPrefix(path) || url.path + "/" == path
    }

    public var description: String {
        "\(scheme)://\(host)\(port == Self.defaultPort(of: scheme) ? "" : ":\(port)")\(path)"
    }

    private static func parse(_ text: String) -> (scheme: String, host: String, port: Int, path: String)? {
        let lowered = text.lowercased()
        guard let scheme = ["https", "http", "dns"].first(where: { lowered.hasPrefix($0 + "://") }) else { return nil }
        let rest = text.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { $0 == "?" || $0 == "#" || $0 == "\\" || $0 == "@" || $0.isWhitespace }) else { return nil }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard let (host, port) = splitAuthority(authority, defaultPort: defaultPort(of: scheme)) else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { $0.lowercased() }
        guard !segments.contains(where: { [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."].contains($0) }) else { return nil }
        return (scheme, host, port, path.isEmpty ? "/" : String(path))
    }

    static func defaultPort(of scheme: String) -> Int {
        switch scheme {
        case "https": 443
        case "dns": 53
        default: 80
        }
    }

    private static func splitAuthority(_ authority: Substring, defaultPort: Int) -> (String, Int)? {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { return nil }
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        }
        // A trailing dot names the same host; drop it so `host.` cannot dodge the comparison.
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return (name, port)
    }
}
