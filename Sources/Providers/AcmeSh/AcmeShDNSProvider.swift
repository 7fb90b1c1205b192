import Crypto
import DNS01
import ExecProvider
import Foundation
import Logging

/// The name of the state entry of a namespace, script and name: a valid Kubernetes object name,
/// the same on every replica, that reveals none of them.
public enum AcmeShStateName {
    public static func name(namespace: String, configuration: AcmeShConfiguration, fqdn: DomainName) -> String {
        let identity = [namespace, configuration.scriptPath, AcmeShDNSProvider.scriptName(fqdn).lowercased()].joined(separator: "\n")
        let hex = SHA256.hash(data: Array(identity.utf8)).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
        return "dns01-acmesh-" + hex.prefix(32)
    }
}

/// One challenge's provider: runs the configured acme.sh dnsapi script's
/// `dns_<name>_add <fqdn> <value>` for Present and `dns_<name>_rm <fqdn> <value>` for CleanUp
/// through the shim's runner, one fresh `sh` per step.
///
/// What the script saves (`_saveaccountconf_mutable`, `_savedomainconf`…) is kept in the
/// state store between steps, one entry per namespace, script and name, with the values
/// presented and not yet cleaned up; the entry goes when the last of them is cleaned up.
struct AcmeShDNSProvider: DNSProvider {
    let configuration: AcmeShConfiguration
    let variables: [String: String]
    let secrets: [SecretValue]
    let namespace: String
    let runner: ScriptRunner
    let state: any ProviderStateStore
    let plugin: AcmeShPluginState
    let logger: Logger

    enum Action: String {
        case add, rm
    }

    func present(_ challenge: Challenge) async throws { try await step(.add, challenge) }

    func cleanUp(_ challenge: Challenge) async throws { try await step(.rm, challenge) }

