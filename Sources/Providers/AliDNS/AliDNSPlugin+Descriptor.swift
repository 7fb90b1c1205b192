import DNS01

extension AliDNSPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "alidns",
        title: "Alibaba Cloud DNS",
        summary: "Alibaba Cloud DNS (AliDNS), with the config of the widely used AliDNS webhooks; one record per value, never trusts a TLD zone hint.",
        apiDocumentation: "https://www.alibabacloud.com/help/en/dns/api-alidns-2015-01-09-overview",
        fields: [
            ConfigField("regionId", .string, "A region ID such as `cn-hangzhou`; mainland regions use `alidns.<region>.aliyuncs.com`, others the Singapore endpoint; without it, the central endpoint."),
            ConfigField("accessTokenSecretRef", .secretReference, "The AccessKey ID, from a Secret (the field name is the AliDNS webhooks')."),
            ConfigField("secretKeySecretRef", .secretReference, "The AccessKey secret, from a Secret."),
            ConfigField("securityTokenSecretRef", .secretReference, "An STS security token, for temporary AccessKeys."),
            ConfigField("ttl", .integer(1...86_400), default: "600", "The TTL of the TXT record; 600 is the lowest the free edition accepts."),
            ConfigField("line", .string, default: "default", "The resolution line code (`default`, `telecom`, `oversea`…)."),
            ConfigField("endpoint", .url, default: "by regionId", issuerRestricted: true, "The AliDNS API endpoint (`host` or `https://host[:port]`)."),
            ConfigField("stsEndpoint", .url, default: "by region, or ALIBABA_CLOUD_STS_ENDPOINT", issuerRestricted: true, "The STS endpoint used for RRSA."),
        ],
        authModes: [
            AuthMode("AccessKey", "`accessTokenSecretRef` and `secretKeySecretRef` (and `securityTokenSecretRef` for STS keys)."),
            AuthMode("environment", ambient: true, "`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` of the webhook's pod."),
            AuthMode("RRSA", ambient: true, "ACK's RAM Roles for Service Accounts: `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` exchanged by AssumeRoleWithOIDC."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials and the block names no Secrets: environment keys, then RRSA.",
        officialHosts: OfficialHosts([
            "alidns.aliyuncs.com", "alidns.{region}.aliyuncs.com", "sts.aliyuncs.com", "sts.{region}.aliyuncs.com", "sts-vpc.{region}.aliyuncs.com",
        ]),
        recordModel: .recordPerValue,
        example: """
            regionId: cn-beijing
            accessTokenSecretRef: {name: alidns-secrets, key: access-token}
            secretKeySecretRef: {name: alidns-secrets, key: secret-key}
            """,
        migration: """
            From the AliDNS webhooks (`groupName` of that webhook, `solverName: alidns-solver`): keep `config` as it is, and set `groupName` to this webhook's group and `solverName: alidns`. The RAM policy needs `alidns:DescribeDomains`, `alidns:DescribeDomainRecords`, `alidns:AddDomainRecord` and `alidns:DeleteDomainRecord`.
            """,
        notes: """
            The domain is the longest domain of the account that holds the record name: cert-manager's zone hint is not trusted, because behind split DNS it can be a TLD. Present adds one record for its value and Cleanup deletes only records holding its value, so an apex and a wildcard challenge never touch each other.
            """
    )
}
