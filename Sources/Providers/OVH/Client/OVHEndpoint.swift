import DNS01

/// An OVH API endpoint: one of the named ones the OVH SDKs know (`ovh-eu`…), or a URL.
public struct OVHEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The API base URL, with `/1.0` and without a trailing slash.
    public let url: String
    /// The name it was given by (`ovh-eu`), or `nil` for a URL.
    public let name: String?
    /// Where OAuth2 client-credentials tokens come from for this endpoint, when OVH has one.
    public let tokenURL: String?

    /// The endpoints of the OVH SDKs (go-ovh, python-ovh), with their OAuth2 token URLs.
    public static let named: [String: (api: String, token: String?)] = [
        "ovh-eu": ("https://eu.api.ovh.com/1.0", "https://www.ovh.com/auth/oauth2/token"),
        "ovh-ca": ("https://ca.api.ovh.com/1.0", "https://ca.ovh.com/auth/oauth2/token"),
        "ovh-us": ("https://api.us.ovhcloud.com/1.0", "https://us.ovhcloud.com/auth/oauth2/token"),
        "kimsufi-eu": ("https://eu.api.kimsufi.com/1.0", nil),
        "kimsufi-ca": ("https://ca.api.kimsufi.com/1.0", nil),
        "soyoustart-eu": ("https://eu.api.soyoustart.com/1.0", nil),
        "soyoustart-ca": ("https://ca.api.soyoustart.com/1.0", nil),
    ]

    public init(url: String, name: String?, tokenURL: String?) {
        self.url = url
        self.name = name
        self.tokenURL = tokenURL
    }

    /// A name from `named`, or an `http(s)://` URL (a named endpoint's own URL keeps its token URL).
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        if let known = Self.named[trimmed.lowercased()] {
            self.init(url: known.api, name: trimmed.lowercased(), tokenURL: known.token)
            return
        }
        var url = trimmed
        while url.hasSuffix("/") { url.removeLast() }
        guard EndpointPrefix(url) != nil else { return nil }
        let match = Self.named.first { $0.value.api.lowercased() == url.lowercased() }
        self.init(url: url, name: nil, tokenURL: match?.value.token)
    }

    public var description: String { name ?? url }
}
