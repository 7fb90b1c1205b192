import DNS01

/// An API's base URL as a config field gives it: `http(s)://host[:port][/path]`, written
/// without user info, query, fragment, backslashes or dot segments. Requests go to the base
/// followed by their own path (`https://api.cloudflare.com/client/v4` + `/zones`).
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
    /// `https` or `http`.
    public let scheme: String
    /// `host` or `host:port`, the host lower-cased (IPv6 literals keep their brackets).
    public let authority: String
    /// Empty, or a path starting with `/` and not ending with one.
    public let path: String

    public init(scheme: String = "https", authority: String, path: String = "") {
        self.scheme = scheme
        self.authority = authority
        self.path = path
    }

    /// Parses `text`; `nil` when it is not such a URL.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        let lowered = trimmed.lowercased()
        guard let scheme = ["https", "http"].first(where: { lowered.hasPrefix($0 + "://") }) else { return nil }
        let rest = trimmed.dropFirst(scheme.count + 3)
        guard !rest.contains(where: { "?#@\\".contains($0) || $0.isWhitespace || $0.isNewline }) else { return nil }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.isEmpty, !authority.hasPrefix(":"), Self.validPort(authority) else { return nil }
        let segments = path.split(separator: "/").map { $0.lowercased() }
        guard !segments.contains(where: { [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."].contains($0) }) else { return nil }
        // The scheme's own port is dropped, so `https://host:443` and `https://host` are one
        // URL (and the authority is what a client sends as Host, which signatures cover).
        var canonical = authority.lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if canonical.hasSuffix(defaultPort), !canonical.hasPrefix("[") || canonical.hasSuffix("]" + defaultPort) {
            canonical.removeLast(defaultPort.count)
        }
        self.init(scheme: scheme, authority: canonical, path: path)
    }

    /// Parses an endpoint field of the signed-RPC APIs (AliDNS, DNSPod, Huawei Cloud): a bare
    /// `host[:port]` (HTTPS) or `http(s)://host[:port][/]`. `nil` when it has a path, or is
    /// neither.
    public init?(hostOrRoot text: String) {
        let trimmed = text.trimmingWhitespace()
        guard let url = BaseURL(trimmed.contains("://") ? trimmed : "https://" + trimmed), url.path.isEmpty else { return nil }
        self = url
    }

    /// The host without the port.
    public var host: String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
        return authority.split(separator: ":").first.map(String.init) ?? authority
    }

    /// The base followed by `path` (which starts with `/`) and, if given, `?query`.
    public func url(_ path: String, query: String? = nil) -> String {
        var url = "\(scheme)://\(authority)\(self.path)\(path)"
        if let query, !query.isEmpty { url += "?" + query }
        return url
    }

    public var description: String { "\(scheme)://\(authority)\(path)" }

    private static func validPort(_ authority: Substring) -> Bool {
        let afterHost: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            afterHost = authority[authority.index(after: close)...]
        } else if let colon = authority.firstIndex(of: ":") {
            afterHost = authority[colon...]
        } else {
            return true
        }
        if afterHost.isEmpty { return true }
        guard afterHost.hasPrefix(":"), let port = Int(afterHost.dropFirst()) else { return false }
        return (1...65535).contains(port)
    }
}

extension ConfigReader {
    /// An optional base-URL field (`endpoint`, `host`…): parsed, then checked against the
    /// Issuer policy (an Issuer may name only `official` hosts unless the operator allows more).
    /// `example` is a good value, quoted in the format error.
    public mutating func optionalBaseURL(_ key: String, official: OfficialHosts, source: ConfigSource, example: String) throws(DNS01Error) -> BaseURL? {
        guard let text = try optionalString(key)?.trimmingWhitespace(), !text.isEmpty else { return nil }
        let fieldPath = path.appending(key)
        guard let url = BaseURL(text) else {
            throw DNS01Error.invalidConfiguration(at: fieldPath, "must be an http or https URL such as \(example) (no user, query or fragment), got \"\(text)\"")
        }
        try source.checkEndpoint(url.description, at: fieldPath, official: official)
        return url
    }
}