    /// acme.sh scripts only add and remove: there is nothing to read back with.
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        throw DNS01Error(
            .providerRejected,
            "the acmesh provider cannot read records back (acme.sh scripts only add and remove): run check with --nameserver set to a DNS server that serves the zone (its Extended step then shows whether the script keeps two values at one name)")
    }

    /// The fqdn as acme.sh passes it: no final dot.
    static func scriptName(_ fqdn: DomainName) -> String {
        String(fqdn.fqdn.dropLast())
    }

    func stateName(_ fqdn: DomainName) -> String {
        AcmeShStateName.name(namespace: namespace, configuration: configuration, fqdn: fqdn)
    }

    private func step(_ action: Action, _ challenge: Challenge) async throws {
        try await plugin.checkVariables(configuration, runner: runner, configured: Set(variables.keys))
        let fqdn = Self.scriptName(challenge.resolvedFQDN)
        let name = stateName(challenge.resolvedFQDN)
        try await plugin.serialization.run(name) {
            var entry = try await state.load(name)
            let before = entry?.files ?? [:]
            var variables = variables
            // At debug level the shim and the script log their _debug lines too (into the
            // step's output, which is logged redacted); a DEBUG the config sets wins.
            if logger.logLevel <= .debug, variables["DEBUG"] == nil { variables["DEBUG"] = "1" }
            let result = try await runner.run(
                [configuration.scriptsDirectory, configuration.script, action.rawValue, fqdn, challenge.key],
                variables: variables, files: before, timeout: configuration.timeout)
            try await record(result, action: action, key: challenge.key, fqdn: fqdn, name: name, before: before, entry: &entry)
            try check(result, action: action, fqdn: fqdn)
        }
    }

    /// Saves what the run changed: its conf files and the values still presented at the name
    /// (a value is recorded when add is tried, since a failed add may have created the record,
    /// and forgotten when rm succeeds). The write is conditional on the version read; when
    /// another replica changed the entry meanwhile, its version is read again and this run's
    /// changes are reapplied onto it.
    private func record(
        _ result: ScriptRunner.Result, action: Action, key: String, fqdn: String, name: String, before: [String: [UInt8]], entry: inout ProviderStateEntry?
    ) async throws {
        let succeeded = result.termination == .exited(0)
        for _ in 0..<8 {
            var files = entry?.files ?? [:]
            for conf in ScriptRunner.confFiles {
                files[conf] = AcmeShConfMerge.merge(latest: files[conf], before: before[conf], after: result.files[conf])
            }
            var values = Self.values(files["values"])
            if action == .add, !values.contains(key) { values.append(key) }
            if action == .rm, succeeded { values.removeAll { $0 == key } }
            files["values"] = Array(values.joined(separator: "\n").utf8)
            let written =
                values.isEmpty
                ? try await state.delete(name, version: entry?.version)
                : try await state.save(
                    name, files: files, labels: ["dns01-webhook/provider": "acmesh", "dns01-webhook/script": configuration.script],
                    replacing: entry?.version)
            if written { return }
            entry = try await state.load(name)
        }
        throw DNS01Error(.providerUnavailable, "acmesh: could not save the state of \(configuration.script) for \(fqdn): other replicas kept changing it")
    }

    static func values(_ bytes: [UInt8]?) -> [String] {
        String(decoding: bytes ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Turns the runner's exit into success or a message that says what to fix.
    private func check(_ result: ScriptRunner.Result, action: Action, fqdn: String) throws {
        let invocation = "\(configuration.script)_\(action.rawValue) \(fqdn)"
        let said = (result.lastError ?? "").redacting(secrets)
        let output = OutputSummary(secrets: secrets).summarise(result.output, startsMidLine: result.truncated)
        if logger.logLevel <= .debug {
            // The whole capture (up to the runner's 16 KiB), redacted, for whoever debugs a script.
            let log = OutputSummary(secrets: secrets, limit: 16 << 10).summarise(result.output, startsMidLine: result.truncated)
            if !log.isEmpty {
                logger.debug("acmesh script output", metadata: ["script": "\(configuration.script)", "action": "\(action.rawValue)", "output": "\(log)"])
            }
        }
        let detail = said.isEmpty ? (output.isEmpty ? "" : ": \(output)") : ": \(said)"
        switch result.termination {
        case .exited(0):
            return
        case .exited(ScriptRunner.ExitCode.scriptMissing):
            throw AcmeShPlugin.missingScript(configuration)
        case .exited(ScriptRunner.ExitCode.noHook):
            throw DNS01Error(
                .invalidConfiguration,
                "acmesh: \(configuration.scriptPath) defines no \(configuration.script)_\(action.rawValue) function: is it an acme.sh dnsapi script, and does acmesh.script name it (the file dns_x.sh defines dns_x_add and dns_x_rm)?")
        case .exited(ScriptRunner.ExitCode.toolMissing):
            throw DNS01Error(.providerUnavailable, "acmesh: this image lacks tools the acme.sh shim needs\(detail); use the acmesh image flavour (the chart's image.flavor: acmesh)")
        case .exited(ScriptRunner.ExitCode.loadFailed):
            throw DNS01Error(.invalidConfiguration, "acmesh: loading \(configuration.scriptPath) failed\(detail)")
        case .exited(ScriptRunner.ExitCode.usage), .exited(ScriptRunner.ExitCode.internalError):
            throw DNS01Error(.providerUnavailable, "acmesh: the shim could not run \(invocation)\(detail)")
        case .exited(let code):
            throw DNS01Error(.providerRejected, "acmesh: \(invocation) failed (status \(code))\(detail)")
        case .signaled(let signal):
            throw DNS01Error(.providerUnavailable, "acmesh: \(invocation) was killed by signal \(signal)\(detail)")
        case .timedOut:
            throw DNS01Error(.timedOut, "acmesh: \(invocation) did not finish within \(configuration.timeout) and was killed with its process group (raise acmesh.timeout if the script waits for DNS propagation)\(detail)")
        }
    }
}
