/// The hosts a provider's own API lives on: what an Issuer's config may point the provider at
/// without the operator's say-so. A `*` label stands for exactly one label
/// (`sts.*.amazonaws.com` matches `sts.eu-west-1.amazonaws.com`), and a label ending in `*`
/// for one label with that prefix (`akab-*.luna.akamaiapis.net`, for APIs that give each
/// client its own host); patterns are kept to the API's own host names, because cloud domains
/// also hold hosts anyone can rent (storage buckets, websites). Only `https` on port 443
/// qualifies.
public struct OfficialHosts: Sendable, Hashable, CustomStringConvertible {
    public let patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns.map { $0.lowercased() }
    }

    /// A provider with no official host (your own server, a hook): an Issuer needs the
    /// operator's `issuerPolicy.allowedEndpoints` for every endpoint.
    public static let none = OfficialHosts([])

    /// Whether `url` is `https` to an official host on the default port, with no user, query
    /// or dot segments.
    public func contains(_ url: String) -> Bool {
        guard let parsed = EndpointPrefix(matching: url), parsed.scheme == "https", parsed.port == 443 else { return false }
        let labels = parsed.host.split(separator: ".", omittingEmptySubsequences: false)
        return patterns.contains { pattern in
            let expected = pattern.split(separator: ".", omittingEmptySubsequences: false)
            return expected.count == labels.count
                && zip(expected, labels).allSatisfy { Self.label($1, matches: $0) }
        }
    }

    private static func label(_ label: Substring, matches pattern: Substring) -> Bool {
        guard pattern.hasSuffix("*") else { return label == pattern }
        let prefix = pattern.dropLast()
        return label.count > prefix.count && label.hasPrefix(prefix)
    }

    public var description: String {
        patterns.isEmpty ? "none" : patterns.map { "https://\($0)" }.joined(separator: ", ")
    }
}
