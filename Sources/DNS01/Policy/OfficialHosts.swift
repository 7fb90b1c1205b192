/// The hosts a provider's own API lives on: what an Issuer's config may point the provider at
/// without the operator's say-so. Only `https` on port 443 qualifies.
///
/// Cloud domains also hold hosts anyone can rent (a storage bucket named `sts` is
/// `sts.s3.amazonaws.com`; one named `alidns` is `alidns.oss-cn-hangzhou.aliyuncs.com`), so
/// patterns name the API's own hosts: a `{region}` label matches only a region name
/// (`eu-west-1`, `cn-hangzhou`, `ap-southeast-1`: two letters, then hyphenated words), and a
/// `*` label any one label, for domains that hold nothing but API hosts
/// (`*.luna.akamaiapis.net`).
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
                && zip(expected, labels).allSatisfy { pattern, label in
                    switch pattern {
                    case "*": !label.isEmpty
                    case "{region}": Self.isRegionName(label)
                    default: pattern == label
                    }
                }
        }
    }

    /// `eu-west-1`, `us-gov-west-1`, `cn-hangzhou`, `ap-southeast-1`, `cn-north-4`.
    static func isRegionName(_ label: Substring) -> Bool {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts.first, first.count == 2, first.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.dropFirst().allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }
    }

    public var description: String {
        patterns.isEmpty ? "none" : patterns.map { "https://\($0)" }.joined(separator: ", ")
    }
}
