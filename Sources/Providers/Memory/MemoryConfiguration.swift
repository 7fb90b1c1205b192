import DNS01

/// The `memory` block.
public struct MemoryConfiguration: Sendable, Hashable {
    public var zones: [DomainName]
    /// Simulated API latency per call (for demos and benchmarks of concurrency).
    public var latency: Duration
    /// A Secret the provider must be able to read before it acts, exactly like a real
    /// provider's credentials: it lets a demo or test prove Secret access (files, RBAC).
    public var apiTokenSecretRef: SecretReference?

    static func decode(_ block: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> MemoryConfiguration {
        var reader = try ConfigReader(block, at: path)
        var zones: [DomainName] = []
        for (index, text) in (try reader.optionalStringList("zones") ?? []).enumerated() {
            do throws(DNS01Error) {
                zones.append(try DomainName(text))
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("zones").appending(index: index), "is not a valid DNS name: \(error.message)")
            }
        }
        let latency = try reader.optionalDuration("latency") ?? .zero
        let token = try reader.optionalSecretReference("apiTokenSecretRef")
        try reader.finish()
        return MemoryConfiguration(zones: zones, latency: latency, apiTokenSecretRef: token)
    }
}
