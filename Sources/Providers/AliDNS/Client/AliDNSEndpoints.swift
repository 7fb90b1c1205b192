import ProviderKit

/// Alibaba Cloud RPC endpoints: requests are posted to `/`.
extension BaseURL {
    /// The AliDNS endpoint for a region: Alibaba serves mainland China regions (`cn-*`) from
    /// `alidns.<region>.aliyuncs.com` and every international region from Singapore; with no
    /// region, the central endpoint. Zone data is global, so every endpoint sees every domain.
    public static func aliDNS(regionId: String?) -> BaseURL {
        guard let regionId else { return BaseURL(authority: "alidns.aliyuncs.com") }
        if regionId.hasPrefix("cn-") { return BaseURL(authority: "alidns.\(regionId).aliyuncs.com") }
        return BaseURL(authority: "alidns.ap-southeast-1.aliyuncs.com")
    }

    /// The STS endpoint as Alibaba's credentials libraries choose it: `sts.<region>` (or
    /// `sts-vpc.<region>` inside a VPC) when a region is given, else the central one.
    public static func aliSTS(regionId: String?, vpc: Bool) -> BaseURL {
        guard let regionId, !regionId.isEmpty else { return BaseURL(authority: "sts.aliyuncs.com") }
        return BaseURL(authority: "\(vpc ? "sts-vpc" : "sts").\(regionId).aliyuncs.com")
    }
}
