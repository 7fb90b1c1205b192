import DNS01

extension DNSPodPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "dnspod",
        title: "Tencent Cloud DNSPod",
        summary: "Tencent Cloud DNSPod (API 3.0), with the config of the most used DNSPod webhook; one record per value, never trusts a TLD zone hint.",
        apiDocumentation: "https://www.tencentcloud.com/document/api/1157/49025",
        fields: [
            ConfigField("secretIdRef", .secretReference, "The SecretId of a CAM API key, from a Secret (the field name is imroc/cert-manager-webhook-dnspod's)."),
            ConfigField("secretId", .string, "The SecretId written inline, as that webhook took it up to version 1.4; use either this or `secretIdRef`."),
            ConfigField("secretKeyRef", .secretReference, "The SecretKey, from a Secret."),
            ConfigField("sessionTokenRef", .secretReference, "The session token of a temporary key (STS), from a Secret; sent as `X-TC-Token`."),
            ConfigField("ttl", .integer(1...604_800), default: "600", "The TTL of the TXT record; 600 is the lowest the free plan accepts."),
            ConfigField("recordLine", .string, default: "默认", "The line (`默认`, `电信`, `境外`…) the record is created on; empty means the default line."),
            ConfigField("region", .string, "A region such as `ap-guangzhou`: the `X-TC-Region` of the TKE OIDC role's STS calls (else `TKE_REGION`); DNSPod itself is not regional."),
            ConfigField("endpoint", .url, default: "https://dnspod.tencentcloudapi.com", issuerRestricted: true, "The DNSPod API endpoint (`host` or `https://host[:port]`); the international site is `dnspod.intl.tencentcloudapi.com`."),
            ConfigField("stsEndpoint", .url, default: "https://sts.tencentcloudapi.com", issuerRestricted: true, "The STS endpoint used for the TKE OIDC role."),
        ],
        authModes: [
            AuthMode("API key", "`secretIdRef` (or inline `secretId`) and `secretKeyRef`, and `sessionTokenRef` for a temporary key."),
            AuthMode("environment", ambient: true, "`TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, for a temporary key, `TENCENTCLOUD_SESSION_TOKEN` of the webhook's pod."),
            AuthMode(
                "TKE OIDC role", ambient: true,
                "TKE's pod identity: `TKE_ROLE_ARN`, `TKE_PROVIDER_ID` and `TKE_WEB_IDENTITY_TOKEN_FILE` (or `TKE_IDENTITY_TOKEN_FILE`), exchanged by STS `AssumeRoleWithWebIdentity` for two-hour keys that are refreshed before they expire."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials and the block names no key: environment keys, then the TKE OIDC role.",
        officialHosts: OfficialHosts([
            "dnspod.tencentcloudapi.com", "dnspod.{region}.tencentcloudapi.com", "dnspod.intl.tencentcloudapi.com", "sts.tencentcloudapi.com", "sts.{region}.tencentcloudapi.com", "sts.intl.tencentcloudapi.com",
        ]),
        recordModel: .recordPerValue,
        example: """
            secretIdRef: {name: dnspod-secret, key: secret-id}
            secretKeyRef: {name: dnspod-secret, key: secret-key}
            ttl: 600
            recordLine: ""
            """,
        migration: """
            From imroc/cert-manager-webhook-dnspod (`groupName: acme.imroc.cc`, or `acme.dnspod.com` in its bundle; `solverName: dnspod`): keep `config` as it is, inline `secretId` included, and set `groupName` to this webhook's group; `solverName` stays `dnspod`. That webhook's clean-up deletes every TXT record at the name; this one deletes only the challenge's own value, so an apex and a wildcard certificate can be issued together. From qqshfox/cert-manager-webhook-dnspod (`apiID`, `apiTokenSecretRef`): its tokens belong to DNSPod's legacy API; create a CAM API key instead. The CAM policy needs `dnspod:DescribeDomainList`, `dnspod:DescribeRecordList`, `dnspod:DescribeRecord`, `dnspod:CreateRecord` and `dnspod:DeleteRecord` (or the preset `QcloudDNSPodFullAccess`).
            """,
        notes: """
            The domain is the longest domain of the account (own or shared) that holds the record name: cert-manager's zone hint is not trusted, because behind split DNS it can be a TLD. Present creates one record for its value (a record already there is success) and Cleanup deletes only records holding its value. DNSPod's record list can lag a write by about 30 seconds; Cleanup also deletes the records this process created for the value, after `DescribeRecord` confirms they still hold it. Throttling (`RequestLimitExceeded`) and internal errors are retried with backoff within the challenge's deadline.
            """
    )
}
