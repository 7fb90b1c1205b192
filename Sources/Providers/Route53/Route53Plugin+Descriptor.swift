import DNS01

extension Route53Plugin {
    public static let descriptor = ProviderDescriptor(
        name: "route53",
        title: "AWS Route53",
        summary: "AWS Route53, a drop-in for cert-manager's built-in route53 solver: same config, same multivalue TXT records, so both can share a name.",
        apiDocumentation: "https://docs.aws.amazon.com/Route53/latest/APIReference/Welcome.html",
        fields: [
            ConfigField("region", .string, "The AWS region; it decides the partition (aws, aws-cn, aws-us-gov) and the STS region. With ambient credentials the environment's AWS_REGION wins, as in cert-manager."),
            ConfigField("accessKeyID", .string, "A literal access key ID (with `secretAccessKeySecretRef`)."),
            ConfigField("accessKeyIDSecretRef", .secretReference, "The access key ID from a Secret (instead of `accessKeyID`)."),
            ConfigField("secretAccessKeySecretRef", .secretReference, "The secret access key from a Secret."),
            ConfigField("role", .string, "An IAM role ARN to assume (AssumeRole with the credentials found, or AssumeRoleWithWebIdentity with `auth`)."),
            ConfigField("hostedZoneID", .string, "The hosted zone to write to (`Z…`, with or without `/hostedzone/`); otherwise the public zone with the longest name that holds the record."),
            ConfigField(
                "auth",
                .object([
                    ConfigField(
                        "kubernetes",
                        .object([
                            ConfigField(
                                "serviceAccountRef",
                                .object([
                                    ConfigField("name", .string, required: true, "The ServiceAccount in the challenge's namespace whose token is exchanged."),
                                    ConfigField("audiences", .stringList, default: "[sts.amazonaws.com]", "The token's audiences."),
                                ]),
                                required: true,
                                "A ServiceAccount token (TokenRequest) exchanged with AssumeRoleWithWebIdentity for `role`."
                            )
                        ]),
                        required: true,
                        "Kubernetes service-account authentication."
                    )
                ]),
                "cert-manager's `auth.kubernetes.serviceAccountRef`: web identity without static keys; `role` is required with it."
            ),
            ConfigField("endpoint", .url, default: "https://route53.amazonaws.com (by partition)", issuerRestricted: true, "The Route53 API base URL (a private endpoint, or a local model of the API in tests)."),
            ConfigField("stsEndpoint", .url, default: "the partition's STS endpoint", issuerRestricted: true, "The STS base URL for AssumeRole and web identity."),
            ConfigField("waitForInSync", .bool, default: "false", "Also wait until Route53 reports the change INSYNC before answering (cert-manager always waits; the DNS check that follows makes it unnecessary)."),
        ],
        authModes: [
            AuthMode("static keys", "`accessKeyID` or `accessKeyIDSecretRef`, with `secretAccessKeySecretRef`; optionally `role` to assume."),
            AuthMode("service account", "`auth.kubernetes.serviceAccountRef` and `role`: a TokenRequest token for that ServiceAccount exchanged by AssumeRoleWithWebIdentity."),
            AuthMode("environment", ambient: true, "`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` of the webhook's pod."),
            AuthMode("IRSA", ambient: true, "`AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE` (EKS IAM roles for service accounts); the token file is re-read on every refresh."),
            AuthMode("EKS Pod Identity / ECS", ambient: true, "`AWS_CONTAINER_CREDENTIALS_FULL_URI` or `…_RELATIVE_URI` with the authorization token (file)."),
            AuthMode("EC2 instance profile", ambient: true, "The instance metadata service (IMDSv2, then v1 unless disabled)."),
        ],
        ambientCredentials: "When the challenge allows ambient credentials (ClusterIssuers, or `--allow-ambient-credentials`) and the block names no keys and no service account, the AWS SDKs' chain is used: environment, IRSA, Pod Identity/ECS, then the instance profile.",
        officialHosts: OfficialHosts([
            "route53.amazonaws.com", "route53.amazonaws.com.cn", "route53.us-gov.amazonaws.com",
            "sts.amazonaws.com", "sts.{region}.amazonaws.com", "sts.{region}.amazonaws.com.cn",
        ]),
        recordModel: .preconditionedSet,
        example: """
            region: us-east-1
            accessKeyIDSecretRef: {name: route53-credentials, key: access-key-id}
            secretAccessKeySecretRef: {name: route53-credentials, key: secret-access-key}
            """,
        migration: """
            From cert-manager's built-in `route53` solver: keep the block as it is, and replace `route53:` under `dns01` with `webhook: {groupName: <your group>, solverName: route53, config: <the block>}`. Records are the same multivalue TXT sets cert-manager writes (one set identifier per value), so both solvers can run side by side during the move.
            """,
        notes: """
            The IAM policy needs `route53:GetChange`, `route53:ChangeResourceRecordSets`, `route53:ListResourceRecordSets` on the zone and `route53:ListHostedZonesByName` (unless `hostedZoneID` is set). Concurrent challenges for one zone are coalesced into one ChangeResourceRecordSets call, and calls are paced under Route53's 5 requests/second account limit.
            """
    )
}
