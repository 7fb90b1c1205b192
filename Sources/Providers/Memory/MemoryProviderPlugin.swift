import DNS01

/// The `memory` provider: records live in the process. It is the way to try dns01-webhook, and
/// to exercise the dispatch, the selector and `check`, without any cloud account.
///
/// ```yaml
/// memory: {}                       # every name
/// memory: {zones: [example.com]}   # only names in these zones; others fail like a missing zone
/// memory: {apiTokenSecretRef: {name: demo, key: token}}  # reads a Secret, as a real provider does
/// ```
public struct MemoryProviderPlugin: ProviderPlugin {
    public struct Configuration: Sendable, Hashable {
        public var zones: [DomainName]
        /// Simulated API latency per call (for demos and benchmarks of concurrency).
        public var latency: Duration
        /// A Secret the provider must be able to read before it acts, exactly like a real
        /// provider's credentials: it lets a demo or test prove Secret access (files, RBAC).
        public var apiTokenSecretRef: SecretReference?
    }

    public let name = "memory"
    public let store: MemoryRecordStore

    public init(store: MemoryRecordStore = MemoryRecordStore()) {
        self.store = store
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin) throws(DNS01Error) -> Configuration {
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
        return Configuration(zones: zones, latency: latency, apiTokenSecretRef: token)
    }

    public func makeProvider(for configuration: Configuration, context: ProviderContext) async throws -> any DNSProvider {
        if let reference = configuration.apiTokenSecretRef {
            _ = try await context.secret(reference)
        }
        return MemoryProvider(store: store, configuration: configuration)
    }
}

/// One challenge's view of the memory store.
struct MemoryProvider: DNSProvider {
    let store: MemoryRecordStore
    let configuration: MemoryProviderPlugin.Configuration

    func present(_ challenge: Challenge) async throws {
        try await simulateCall(for: challenge.resolvedFQDN)
        store.add(challenge.key, at: challenge.resolvedFQDN)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await simulateCall(for: challenge.resolvedFQDN)
        store.remove(challenge.key, at: challenge.resolvedFQDN)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        try await simulateCall(for: fqdn)
        return store.values(at: fqdn)
    }

    private func simulateCall(for name: DomainName) async throws {
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
        if !configuration.zones.isEmpty, !configuration.zones.contains(where: { name.isSubdomain(of: $0) }) {
            throw DNS01Error(.zoneNotFound, "zone for \(name.name) not found in the memory provider (zones: \(configuration.zones.map(\.name).joined(separator: ", ")))")
        }
    }
}
