import ArgumentParser
import DNS01
import DNSClient
import Foundation
import SolverCheck

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Test a solver end to end: present, verify, clean up (Basic and Extended), leaving nothing behind.",
        discussion: """
            One line per step on stdout; while a step waits, a progress line on stderr when it starts \
            and at most every 5 seconds. With --output json, stdout is one JSON document instead \
            (README.md, "CLI", gives its shape).
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

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

    @Option(help: "text (a line per step) or json (one document with every step, for CI).")
    var output: OutputFormat = .text

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        guard pollInterval > 0, pollInterval <= timeout else { throw ValidationError("--poll-interval must be positive and at most --timeout") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let progressLine = ProgressLine()
        let steps = CollectedSteps()
        var report = CheckReport(domain: domain, nameserver: nameserver, timeoutSeconds: timeout)
        do {
            let logger = providers.makeLogger()
            let prepared = try providers.prepare(logger: logger)
            report.solver = prepared.solver
            let domain = try parseDomain(self.domain, flag: "--domain")
            let fqdn = try fqdn.map { try parseDomain($0, flag: "--fqdn") } ?? Challenge.recordName(for: domain)
            report.domain = domain.name
            report.fqdn = fqdn.fqdn
            let exchange = try nameserver.map { try DNSExchange(hostAndPort: $0, timeout: .seconds(3)) }
            let options = SolverCheck.Options(
                solver: prepared.solver,
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
            let text = output == .text
            report.passed = await SolverCheck(dispatcher: prepared.dispatcher, options: options).run(
                report: { step in
                    steps.append(step)
                    progressLine.clear()
                    if text { writeLine(step.description) }
                },
                progress: { progressLine.show($0.description) }
            )
        } catch let error as ExitCode {
            throw error
        } catch {
            progressLine.clear()
            report.error = PlainErrorText.describe(error)
            FileHandle.standardError.write(Data("error: \(report.error ?? "")\n".utf8))
        }
        report.steps = steps.all.map(CheckReport.StepReport.init)
        report.elapsedSeconds = (ContinuousClock.now - started).checkSeconds
        switch output {
        case .text:
            if report.error == nil { writeLine(report.passed ? "check passed" : "check FAILED") }
        case .json:
            writeLine(report.json)
        }
        if !report.passed { throw ExitCode(1) }
    }
}

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() async throws {
        writeLine("dns01-webhook \(BuildInfo.version) \(BuildInfo.platform)")
    }
}
