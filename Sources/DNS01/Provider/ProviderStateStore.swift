/// Small state a provider keeps between a challenge's Present and its CleanUp, when the
/// provider cannot find its records again without it (an acme.sh dnsapi script's saved record
/// and zone ids). CleanUp may land on another replica or after a restart, so the state lives
/// outside the process: in the cluster for `serve` (one Secret per entry in the webhook's own
/// namespace), in a local directory for the CLI.
///
/// Entries are named by the provider (`name` is a valid Kubernetes object name, at most 63
/// characters) and hold a few small files. Writes are conditional on the version read, so two
/// replicas changing one entry at once do not lose each other's change: the loser is told
/// (`false`), reads again and reapplies its change.
public protocol ProviderStateStore: Sendable {
    /// The entry saved under `name`, or `nil` when there is none.
    func load(_ name: String) async throws -> ProviderStateEntry?
    /// Replaces the files saved under `name` if the entry is still at `version` (`nil`: there
    /// is none yet); `false` when it changed in between. `labels` describe the entry where the
    /// store can show them (Kubernetes labels).
    func save(_ name: String, files: [String: [UInt8]], labels: [String: String], replacing version: String?) async throws -> Bool
    /// Forgets `name` if it is still at `version`; `false` when it changed in between. A
    /// missing entry is forgotten already.
    func delete(_ name: String, version: String?) async throws -> Bool
}

/// A saved entry: its files and the store's version of them (`nil` for stores that do not
/// version, such as the CLI's directory, which one process uses at a time).
public struct ProviderStateEntry: Sendable, Hashable {
    public var files: [String: [UInt8]]
    public var version: String?

    public init(files: [String: [UInt8]], version: String? = nil) {
        self.files = files
        self.version = version
    }
}
