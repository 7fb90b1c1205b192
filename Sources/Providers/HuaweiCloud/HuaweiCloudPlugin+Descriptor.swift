import DNS01

extension HuaweiCloudPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "huaweicloud",
        title: "Huawei Cloud DNS",
        summary: "Huawei Cloud DNS (v2 record sets), with the config of the vendor's webhook and the other webhooks' field names; adds and removes only its own value in the TXT record set, writers serialised per name and every write read back.",
        apiDocumentation: "https://support.huaweicloud.com/intl/en-us/api-dns/dns_api_64001.html",
        fields: [
            ConfigField(
                "regionId", .string, default: "ap-southeast-1", issuerRestricted: true,
                "A region such as `cn-north-4`; the endpoint is `dns.<region>.myhuaweicloud.com` (public zones are global, any region sees them). An Issuer may name only the regions whose endpoint is an official host."),
            ConfigField("region", .string, issuerRestricted: true, "Alias of `regionId` (rahadiangg/cert-manager-webhook-huawei, innoai-tech/cert-manager-webhook-huaweidns)."),
            ConfigField("accessKeyRef", .secretReference, "The access key ID (AK), from a Secret (the field name is the vendor's webhook's)."),
            ConfigField("akSecretRef", .secretReference, "Alias of `accessKeyRef` (rahadiangg)."),
            ConfigField("appKey", .string, "The AK written inline (innoai); use one of `accessKeyRef`, `akSecretRef`, `appKey`."),
            ConfigField("secretKeyRef", .secretReference, "The secret access key (SK), from a Secret."),
            ConfigField("skSecretRef", .secretReference, "Alias of `secretKeyRef` (rahadiangg)."),
            ConfigField("appSecret", .string, "The SK written inline (innoai). Accepted for migration only: anyone who can read the Issuer reads it; move it to a Secret."),
            ConfigField("securityTokenRef", .secretReference, "The security token of a temporary access key, from a Secret; sent as `X-Security-Token`."),
            ConfigField("projectId", .string, "The project ID, sent as `X-Project-Id`: needed when the account has several projects in the region (else `HUAWEICLOUD_SDK_PROJECT_ID` with environment keys)."),
            ConfigField("zoneId", .string, "The zone's ID (innoai): no lookup."),
            ConfigField("zoneName", .string, "The zone's name (rahadiangg): looked up by name instead of by the record's name."),
            ConfigField("zoneType", .oneOf(["public", "private"]), default: "public", "Which zones to look in: public, or private (VPC) zones."),
            ConfigField("ttl", .integer(1...2_147_483_647), default: "300", "The TTL of a TXT record set this provider creates; an existing set keeps its TTL."),
            ConfigField("endpoint", .url, default: "by regionId", issuerRestricted: true, "The DNS API endpoint (`host` or `https://host[:port]`)."),
        ],
        authModes: [
            AuthMode("access key", "`accessKeyRef` and `secretKeyRef` (or their aliases), and `securityTokenRef` for a temporary key."),
            AuthMode("environment", ambient: true, "`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_PROJECT_ID` of the webhook's pod (huaweicloudsdkcore's names)."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials and the block names no key: the HUAWEICLOUD_SDK_AK environment variables.",
        // `{region}` matches only region names: `dns.*.myhuaweicloud.com` would also match an
        // object storage bucket named `dns` (`dns.obs.myhuaweicloud.com`), which anyone can rent.
        officialHosts: OfficialHosts(["dns.{region}.myhuaweicloud.com"]),
        recordModel: .readModifyWriteSet,
        example: """
            regionId: cn-north-4
            accessKeyRef: {name: huawei-secret, key: accessKey}
            secretKeyRef: {name: huawei-secret, key: secretKey}
            """,
        migration: """
            From HuaweiCloudDeveloper/cert-manager-webhook-huawei (`solverName: huaweicloud`): keep `config` (`accessKeyRef`, `secretKeyRef`, `regionId`) and set `groupName` to this webhook's group; `solverName` stays `huaweicloud`. From rahadiangg/cert-manager-webhook-huawei (`solverName: huawei-solver`): `akSecretRef`, `skSecretRef`, `region`, `projectId` and `zoneName` are accepted as they are. From innoai-tech/cert-manager-webhook-huaweidns (`solverName: huawei-dns`): `appKey`, `appSecret`, `region` and `zoneId` are accepted as they are; move `appSecret` into a Secret (`secretKeyRef`) when you can. Those webhooks create a new record set per challenge, replace an existing value, or delete the whole set at clean-up; this one adds and removes only its own value, so an apex and a wildcard certificate can be issued together. The IAM policy needs `dns:zone:list`, `dns:recordset:list`, `dns:recordset:create`, `dns:recordset:update` and `dns:recordset:delete` (or the system policy DNS FullAccess).
            """,
        notes: """
            The zone is the longest zone of the account that holds the record name (or the one `zoneId`/`zoneName` names): cert-manager's zone hint is not trusted. The API keeps one TXT record set per name and can only replace its whole value list, with no version or precondition, so two writers that read the same list can lose a value. This provider serialises its own writers per name (concurrent challenges on one name are batched into one write), reads the set back after every write and writes again when a value is missing (up to three rounds). Replicas of the webhook lock the name on a Kubernetes Lease around each Present and CleanUp (docs/install.md, Leases), so they never rewrite one set at once. What it cannot protect against: another tool that reads the set before this write and writes after the read-back removes a value unnoticed; cert-manager then retries the challenge. Values are written quoted (`"value"`) and compared unquoted.
            """
    )
}
