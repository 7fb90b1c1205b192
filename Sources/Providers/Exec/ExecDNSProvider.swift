import DNS01
import DNSClient
import ProviderKit

/// Runs the operator's program for each step, the way lego's `exec` provider does:
///
///     PROGRAM present <fqdn> <value>      e.g. present _acme-challenge.www.example.com. Zq3…
///     PROGRAM cleanup <fqdn> <value>
///
/// The challenge is also on stdin as one JSON object (`action`, `fqdn`, `value`, `domain`,
/// `zone`, `namespace`, `uid`) and in `DNS01_ACTION`, `DNS01_FQDN`, `DNS01_VALUE`, `DNS01_DOMAIN`,
/// `DNS01_ZONE`, `DNS01_NAMESPACE`, `DNS01_UID`. Exit status 0 is success; anything else, or
/// running past the timeout, is a failure whose message carries the program's output (trimmed,
/// with every configured secret value replaced by `<redacted>`).
///
/// The program must keep the provider contract: present adds one value and keeps the others,
/// cleanup removes only its own, both idempotent.
struct ExecDNSProvider: DNSProvider {
    static let variablePrefix = "DNS01_"

    let configuration: ExecConfiguration
    let baseEnvironment: [String: String]
    let secrets: [String: SecretValue]
    let readBack: DNSExchange?
    var runner = ProgramRunner()

    func present(_ challenge: Challenge) async throws { try await ProviderRequests.measure("present") { try await run(challenge) } }

    func cleanUp(_ challenge: Challenge) async throws { try await ProviderRequests.measure("cleanup") { try await run(challenge) } }

    /// lego's convention has no way to read records back, so read-back (for `check`) asks the
    /// DNS server named in `exec.nameserver`.
    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        guard let readBack else {
            throw DNS01Error(.providerRejected, "the exec provider cannot read records back by itself: set exec.nameserver to the DNS server your program updates")
        }
        return try await readBack.txtLookup(fqdn.fqdn).values
    }

    private func run(_ challenge: Challenge) async throws {
        let fields = challenge.outOfProcessFields
        var environment = baseEnvironment.merging(configuration.environment) { $1 }
        for (name, value) in secrets { environment[name] = String(decoding: value.bytes, as: UTF8.self) }
        for field in fields { environment[Self.variablePrefix + field.name.uppercased()] = field.value }
        let action = fields[0].value
        let invocation = "\(configuration.command) \(action) \(challenge.resolvedFQDN.fqdn)"

        // Within the challenge's budget, so the program's own output reaches the message.
        let timeout = ProviderCallScope.clamped(configuration.timeout)
        // A round figure, the same on every retry: the configured timeout or the budget.
        let limit = timeout < configuration.timeout ? ProviderCallScope.current.map { "the challenge's time budget of \($0.budget.plainSeconds)" } : nil
        let outcome: ProgramRunner.Outcome
        do {
            outcome = try await runner.run(
                configuration.command, arguments: [action, challenge.resolvedFQDN.fqdn, challenge.key],
                environment: environment, input: challenge.outOfProcessJSON + "\n", timeout: timeout
            )
        } catch {
            throw DNS01Error(.providerUnavailable, "exec: cannot run \(configuration.command): \(PlainErrorText.describe(error))")
        }
        let output = OutputSummary(secrets: Array(secrets.values)).summarise(outcome.output, startsMidLine: outcome.truncated)
        let said = output.isEmpty ? "" : ": \(output)"
        switch outcome.termination {
        case .exited(0):
            return
        case .exited(let code):
            throw DNS01Error(.providerRejected, "exec: \(invocation) exited with status \(code)\(said)")
        case .signaled(let signal):
            throw DNS01Error(.providerUnavailable, "exec: \(invocation) was killed by signal \(signal)\(said)")
        case .timedOut:
            throw DNS01Error(.timedOut, "exec: \(invocation) did not finish within \(limit ?? "\(configuration.timeout)") and was killed\(said)")
        }
    }
}
