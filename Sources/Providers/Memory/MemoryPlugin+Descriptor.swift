import DNS01

extension MemoryPlugin {
    public static let descriptor = ProviderDescriptor(
        name: "memory",
        title: "In-memory records",
        summary: "Records kept in the webhook's memory: for trying dns01-webhook, and for testing routing tables, without any DNS account.",
        apiDocumentation: "https://github.com/dns01-webhook/dns01-webhook/blob/main/docs/providers/memory.md",
        fields: [
            ConfigField("zones", .stringList, "Only names in these zones are served; others fail as a missing zone would."),
            ConfigField("latency", .duration, default: "0s", "A delay added to every call, to demonstrate concurrency."),
            ConfigField("apiTokenSecretRef", .secretReference, "A Secret that must be readable before each step, as a real provider's credentials would be: it proves Secret access (files, RBAC) without a cloud account."),
        ],
        officialHosts: .none,
        recordModel: .serverSideValueChange,
        example: """
            zones: [example.com]
            """,
        notes: """
            Records are lost when the process ends, and each replica has its own: this provider is for trying things out, never for real certificates.
            """
    )
}
