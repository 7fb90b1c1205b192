import ArgumentParser
import DNS01
import Foundation

/// The options `present` and `cleanup` share.
struct RecordOptions: ParsableArguments {
    @Option(help: "The record name, e.g. _acme-challenge.www.example.com.")
    var fqdn: String

    @Option(help: "The TXT value (cert-manager's challenge key).")
    var key: String

    @Option(help: "The zone hint (cert-manager's resolvedZone).")
    var zone: String?

    @Option(help: "The domain the provider is selected by (default: the fqdn without _acme-challenge.).")
    var domain: String?

    @Option(help: "Seconds the provider's requests, retries and waits may take in all (serve gives a challenge --request-timeout less a margin).")
    var timeout: Double = 60

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
    }

    func challenge(action: Challenge.Action, providers: ProviderOptions) throws -> Challenge {
        let fqdn = try parseDomain(fqdn, flag: "--fqdn")
        let domain: DomainName
        if let text = self.domain {
            domain = try parseDomain(text, flag: "--domain")
        } else if fqdn.name.hasPrefix("_acme-challenge."), let parent = fqdn.parent {
            domain = parent
        } else {
            domain = fqdn
        }
        return Challenge(
            action: action,
            dnsName: domain,
            resolvedFQDN: fqdn,
            resolvedZone: try zone.map { try parseDomain($0, flag: "--zone") },
            key: key,
            resourceNamespace: providers.namespace,
            allowAmbientCredentials: providers.allowAmbientCredentials
        )
    }
}

struct Present: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add one TXT value (cert-manager's Present) and exit.")

    @OptionGroup var providers: ProviderOptions
    @OptionGroup var record: RecordOptions

    func run() async throws {
        try await record.perform(.present, providers: providers, done: "presented")
    }
}

struct CleanUp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cleanup", abstract: "Remove one TXT value (cert-manager's CleanUp) and exit.")

    @OptionGroup var providers: ProviderOptions
    @OptionGroup var record: RecordOptions

    func run() async throws {
        try await record.perform(.cleanUp, providers: providers, done: "cleaned up")
    }
}

extension RecordOptions {
    /// Runs one challenge step through the dispatcher and prints where it went.
    func perform(_ action: Challenge.Action, providers: ProviderOptions, done: String) async throws {
        try await runReportingErrors {
            let logger = providers.makeLogger()
            let challenge = try challenge(action: action, providers: providers)
            let prepared = try providers.prepare(logger: logger)
            // One budget for the whole step, as serve and check give one: a provider that cannot
            // be reached fails with its own cause by then.
            let budget = ProviderCallScope(budget: .milliseconds(Int64(timeout * 1000)))
            let route = try await budget.run { try await prepared.dispatcher.perform(challenge, solver: prepared.solver) }
            writeLine("\(done) \(challenge.resolvedFQDN.fqdn) via \(route)")
        }
    }
}
