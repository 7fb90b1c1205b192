import DNS01
import DNSClient
import Synchronization

/// The standalone solver test, modelled on cert-manager's conformance suite:
///
/// - Basic: present a random key, wait until it is visible, clean it up, wait until it is gone;
/// - Extended: present two keys on one name, both visible; clean up one, the other must stay;
///   clean up the other.
///
/// Visibility is checked through the provider's read-back and, when a nameserver is given,
/// through DNS. Every step goes through the same dispatcher the server uses. Whatever happens,
/// the keys it presented are cleaned up before it returns.
public struct SolverCheck: Sendable {
    public struct Options: Sendable {
        public var solver: String
        public var domain: DomainName
        public var fqdn: DomainName
        public var zone: DomainName?
        public var namespace: String
        public var allowAmbientCredentials: Bool
        public var timeout: Duration
        public var pollInterval: Duration
        public var nameserver: DNSExchange?
        public var extended: Bool

        public init(
            solver: String, domain: DomainName, fqdn: DomainName, zone: DomainName? = nil, namespace: String,
            allowAmbientCredentials: Bool = false, timeout: Duration = .seconds(120), pollInterval: Duration = .seconds(2),
            nameserver: DNSExchange? = nil, extended: Bool = true
        ) {
            self.solver = solver
            self.domain = domain
            self.fqdn = fqdn
            self.zone = zone
            self.namespace = namespace
            self.allowAmbientCredentials = allowAmbientCredentials
            self.timeout = timeout
            self.pollInterval = pollInterval
            self.nameserver = nameserver
            self.extended = extended
        }
    }

    /// One line of the report.
    public struct Step: Sendable, CustomStringConvertible {
        public enum Outcome: String, Sendable {
            case passed = "PASS"
            case failed = "FAIL"
            /// The provider's API cannot do what the step checks (the descriptor's
            /// `limitations`); `detail` says why. It does not fail the check.
            case notApplicable = "N/A "
        }

        public let name: String
        public let outcome: Outcome
        public let elapsed: Duration
        public let detail: String

        public init(name: String, outcome: Outcome, elapsed: Duration, detail: String) {
            self.name = name
            self.outcome = outcome
            self.elapsed = elapsed
            self.detail = detail
        }

        public var passed: Bool { outcome == .passed }

