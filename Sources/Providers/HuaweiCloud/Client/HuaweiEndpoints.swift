import ProviderKit

extension BaseURL {
    /// The DNS endpoint of a region, as huaweicloudsdkdns names them. Public zones are global:
    /// every region's endpoint sees every zone of the account. API paths start with `/v2/`.
    public static func huaweiDNS(regionId: String) -> BaseURL {
        BaseURL(authority: "dns.\(regionId).myhuaweicloud.com")
    }

    /// The region used without `regionId` (acme.sh's choice for Huawei Cloud DNS).
    public static let huaweiDefaultRegionId = "ap-southeast-1"
}
