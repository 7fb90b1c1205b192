import ProviderKit

/// Tencent Cloud API 3.0 endpoints: every call is posted to `/`, and the authority is the
/// `Host` that is signed.
extension BaseURL {
    /// DNSPod's API 3.0 endpoint (zone data is global; the international site has its own host).
    public static let dnspodAPI = BaseURL(authority: "dnspod.tencentcloudapi.com")
    /// The STS endpoint the official SDKs use for web identity.
    public static let tencentSTS = BaseURL(authority: "sts.tencentcloudapi.com")
}
