import DNS01
import ExecProvider
import Foundation
import Logging
import Synchronization

/// The `acmesh` provider: runs an unmodified acme.sh dnsapi script (`dns_<name>.sh`, mounted by
/// the user) through the project's clean-room shim (shims/acmesh), one fresh `sh` per step.
///
/// A script is code: an Issuer's config naming one the operator did not list in
/// `issuerPolicy.allowedPrograms` is refused while it is decoded, before any Secret is read.
public struct AcmeShPlugin: ProviderPlugin {
    let shimDirectory: String?
    let shell: String
    let state: AcmeShPluginState

    /// - Parameters:
    ///   - shimDirectory: where `acmesh-run.sh` is; `nil` finds it (`ShimLocation`).
    ///   - shell: the POSIX shell each step runs in.
    public init(shimDirectory: String? = nil, shell: String = "/bin/sh") {
        self.shimDirectory = shimDirectory
        self.shell = shell
        self.state = AcmeShPluginState()
    }

    public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AcmeShConfiguration {
        try AcmeShConfiguration.decode(block, at: path.isRoot ? ConfigPath.root.appending("acmesh") : path, source: source)
    }

    func runner(environment: [String: String]) throws(DNS01Error) -> ScriptRunner {
        let directory: String
        if let shimDirectory {
            directory = shimDirectory
        } else {
            directory = try ShimLocation.find(environment: environment)
        }
        return ScriptRunner(shell: shell, shimDirectory: directory, path: environment["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? ScriptRunner.defaultPath)
    }

    public func makeProvider(for configuration: AcmeShConfiguration, context: ProviderContext) async throws -> any DNSProvider {
        let runner = try runner(environment: context.environment)
        var variables: [String: String] = [:]
        var secrets: [SecretValue] = []
        for (name, value) in configuration.environment {
            switch value {
            case .literal(let text):
                variables[name] = text
            case .secret(let reference):
                let secret = try await context.secret(reference)
                secrets.append(secret)
                variables[name] = String(decoding: secret.bytes, as: UTF8.self)
            }
        }
        return AcmeShDNSProvider(
            configuration: configuration, variables: variables, secrets: secrets, namespace: context.namespace, runner: runner,
            state: context.providerState ?? state.memory, plugin: state, logger: context.logger)
    }

    /// At start-up (serve, for the operator's own acmesh blocks): the shim is installed, the
    /// image has the tools it needs, and the script is there.
    public func startupCheck(_ configuration: AcmeShConfiguration, logger: Logger) async throws {
        let runner = try runner(environment: ProcessInfo.processInfo.environment)
        let tools = try await runner.run(["--check-tools"], variables: [:], files: [:], timeout: .seconds(30))
        guard tools.termination == .exited(0) else {
            let said = tools.lastError ?? String(decoding: tools.output, as: UTF8.self).split(whereSeparator: \.isNewline).last { $0.contains("missing") }.map(String.init) ?? "the tool check failed"
            throw DNS01Error(.providerUnavailable, "acmesh: this image lacks tools the acme.sh shim needs (\(said)); use the acmesh image flavour (the chart's image.flavor: acmesh)")
        }
        guard FileManager.default.isReadableFile(atPath: configuration.scriptPath) else {
            throw Self.missingScript(configuration)
        }
        logger.info("acmesh ready", metadata: ["script": "\(configuration.scriptPath)", "shim": "\(runner.shimDirectory)"])
    }

    static func missingScript(_ configuration: AcmeShConfiguration) -> DNS01Error {
        DNS01Error(
            .invalidConfiguration,
            "acmesh: script \(configuration.scriptPath) does not exist or is not readable: mount \(configuration.script).sh in \(configuration.scriptsDirectory) (a ConfigMap, an image layer or an init container; docs/providers/acmesh.md), or fix acmesh.script / acmesh.scriptsDir"
        )
    }
}

/// What the plugin keeps for the life of the process: the per-name serialization, the parsed
/// info blocks, and the state store used when the process has none (tests).
final class AcmeShPluginState: Sendable {
    let serialization = KeyedSerialization()
    let memory = MemoryStateStore()
    private let infos = Mutex<[String: (stamp: String, info: ScriptInfo?)]>([:])

    /// Fails, naming them, when the script's info block lists variables that the config does
    /// not set (neither its `Options` set nor its `OptionsAlt` set is complete).
    func checkVariables(_ configuration: AcmeShConfiguration, runner: ScriptRunner, configured: Set<String>) async throws {
        guard let info = try await info(configuration, runner: runner) else { return }
        let missing = info.missing(configured: configured)
        guard !missing.options.isEmpty || !missing.alternatives.isEmpty else { return }
        var wanted = missing.options.isEmpty ? "" : missing.options.joined(separator: ", ") + " (Options)"
        if !missing.alternatives.isEmpty {
            wanted += (wanted.isEmpty ? "" : ", or ") + missing.alternatives.joined(separator: ", ") + " (OptionsAlt)"
        }
        throw DNS01Error(
            .invalidConfiguration,
            "acmesh: \(configuration.script) needs variables that acmesh.env does not set: \(wanted), as its \(configuration.script)_info block lists; add them under acmesh.env, secrets as {secretKeyRef: {name, key}}")
    }

    /// The script's info block, read once per version of the file (`nil`: it has none).
    private func info(_ configuration: AcmeShConfiguration, runner: ScriptRunner) async throws -> ScriptInfo? {
        let path = configuration.scriptPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw AcmeShPlugin.missingScript(configuration)
        }
        let stamp = "\(attributes[.modificationDate].map { "\($0)" } ?? "")/\(attributes[.size].map { "\($0)" } ?? "")"
        if let cached = infos.withLock({ $0[path] }), cached.stamp == stamp { return cached.info }
        let result = try await runner.run(["--info-all", configuration.scriptsDirectory, configuration.script], variables: [:], files: [:], timeout: .seconds(30))
        let info: ScriptInfo?
        switch result.termination {
        case .exited(0): info = ScriptInfo(infoAll: result.stdout)
        case .exited(ScriptRunner.ExitCode.scriptMissing): throw AcmeShPlugin.missingScript(configuration)
        // No info block (or it could not be read): nothing to check against; the script's own
        // `_err` says what it lacks.
        default: info = nil
        }
        infos.withLock { $0[path] = (stamp, info) }
        return info
    }
}

/// State in the process's memory: for tests and for a process given no state store. Versioned
/// like the cluster's, so the retry of a conflicting write is exercised without a cluster.
final class MemoryStateStore: ProviderStateStore {
    private let entries = Mutex<[String: ProviderStateEntry]>([:])
    private let counter = Atomic<Int>(0)

    func load(_ name: String) async throws -> ProviderStateEntry? { entries.withLock { $0[name] } }

    func save(_ name: String, files: [String: [UInt8]], labels: [String: String], replacing version: String?) async throws -> Bool {
        let next = String(counter.add(1, ordering: .relaxed).newValue)
        return entries.withLock { entries in
            guard entries[name]?.version == version else { return false }
            entries[name] = ProviderStateEntry(files: files, version: next)
            return true
        }
    }

    func delete(_ name: String, version: String?) async throws -> Bool {
        entries.withLock { entries in
            guard let current = entries[name] else { return true }
            guard current.version == version else { return false }
            entries[name] = nil
            return true
        }
    }
}
