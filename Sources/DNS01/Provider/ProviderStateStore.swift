/// Small state a provider keeps between a challenge's Present and its CleanUp, when the
/// provider cannot find its records again without it (an acme.sh dnsapi script's saved record
/// and zone ids). CleanUp may land on another replica or after a restart, so the state lives
/// outside the process: in the cluster for `serve` (one Secret per entry in the webhook's own
/// namespace), in a local directory for the CLI.
///
/// Entries are named by the provider (`name` is a valid Kubernetes object name, at most 63
/// characters) and hold a few small files.
public protocol ProviderStateStore: Sendable {
    /// The files saved under `name`, or `nil` when there are none.
    func load(_ name: String) async throws -> [String: [UInt8]]?
    /// Replaces the files saved under `name`. `labels` describe the entry (who owns it, for
    /// what) where the store can show them (Kubernetes labels).
    func save(_ name: String, files: [String: [UInt8]], labels: [String: String]) async throws
    /// Forgets `name`; forgetting a missing entry succeeds.
    func delete(_ name: String) async throws
}
