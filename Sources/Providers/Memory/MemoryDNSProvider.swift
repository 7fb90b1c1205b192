import DNS01

/// One challenge's view of the memory store.
struct MemoryDNSProvider: DNSProvider {
    let store: MemoryRecordStore
    let configuration: MemoryConfiguration

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
        store.countCall()
        if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
        if !configuration.zones.isEmpty, !configuration.zones.contains(where: { name.isSubdomain(of: $0) }) {
            throw DNS01Error(.zoneNotFound, "zone for \(name.name) not found in the memory provider (zones: \(configuration.zones.map(\.name).joined(separator: ", ")))")
        }
    }
}
