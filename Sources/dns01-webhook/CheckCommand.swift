import ArgumentParser
import DNS01
import DNSClient
import Foundation
import SolverCheck

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test a solver end to end: present, verify, clean up (Basic and Extended), leaving nothing behind."
    )

    @OptionGroup var providers: ProviderOptions

    @Option(help: "The domain to test, e.g. www.example.com (the record goes at _acme-challenge.<domain>).")
    var domain: String

    @Option(help: "The record name, if not _acme-challenge.<domain> (e.g. a CNAME target).")
    var fqdn: String?

    @Option(help: "The zone hint passed to the provider (cert-manager's resolvedZone).")
    var zone: String?

    @Option(help: "Also verify through DNS, querying this server (HOST:PORT) over UDP with TCP fallback.")
    var nameserver: String?

    @Option(help: "Seconds to wait for each change to become visible or gone.")
    var timeout: Double = 120

    @Option(help: "Seconds between visibility polls.")
    var pollInterval: Double = 2

    @Flag(help: "Run only the Basic test (skip the two-keys-on-one-name Extended test).")
    var basicOnly = false

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        guard pollInterval > 0, pollInterval <= timeout else { throw ValidationError("--poll-interval must be positive and at most --timeout") }
    }

    func run() async throws {
        var passed = false
        try await runReportingErrors {
            let logger = providers.makeLogger()
            let dispatcher = try providers.makeDispatcher(logger: logger)
            let domain = try parseDomain(self.domain, flag: "--domain")
            let fqdn = try fqdn.map { try parseDomain($0, flag: "--fqdn") } ?? Challenge.recordName(for: domain)
            let exchange = try nameserver.map { try DNSExchange(hostAndPort: $0, timeout: .seconds(3)) }
            let options = SolverCheck.Options(
                solver: providers.solver,
                domain: domain,
                fqdn: fqdn,
                zone: try zone.map { try parseDomain($0, flag: "--zone") },
                namespace: providers.namespace,
                allowAmbientCredentials: providers.allowAmbientCredentials,
                timeout: .milliseconds(Int64(timeout * 1000)),
                pollInterval: .milliseconds(Int64(pollInterval * 1000)),
                nameserver: exchange,
                extended: !basicOnly
            )
            passed = await SolverCheck(dispatcher: dispatcher, options: options).run { step in
                writeLine(step.description)
            }
            writeLine(passed ? "check passed" : "check FAILED")
        }
        if !passed { throw ExitCode(1) }
    }
}

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() async throws {
        writeLine("dns01-webhook \(BuildInfo.version) \(BuildInfo.platform)")
    }
}
