import ProviderKit

/// One Azure cloud: where its Resource Manager and its Entra ID authority are, and the audience
/// a token for Resource Manager is asked for (the scope is the audience followed by
/// `/.default`; the public cloud's audience ends in `/`, so its scope has a double slash).
public struct AzureCloud: Sendable, Hashable {
    /// The `environment` value that names it (`AzurePublicCloud`).
    public let name: String
    public let resourceManager: BaseURL
    public let authorityHost: BaseURL
    public let audience: String

    /// The OAuth 2.0 scope of a Resource Manager token.
    public var scope: String { audience + "/.default" }

    public static let publicCloud = AzureCloud(
        name: "AzurePublicCloud",
        resourceManager: BaseURL(authority: "management.azure.com"),
        authorityHost: BaseURL(authority: "login.microsoftonline.com"),
        audience: "https://management.core.windows.net/"
    )
    public static let chinaCloud = AzureCloud(
        name: "AzureChinaCloud",
        resourceManager: BaseURL(authority: "management.chinacloudapi.cn"),
        authorityHost: BaseURL(authority: "login.chinacloudapi.cn"),
        audience: "https://management.core.chinacloudapi.cn"
    )
    public static let usGovernmentCloud = AzureCloud(
        name: "AzureUSGovernmentCloud",
        resourceManager: BaseURL(authority: "management.usgovcloudapi.net"),
        authorityHost: BaseURL(authority: "login.microsoftonline.us"),
        audience: "https://management.core.usgovcloudapi.net"
    )

    /// The clouds by every name cert-manager's Azure SDK knows them by: the `environment`
    /// values, and the SDK's own short names `AzureCloud` and `AzureUSGovernment`.
    public static let byName: [String: AzureCloud] = [
        "AzurePublicCloud": publicCloud, "AzureCloud": publicCloud,
        "AzureChinaCloud": chinaCloud,
        "AzureUSGovernmentCloud": usGovernmentCloud, "AzureUSGovernment": usGovernmentCloud,
    ]

    /// Every cloud's Resource Manager and authority host: what an Issuer may name.
    public static let officialHosts: [String] = [publicCloud, chinaCloud, usGovernmentCloud].flatMap { [$0.resourceManager.host, $0.authorityHost.host] }
}
