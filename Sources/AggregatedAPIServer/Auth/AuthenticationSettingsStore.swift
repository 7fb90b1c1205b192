import Logging
import Synchronization

/// The authentication settings in force, swapped atomically when the ConfigMap or a CA file
/// given by flag changes. Requests read `current` on every call; it is a lock and a struct copy.
final class AuthenticationSettingsStore: Sendable {
    private struct State {
        var settings: AuthenticationSettings
        /// Why the settings are not (yet) usable; `nil` once they are.
        var unavailableReason: String?
        /// The ConfigMap last applied, so a CA file reload keeps what it contributed.
        var configMapData: [String: String]?
        var configMapSource: String?
        /// The last CA file reload failure, logged once rather than on every poll.
        var lastFileFailure: String?
    }

    let flags: AuthenticationFlags
    private let state: Mutex<State>
    private let logger: Logger

    /// Loads what the flags give now; without `skipLookup` the ConfigMap fills in the rest later
    /// (`apply(configMapData:)`), and until then `unavailableReason` says why.
    init(flags: AuthenticationFlags, logger: Logger) throws(AuthConfigurationError) {
        self.flags = flags
        self.logger = logger
        let settings = try AuthenticationSettingsBuilder.build(flags: flags, configMapData: nil, generation: 1, source: "flags")
        let waitsForConfigMap = !flags.skipLookup && !flags.coversEverything
        self.state = Mutex(State(
            settings: settings,
            unavailableReason: waitsForConfigMap ? "the ConfigMap kube-system/extension-apiserver-authentication has not been read yet" : nil
        ))
    }

    var current: AuthenticationSettings { state.withLock { $0.settings } }

    /// `nil` when authentication is configured; otherwise why not (for `/readyz`).
    var unavailableReason: String? { state.withLock { $0.unavailableReason } }

    /// Applies a (new version of the) ConfigMap. A malformed one is refused and the previous
    /// settings stay, so a bad edit cannot lock the aggregator out.
    func apply(configMapData: [String: String], resourceVersion: String?) {
        let source = "ConfigMap kube-system/extension-apiserver-authentication (resourceVersion \(resourceVersion ?? "?"))"
        do {
            let generation = state.withLock { $0.settings.generation } + 1
            let settings = try AuthenticationSettingsBuilder.build(flags: flags, configMapData: configMapData, generation: generation, source: source)
            let changed = state.withLock { state -> Bool in
                let changed = state.settings.requestHeader != settings.requestHeader || state.settings.clientCA != settings.clientCA
                if changed { state.settings = settings }
                state.unavailableReason = nil
                state.configMapData = configMapData
                state.configMapSource = source
                return changed
            }
            if changed { logSettings(settings) }
        } catch {
            logger.error("ignoring an unusable authentication ConfigMap; keeping the previous settings", metadata: ["source": "\(source)", "error": "\(error)"])
        }
    }

    /// Re-reads `--client-ca-file` and `--requestheader-client-ca-file` (mounted Secrets and
    /// ConfigMaps are rotated in place) and swaps the settings when a CA changed. An unreadable
    /// or malformed file keeps the settings in force, so a rotation caught half-way cannot lock
    /// clients out; the next poll tries again.
    func reloadFlagFiles() {
        guard flags.clientCAFile != nil || flags.requestHeaderClientCAFile != nil else { return }
        let (configMapData, configMapSource, generation) = state.withLock { ($0.configMapData, $0.configMapSource, $0.settings.generation + 1) }
        do {
            let settings = try AuthenticationSettingsBuilder.build(
                flags: flags, configMapData: configMapData, generation: generation,
                source: configMapSource.map { "flags and \($0)" } ?? "flags"
            )
            let changed = state.withLock { state -> Bool in
                state.lastFileFailure = nil
                // A ConfigMap applied meanwhile wins; the next poll builds on it.
                guard state.settings.generation == generation - 1 else { return false }
                guard state.settings.requestHeader != settings.requestHeader || state.settings.clientCA != settings.clientCA else { return false }
                state.settings = settings
                return true
            }
            if changed { logSettings(settings) }
        } catch {
            let message = "\(error)"
            let isNew = state.withLock { state -> Bool in
                defer { state.lastFileFailure = message }
                return state.lastFileFailure != message
            }
            if isNew {
                logger.warning("a CA file given by flag cannot be used; keeping the current authentication settings", metadata: ["error": "\(message)"])
            }
        }
    }

    /// Records why the ConfigMap could not be read. Settings already loaded stay in force.
    func recordLookupFailure(_ reason: String) {
        state.withLock { state in
            if state.settings.source == "flags" && !flags.skipLookup && !flags.coversEverything {
                state.unavailableReason = reason
            }
        }
    }

    private func logSettings(_ settings: AuthenticationSettings) {
        var metadata: Logger.Metadata = ["source": "\(settings.source)"]
        if let requestHeader = settings.requestHeader {
            metadata["requestheader-ca"] = "\(requestHeader.clientCA.certificates.count) certificate(s) from \(requestHeader.clientCA.origin)"
            metadata["requestheader-allowed-names"] = .array(requestHeader.allowedNames.map { .string($0) })
        } else {
            metadata["requestheader-ca"] = "none (front-proxy authentication off)"
        }
        metadata["client-ca"] = settings.clientCA.map { "\($0.certificates.count) certificate(s) from \($0.origin)" } ?? "none"
        logger.info("authentication settings loaded", metadata: metadata)
    }
}
