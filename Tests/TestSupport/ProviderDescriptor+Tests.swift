import DNS01

extension ProviderDescriptor {
    /// A descriptor for a plugin that exists only in a test.
    public static func forTests(_ name: String, fields: [ConfigField] = []) -> ProviderDescriptor {
        ProviderDescriptor(
            name: name, title: name, summary: "a test plugin", apiDocumentation: "https://example.invalid/",
            fields: fields, officialHosts: .none, recordModel: .recordPerValue, example: "{}"
        )
    }
}
