import DNS01

extension OVHPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "ovh",
        title: "OVHcloud DNS",
        summary: "OVHcloud DNS zones through the OVH API, with the OVH webhooks' configs; application keys ($1$ signatures) or an OAuth2 service account; one record per value, published by a zone refresh.",
        apiDocumentation: "https://eu.api.ovh.com/console/?section=%2Fdomain&branch=v1",
        fields: [
            ConfigField("endpoint", .url, required: true, issuerRestricted: true, "`ovh-eu`, `ovh-ca`, `ovh-us`, `kimsufi-eu`, `kimsufi-ca`, `soyoustart-eu`, `soyoustart-ca`, or the API's URL (with `/1.0`)."),
            ConfigField("authenticationMethod", .oneOf(["application", "oauth2"]), default: "application", "How to authenticate (aureq's webhook); without it, the older webhook's application keys."),
            ConfigField("applicationKeyRef", .secretReference, "The application key, from a Secret."),
            ConfigField("applicationKey", .string, "The application key written in the config (the older webhook's field), instead."),
            ConfigField("applicationSecretRef", .secretReference, "The application secret, from a Secret."),
            ConfigField("applicationConsumerKeyRef", .secretReference, "The consumer key, from a Secret."),
            ConfigField("consumerKeyRef", .secretReference, "aureq's older name for `applicationConsumerKeyRef`; set one of the two."),
            ConfigField("consumerKey", .string, "The consumer key written in the config (the older webhook's field), instead."),
            ConfigField("oauth2ClientIDRef", .secretReference, "With `authenticationMethod: oauth2`: the service account's client ID, from a Secret."),
            ConfigField("oauth2ClientSecretRef", .secretReference, "With `authenticationMethod: oauth2`: its client secret, from a Secret."),
            ConfigField("tokenEndpoint", .url, default: "by endpoint", issuerRestricted: true, "The OAuth2 token URL, for an endpoint given as a URL OVH's SDKs do not know."),
            ConfigField("ttl", .integer(0...86_400), default: "60", "The TTL of the TXT records (0: the zone's default)."),
        ],
        authModes: [
            AuthMode("application", "An application key, its secret and a consumer key: every request is signed (`$1$`, SHA-1), with the timestamp taken from the server's clock (`/auth/time`)."),
            AuthMode("oauth2", "An OAuth2 client of a service account (client credentials): bearer tokens, refreshed before they expire; its IAM policy grants the DNS actions."),
        ],
        officialHosts: OfficialHosts([
            "eu.api.ovh.com", "ca.api.ovh.com", "api.us.ovhcloud.com", "eu.api.kimsufi.com", "ca.api.kimsufi.com",
            "eu.api.soyoustart.com", "ca.api.soyoustart.com", "www.ovh.com", "ca.ovh.com", "us.ovhcloud.com",
        ]),
        recordModel: .recordPerValue,
        example: """
            endpoint: ovh-eu
            authenticationMethod: application
            applicationKeyRef: {name: ovh-credentials, key: applicationKey}
            applicationSecretRef: {name: ovh-credentials, key: applicationSecret}
            applicationConsumerKeyRef: {name: ovh-credentials, key: applicationConsumerKey}
            """,
        migration: """
            From aureq/cert-manager-webhook-ovh (`solverName: ovh`): keep `config` as it is (`endpoint`, `authenticationMethod` and its `…Ref` fields) and set `groupName` to this webhook's group; the solver name stays `ovh`. From baarde/cert-manager-webhook-ovh (`solverName: ovh`, inline `applicationKey` and `consumerKey`, `applicationSecretRef`): the same; its config is read as it is. The consumer key those webhooks' READMEs create (`GET`, `PUT`, `POST`, `DELETE` on `/domain/zone/*`) is enough: the calls are `GET /domain/zone/*` (zones, records), `POST /domain/zone/*/record`, `POST /domain/zone/*/refresh` and `DELETE /domain/zone/*/record/*`; with `GET /domain/zone` as well, the account's zones are listed in one call instead of asking for each ancestor of the name. For an OAuth2 client, the IAM policy of aureq's README (`dnsZone:apiovh:record/create`, `record/get`, `record/delete`, `refresh`, and `status/get`) is enough. Unlike those webhooks, the zone is the account's longest zone holding the name, not cert-manager's zone hint, so a hint of `com` no longer breaks it.
            """,
        notes: """
            OVH keeps one record per value: Present creates one for its value unless it exists, CleanUp deletes only records whose target is its value, and both then call the zone's `refresh`, which publishes the change (after a delete too). A name under a wildcard: creating `_acme-challenge.sub` below `*.app` makes `sub` an empty non-terminal, so the wildcard no longer answers for it (RFC 4592); that is DNS, not the provider. The signature's timestamp follows the server's clock, learned once from `/auth/time` and learned again after a `QUERY_TIME_OUT`. The zone is the account's longest zone holding the name: from the zone list when the credentials may read it, else by asking for the name's ancestors one by one (both cached for five minutes). A warm Present costs three calls (list, create, refresh) plus one per other value at the name; a warm CleanUp four (list, read, delete, refresh).
            """
    )
}