        public var description: String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let timing = String(seconds.formatted3) + "s"
            let padded = name.count >= 34 ? name : name + String(repeating: " ", count: 34 - name.count)
            return "\(outcome.rawValue)  \(padded) \(timing.leftPadded(to: 8))\(detail.isEmpty ? "" : "  \(detail)")"
        }
    }

    /// A line about a step still running: when a wait starts, then at most every
    /// `progressInterval` while it lasts.
    public struct Progress: Sendable, CustomStringConvertible {
        /// The step's name, as its report line will give it.
        public let step: String
        public let elapsed: Duration
        /// The step's limit, for a wait.
        public let timeout: Duration?
        /// What it waits for and through which path, or what it saw last.
        public let message: String

        public var description: String {
            // Whole seconds elapsed (never rounded up past what has passed).
            let of = timeout.map { " of \($0.seconds.formattedShort)s" } ?? ""
            return "\(step): \(Int(elapsed.seconds))s\(of): \(message)"
        }
    }

    /// How often a running step says it is still running.
    public static let progressInterval: Duration = .seconds(5)

    /// A step the provider cannot do, reported as not applicable with the reason.
    struct NotApplicable: Error {
        let reason: String
    }

    /// What the running step is doing, which the progress ticker reports.
    final class StepStatus: Sendable {
        private let state = Mutex<(message: String, timeout: Duration?)>(("", nil))
        /// A new step: what it does, no limit known yet.
        func start(_ message: String) { state.withLock { $0 = (message, nil) } }
        /// What it does now; `timeout` once a wait with a limit begins.
        func set(_ message: String, timeout: Duration? = nil) { state.withLock { $0 = (message, timeout ?? $0.timeout) } }
        var current: (message: String, timeout: Duration?) { state.withLock { $0 } }
    }

    private let dispatcher: ChallengeDispatcher
    private let options: Options
    private let keys: (String, String)

    /// `keys` default to two random ACME-shaped values (43 base64url characters).
    public init(dispatcher: ChallengeDispatcher, options: Options, keys: (String, String)? = nil) {
        self.dispatcher = dispatcher
        self.options = options
        self.keys = keys ?? (Self.randomKey(), Self.randomKey())
    }

    /// Runs every step, reporting each as it ends; true only if all held. While a step runs,
    /// `progress` hears when it starts waiting and, at most every `progressInterval`, how
    /// long it has been running and what it saw last.
    public func run(report: @Sendable (Step) -> Void, progress: @escaping @Sendable (Progress) -> Void = { _ in }) async -> Bool {
        let (a, b) = keys
        var allPassed = true
        var presented: Set<String> = []
        let status = StepStatus()
        var providerName = "the provider"
        /// The last Present or CleanUp that failed, and how.
        var failedChange: (any Error)?

        func step(_ name: String, _ body: () async throws -> String) async -> Bool {
            let clock = ContinuousClock()
            let start = clock.now
            status.start("waiting for \(providerName) to answer")
            let outcome: (Step.Outcome, String, (any Error)?) = await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while (try? await Task.sleep(for: Self.progressInterval)) != nil {
                        let (message, timeout) = status.current
                        progress(Progress(step: name, elapsed: clock.now - start, timeout: timeout, message: message))
                    }
                }
                defer { group.cancelAll() }
                do {
                    return (.passed, try await body(), nil)
                } catch let skipped as NotApplicable {
                    return (.notApplicable, skipped.reason, nil)
                } catch {
                    return (.failed, PlainErrorText.describe(error), error)
                }
            }
            report(Step(name: name, outcome: outcome.0, elapsed: clock.now - start, detail: outcome.1))
            if outcome.0 == .failed { allPassed = false }
            if let error = outcome.2, name.contains("present") || name.contains("clean up") { failedChange = error }
            return outcome.0 != .failed
        }

        var limitations: Set<Limitation> = []
        var delegated = false
        let routed = await step("route") {
            let route = try dispatcher.route(challenge(.present, key: a), solver: options.solver)
            let descriptor = dispatcher.registry.descriptor(for: route.binding.pluginName)
            limitations = descriptor?.limitations ?? []
            delegated = descriptor?.recordModel == .delegated
            // As the route names it: "route53", or "providers[1].route53" in a table.
            providerName = route.binding.path.isRoot ? route.binding.pluginName : route.binding.path.description
            return "\(options.fqdn.fqdn) → \(route)"
        }
        guard routed else { return false }
        let readBack = ReadBack(limitations: limitations, nameserver: options.nameserver != nil)
        let waiting = Waiting(providerName: providerName, status: status) { step, text in
            progress(Progress(step: step, elapsed: .zero, timeout: options.timeout, message: text))
        }
        func visibleStep(_ name: String, _ visible: Set<String>) async -> Bool {
            await step(name) { try await waitUntil(visible: visible, absent: [], readBack: readBack, waiting: waiting.named(name)) }
        }
        /// A step that waits for keys to disappear, which a provider that never removes a value cannot pass.
        func goneStep(_ name: String, _ visible: Set<String>, _ absent: Set<String>) async -> Bool {
            await step(name) {
                if limitations.contains(.cannotRemoveValues) { throw NotApplicable(reason: Limitation.cannotRemoveValues.reason) }
                return try await waitUntil(visible: visible, absent: absent, readBack: readBack, waiting: waiting.named(name))
            }
        }

        basic: do {
            guard
                await step(
                    "basic: present key A",
                    {
                        presented.insert(a)
                        try await perform(.present, a)
                        return ""
                    })
            else { break basic }
            guard await visibleStep("basic: key A visible", [a]) else { break basic }
            guard
                await step(
                    "basic: clean up key A",
                    {
                        try await perform(.cleanUp, a)
                        presented.remove(a)
                        return ""
                    })
            else { break basic }
            guard await goneStep("basic: key A gone", [], [a]) else { break basic }
        }
        if allPassed && options.extended {
            extended: do {
                guard
                    await step(
                        "extended: present key A",
                        {
                            presented.insert(a)
                            try await perform(.present, a)
                            return ""
                        })
                else { break extended }
                guard
                    await step(
                        "extended: present key B",
                        {
                            presented.insert(b)
                            try await perform(.present, b)
                            return ""
                        })
                else { break extended }
                guard
                    await step(
                        "extended: keys A and B visible",
                        {
                            try await Self.explainingSetReplacement(delegated, Self.replacedSetHint) {
                                try await waitUntil(visible: [a, b], absent: [], readBack: readBack, waiting: waiting.named("extended: keys A and B visible"))
                            }
                        })
                else { break extended }
                guard
                    await step(
                        "extended: clean up key B",
                        {
                            try await perform(.cleanUp, b)
                            presented.remove(b)
                            return ""
                        })
                else { break extended }
                guard
                    await step(
                        "extended: key B gone, key A kept",
                        {
                            if limitations.contains(.cannotRemoveValues) { throw NotApplicable(reason: Limitation.cannotRemoveValues.reason) }
                            return try await Self.explainingSetReplacement(delegated, Self.removedSetHint) {
                                try await waitUntil(visible: [a], absent: [b], readBack: readBack, waiting: waiting.named("extended: key B gone, key A kept"))
                            }
                        })
                else { break extended }
                guard
                    await step(
                        "extended: clean up key B again",
                        {
                            try await perform(.cleanUp, b)
                            return "idempotent"
                        })
                else { break extended }
                guard
                    await step(
                        "extended: clean up key A",
                        {
                            try await perform(.cleanUp, a)
                            presented.remove(a)
                            return ""
                        })
                else { break extended }
                guard await goneStep("extended: key A gone", [], [a]) else { break extended }
            }
        }
        // Nothing left behind: whatever was presented and not cleaned up goes now, unless a
        // change already failed in a way the cleanup would only repeat (an unreachable
        // provider, refused credentials): the user has read that failure once.
        for key in presented.sorted() {
            if let failedChange, Self.wouldRepeat(failedChange) {
                report(
                    Step(
                        name: "clean up after failure", outcome: .notApplicable, elapsed: .zero,
                        detail: "skipped: it would fail as above; once that is fixed, remove any leftover value with: dns01-webhook cleanup --fqdn \(options.fqdn.fqdn) --key \(key)"))
                continue
            }
            _ = await step("clean up after failure") {
                try await perform(.cleanUp, key)
                return ""
            }
        }
        return allPassed
    }

    /// Whether a program, hook or acme.sh script keeps two values at one name is up to it, and
    /// the descriptor cannot say: the Extended step is how a user finds out, so for those
    /// providers its outcome says what it means.
    static let replacedSetHint =
        "only one of two values at the name stayed: this program or script replaces the whole TXT record set on add, so the apex and the wildcard name of one certificate cannot be validated at the same time (issue them as separate certificates, or use a provider that adds single values)"
    static let removedSetHint =
        "cleaning up one value also removed the other: this program or script deletes every TXT record at the name, so the apex and the wildcard name of one certificate cannot be validated at the same time"
    static let keptBothNote = "the program or script keeps both values"

    static func explainingSetReplacement(_ delegated: Bool, _ hint: String, _ body: () async throws -> String) async throws -> String {
        guard delegated else { return try await body() }
        do {
            let detail = try await body()
            return detail.isEmpty ? keptBothNote : "\(detail); \(keptBothNote)"
        } catch let error as NotApplicable {
            throw error
        } catch {
            throw ExplainedFailure(plainMessage: "\(PlainErrorText.describe(error)); \(hint)")
        }
    }

    struct ExplainedFailure: PlainError {
        let plainMessage: String
    }

    private func challenge(_ action: Challenge.Action, key: String) -> Challenge {
        Challenge(
            action: action, dnsName: options.domain, resolvedFQDN: options.fqdn, resolvedZone: options.zone, key: key,
            resourceNamespace: options.namespace, allowAmbientCredentials: options.allowAmbientCredentials
        )
    }

    /// One Present or CleanUp, its provider requests and retries within `--timeout`.
    private func perform(_ action: Challenge.Action, _ key: String) async throws {
        try await ProviderCallScope(budget: options.timeout).run {
            _ = try await dispatcher.perform(challenge(action, key: key), solver: options.solver)
        }
    }

    /// Whether a failed change means another change now would fail the same way: the provider
    /// could not be reached, timed out, or refused the credentials.
    static func wouldRepeat(_ error: any Error) -> Bool {
        guard let error = error as? DNS01Error else { return false }
        return [.providerUnavailable, .timedOut, .credentialsUnavailable, .secretNotFound, .secretAccessDenied].contains(error.code)
    }

    /// Where visibility is read: the provider's API unless its descriptor says it may have none
    /// to read with, and DNS when a nameserver is given.
    struct ReadBack: Sendable {
        /// The provider's API may have no read-back (`cannotReadBack`): it is tried once, and a
        /// failure then makes the step not applicable rather than failed (an `exec` or `http`
        /// block that names its own nameserver can read back; acme-dns cannot).
        var providerMayNotReadBack: Bool
        var throughDNS: Bool

        init(limitations: Set<Limitation>, nameserver: Bool) {
            providerMayNotReadBack = limitations.contains(.cannotReadBack)
            throughDNS = nameserver
        }
    }

    /// Where a wait reports: the provider's name for its lines, the running step's status
    /// (the ticker reports it), and the line that says a wait has started.
    struct Waiting: Sendable {
        let providerName: String
        let status: StepStatus
        let announce: @Sendable (_ step: String, _ text: String) -> Void
        var step = ""

        func named(_ name: String) -> Waiting {
            var copy = self
            copy.step = name
            return copy
        }
    }

    /// Polls the provider (and DNS) until every `visible` key is there and every `absent` key
    /// is not, or the timeout passes (the last poll is at the deadline, never before it).
    private func waitUntil(visible: Set<String>, absent: Set<String>, readBack: ReadBack, waiting: Waiting) async throws -> String {
        var useProvider = true
        if readBack.providerMayNotReadBack {
            do {
                _ = try await ProviderCallScope(budget: options.timeout).run {
                    let (provider, _) = try await dispatcher.provider(for: challenge(.present, key: keys.0), solver: options.solver)
                    return try await provider.txtValues(at: options.fqdn, zone: options.zone)
                }
            } catch {
                // The provider's own words say best how it could read back (exec.nameserver…).
                guard readBack.throughDNS else { throw NotApplicable(reason: (error as? DNS01Error)?.message ?? Limitation.cannotReadBack.reason) }
                useProvider = false
            }
        }
        var goal: [String] = []
        if !visible.isEmpty { goal.append("\(describe(visible, keyWord: true)) \(visible.count == 1 ? "is" : "are") visible") }
        if !absent.isEmpty { goal.append("\(describe(absent, keyWord: true)) \(absent.count == 1 ? "is" : "are") gone") }
        var paths: [String] = []
        if useProvider { paths.append("\(waiting.providerName)'s API") }
        if let nameserver = options.nameserver { paths.append("DNS at \(nameserver.serverName)") }
        let target = "until \(goal.joined(separator: " and ")) through \(paths.joined(separator: " and "))"
        waiting.status.set("waiting \(target)", timeout: options.timeout)
        var announced = false

        let clock = ContinuousClock()
        let deadline = clock.now + options.timeout
        var lastState = "nothing observed yet"
        while true {
            var observations: [String] = []
            var satisfied = true
            do {
                if useProvider {
                    // A read that cannot finish ends with the wait, with its own cause.
                    let values = try await ProviderCallScope(budget: max(deadline - clock.now, .milliseconds(100))).run {
                        let (provider, _) = try await dispatcher.provider(for: challenge(.present, key: keys.0), solver: options.solver)
                        return Set(try await provider.txtValues(at: options.fqdn, zone: options.zone))
                    }
                    satisfied = satisfied && visible.isSubset(of: values) && absent.isDisjoint(with: values)
                    observations.append("provider has \(describe(values))")
                }
                if let nameserver = options.nameserver {
                    let lookup = try await nameserver.txtLookup(options.fqdn.fqdn)
                    let dnsValues = Set(lookup.values)
                    satisfied = satisfied && visible.isSubset(of: dnsValues) && absent.isDisjoint(with: dnsValues)
                    observations.append(lookup == .nameDoesNotExist ? "DNS says NXDOMAIN" : "DNS has \(describe(dnsValues))")
                }
            } catch {
                satisfied = false
                observations.append("last error: \(PlainErrorText.describe(error))")
            }
            lastState = observations.joined(separator: "; ")
            if satisfied { return !useProvider ? "via DNS" : options.nameserver == nil ? "via provider" : "via provider and DNS" }
            // Said once the first look shows that there is something to wait for.
            if !announced {
                waiting.announce(waiting.step, "waiting \(target), polling every \(options.pollInterval.seconds.formattedShort)s")
                announced = true
            }
            waiting.status.set("waiting \(target); last seen: \(lastState)")
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw DNS01Error(.timedOut, "not reached within \(options.timeout.seconds.formattedShort)s: \(lastState)")
            }
            try await Task.sleep(for: min(options.pollInterval, remaining))
        }
    }

    /// The values by their names in the steps: A, B, or another value. `keyWord` says
    /// "key A", "keys A and B" for a sentence.
    private func describe(_ values: Set<String>, keyWord: Bool = false) -> String {
        let (a, b) = keys
        let named = values.map { $0 == a ? "A" : $0 == b ? "B" : "another value" }.sorted()
        if keyWord { return (named.count == 1 ? "key " : "keys ") + named.joined(separator: " and ") }
        return named.isEmpty ? "no values" : named.joined(separator: ", ")
    }

    /// 43 base64url characters, the shape of a real ACME DNS-01 value.
    public static func randomKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SystemRandomNumberGenerator()
        return String((0..<43).map { _ in alphabet[Int.random(in: 0..<64, using: &generator)] })
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension Double {
    /// At most three decimals, without trailing zeros (2, 0.5, 0.125).
    var formattedShort: String {
        var text = formatted3
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    var formatted3: String {
        let scaled = (self * 1000).rounded()
        let whole = Int(scaled) / 1000
        let fraction = Int(scaled) % 1000
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
