import DNS01
import DNSClient

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

    /// A step the provider cannot do, reported as not applicable with the reason.
    struct NotApplicable: Error {
        let reason: String
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

    /// Runs every step, reporting each as it ends; true only if all held.
    public func run(report: @Sendable (Step) -> Void) async -> Bool {
        let (a, b) = keys
        var allPassed = true
        var presented: Set<String> = []

        func step(_ name: String, _ body: () async throws -> String) async -> Bool {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let detail = try await body()
                report(Step(name: name, outcome: .passed, elapsed: clock.now - start, detail: detail))
                return true
            } catch let skipped as NotApplicable {
                report(Step(name: name, outcome: .notApplicable, elapsed: clock.now - start, detail: skipped.reason))
                return true
            } catch {
                report(Step(name: name, outcome: .failed, elapsed: clock.now - start, detail: "\(error)"))
                allPassed = false
                return false
            }
        }

        var limitations: Set<Limitation> = []
        var delegated = false
        let routed = await step("route") {
            let route = try dispatcher.route(challenge(.present, key: a), solver: options.solver)
            let descriptor = dispatcher.registry.descriptor(for: route.binding.pluginName)
            limitations = descriptor?.limitations ?? []
            delegated = descriptor?.recordModel == .delegated
            return "\(options.fqdn.fqdn) → \(route)"
        }
        guard routed else { return false }
        let readBack = ReadBack(limitations: limitations, nameserver: options.nameserver != nil)
        /// A step that waits for keys to disappear, which a provider that never removes a value cannot pass.
        func gone(_ visible: Set<String>, _ absent: Set<String>) async throws -> String {
            if limitations.contains(.cannotRemoveValues) { throw NotApplicable(reason: Limitation.cannotRemoveValues.reason) }
            return try await waitUntil(visible: visible, absent: absent, readBack: readBack)
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
            guard await step("basic: key A visible", { try await waitUntil(visible: [a], absent: [], readBack: readBack) }) else { break basic }
            guard
                await step(
                    "basic: clean up key A",
                    {
                        try await perform(.cleanUp, a)
                        presented.remove(a)
                        return ""
                    })
            else { break basic }
            guard await step("basic: key A gone", { try await gone([], [a]) }) else { break basic }
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
                                try await waitUntil(visible: [a, b], absent: [], readBack: readBack)
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
                            try await Self.explainingSetReplacement(delegated, Self.removedSetHint) { try await gone([a], [b]) }
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
                guard await step("extended: key A gone", { try await gone([], [a]) }) else { break extended }
            }
        }
        // Nothing left behind: whatever was presented and not cleaned up goes now.
        for key in presented.sorted() {
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
            throw ExplainedFailure(description: "\(error); \(hint)")
        }
    }

    struct ExplainedFailure: Error, CustomStringConvertible {
        let description: String
    }

    private func challenge(_ action: Challenge.Action, key: String) -> Challenge {
        Challenge(
            action: action, dnsName: options.domain, resolvedFQDN: options.fqdn, resolvedZone: options.zone, key: key,
            resourceNamespace: options.namespace, allowAmbientCredentials: options.allowAmbientCredentials
        )
    }

    private func perform(_ action: Challenge.Action, _ key: String) async throws {
        try await dispatcher.perform(challenge(action, key: key), solver: options.solver)
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

    /// Polls the provider (and DNS) until every `visible` key is there and every `absent` key
    /// is not, or the timeout passes.
    private func waitUntil(visible: Set<String>, absent: Set<String>, readBack: ReadBack) async throws -> String {
        var useProvider = true
        if readBack.providerMayNotReadBack {
            do {
                let (provider, _) = try await dispatcher.provider(for: challenge(.present, key: keys.0), solver: options.solver)
                _ = try await provider.txtValues(at: options.fqdn, zone: options.zone)
            } catch {
                // The provider's own words say best how it could read back (exec.nameserver…).
                guard readBack.throughDNS else { throw NotApplicable(reason: (error as? DNS01Error)?.message ?? Limitation.cannotReadBack.reason) }
                useProvider = false
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now + options.timeout
        var lastState = "nothing observed yet"
        while true {
            var observations: [String] = []
            var satisfied = true
            do {
                if useProvider {
                    let (provider, _) = try await dispatcher.provider(for: challenge(.present, key: keys.0), solver: options.solver)
                    let values = Set(try await provider.txtValues(at: options.fqdn, zone: options.zone))
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
                observations.append("last error: \(error)")
            }
            lastState = observations.joined(separator: "; ")
            if satisfied { return !useProvider ? "via DNS" : options.nameserver == nil ? "via provider" : "via provider and DNS" }
            if clock.now + options.pollInterval > deadline {
                throw DNS01Error(.timedOut, "not reached within \(options.timeout): \(lastState)")
            }
            try await Task.sleep(for: options.pollInterval)
        }
    }

    private func describe(_ values: Set<String>) -> String {
        let (a, b) = keys
        let named = values.map { $0 == a ? "A" : $0 == b ? "B" : "another value" }.sorted()
        return named.isEmpty ? "no values" : named.joined(separator: ", ")
    }

    /// 43 base64url characters, the shape of a real ACME DNS-01 value.
    public static func randomKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SystemRandomNumberGenerator()
        return String((0..<43).map { _ in alphabet[Int.random(in: 0..<64, using: &generator)] })
    }
}

extension Double {
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
