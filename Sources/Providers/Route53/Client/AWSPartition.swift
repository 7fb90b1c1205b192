/// The AWS partition a region belongs to, which decides Route53's endpoint and signing region
/// and the STS host suffix. Route53 is a global service: one endpoint per partition.
public enum AWSPartition: String, Sendable, Hashable {
    case aws
    case china = "aws-cn"
    case govCloud = "aws-us-gov"

    public init(region: String?) {
        guard let region else {
            self = .aws
            return
        }
        if region.hasPrefix("cn-") { self = .china } else if region.hasPrefix("us-gov-") { self = .govCloud } else { self = .aws }
    }

    public var route53Endpoint: String {
        switch self {
        case .aws: "https://route53.amazonaws.com"
        case .china: "https://route53.amazonaws.com.cn"
        case .govCloud: "https://route53.us-gov.amazonaws.com"
        }
    }

    /// The region Route53 requests are signed for, whatever region the config names.
    public var route53SigningRegion: String {
        switch self {
        case .aws: "us-east-1"
        case .china: "cn-northwest-1"
        case .govCloud: "us-gov-west-1"
        }
    }

    var dnsSuffix: String { self == .china ? "amazonaws.com.cn" : "amazonaws.com" }

    /// STS for `region`: `https://sts.<region>.amazonaws.com[.cn]`.
    public func regionalSTSEndpoint(_ region: String) -> String { "https://sts.\(region).\(dnsSuffix)" }

    /// The endpoint used when no region is known: the global one (us-east-1); China has none, so
    /// its first region stands in.
    public var globalSTS: (endpoint: String, signingRegion: String) {
        switch self {
        case .aws: ("https://sts.amazonaws.com", "us-east-1")
        case .china: (regionalSTSEndpoint("cn-north-1"), "cn-north-1")
        case .govCloud: (regionalSTSEndpoint("us-gov-west-1"), "us-gov-west-1")
        }
    }
}
