import DNS01
import Foundation
import Logging
import Synchronization
import Testing

/// The provider contract, one case at a time, run by every provider's tests against that
/// provider's emulator or real server (and by the `new-provider` scaffold's generated test):
///
/// ```swift
/// @Test(arguments: ProviderContract.allCases)
/// func contract(_ contract: ProviderContract) async throws {
///     try await contract.verify(try await Self.subject())
/// }
/// ```
///
/// Every case goes through `ChallengeDispatcher`, the path `serve` and the CLI take. A case
/// whose peer lacks a capability throws `ProviderContract.NotApplicable`, which the suite's
/// `verify` reports as a recorded skip with its reason instead of a silent pass.
public enum ProviderContract: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case presentAddsOneValue = "present adds exactly its value"
    case twoValuesCoexist = "two values on one name (apex and wildcard) coexist"
    case presentIsIdempotent = "present is idempotent"
    case cleanUpRemovesOnlyItsOwn = "cleanup removes only its own value and leaves foreign values alone"
    case cleanUpOfMissingValueSucceeds = "cleanup succeeds when the value is already gone"
    case concurrentPresentsAndCleanUps = "16 concurrent presents on one name leave 16 values, 16 concurrent cleanups leave none"
    case survivesThrottlingAndServerErrors = "with throttling and 5xx on a third of the calls every step still ends right"
    case wrongCredentialsFailClearly = "wrong credentials fail clearly, write nothing and reveal no secret"
    case apiCallsPerChallenge = "a warm Present and a warm CleanUp each cost at most their budget of API calls"

    public var testDescription: String { rawValue }

    /// Thrown when the subject cannot run a case (its peer has no fault injection, say).
    public struct NotApplicable: Error, CustomStringConvertible {
        public let description: String
    }

    /// A contract case that did not hold.
    public struct Violation: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// What the case needs from the provider's API; a provider whose descriptor lists one of
    /// these limitations cannot run it.
    var needs: [Limitation] {
        switch self {
        case .presentAddsOneValue, .twoValuesCoexist, .cleanUpRemovesOnlyItsOwn, .cleanUpOfMissingValueSucceeds:
            [.cannotRemoveValues]
        // Presenting a value again, and six or sixteen values, are more than two values' worth
        // of writes to one name.
        case .presentIsIdempotent, .concurrentPresentsAndCleanUps, .survivesThrottlingAndServerErrors:
            [.cannotRemoveValues, .keepsTwoValuesOnly]
        case .wrongCredentialsFailClearly, .apiCallsPerChallenge:
            []
        }
    }

    /// Runs the case; throws `Violation` when the provider breaks the contract, and
    /// `NotApplicable` (with the descriptor's reason) when its API cannot do what the case needs.
    public func verify(_ subject: ProviderContractSubject) async throws {
        let limitations = subject.registry.descriptor(for: subject.solver)?.limitations ?? []
        if let missing = needs.first(where: limitations.contains) {
            throw NotApplicable(description: missing.reason)
        }
        let run = try ContractRun(subject: subject, contract: self)
        var failure: (any Error)?
        do {
            try await exercise(run, subject)
        } catch {
            failure = error
        }
        if let leaked = run.leakedSecret() {
            throw Violation("a secret (\(leaked.count) characters, starting \(leaked.prefix(2))…) reached a message or a log line")
        }
        if let failure { throw failure }
    }

    private func exercise(_ run: ContractRun, _ subject: ProviderContractSubject) async throws {
        switch self {
        case .presentAddsOneValue:
            let name = try await run.freshName()
            try await run.present(name, "only-value")
            try await run.expectValues(at: name, exactly: ["only-value"])
            try await run.cleanUp(name, "only-value")
            try await run.expectValues(at: name, exactly: [])
        case .twoValuesCoexist:
            let name = try await run.freshName()
            try await run.present(name, "apex-value")
            try await run.present(name, "wildcard-value", domain: "*.\(name.parent?.parent?.name ?? "")")
            try await run.expectValues(at: name, exactly: ["apex-value", "wildcard-value"])
            try await run.cleanUp(name, "apex-value")
            try await run.expectValues(at: name, exactly: ["wildcard-value"])
            try await run.cleanUp(name, "wildcard-value")
            try await run.expectValues(at: name, exactly: [])
        case .presentIsIdempotent:
            let name = try await run.freshName()
            try await run.present(name, "twice")
            try await run.present(name, "twice")
            try await run.expectValues(at: name, exactly: ["twice"])
            try await run.cleanUp(name, "twice")
            try await run.cleanUp(name, "twice")
            try await run.expectValues(at: name, exactly: [])
        case .cleanUpRemovesOnlyItsOwn:
            let name = try await run.freshName()
            guard let seed = subject.seedForeignValue else { throw NotApplicable(description: "the peer cannot seed a foreign value") }
            try await seed(name, run.value("foreign-value"))
            try await run.present(name, "own-value")
            try await run.expectValues(at: name, exactly: ["foreign-value", "own-value"])
            try await run.cleanUp(name, "own-value")
            try await run.expectValues(at: name, exactly: ["foreign-value"])
        case .cleanUpOfMissingValueSucceeds:
            let name = try await run.freshName()
            try await run.cleanUp(name, "never-presented")
            try await run.present(name, "present-then-gone")
            try await run.cleanUp(name, "present-then-gone")
            try await run.cleanUp(name, "present-then-gone")
            try await run.expectValues(at: name, exactly: [])
        case .concurrentPresentsAndCleanUps:
            let name = try await run.freshName()
            let keys = (0..<16).map { "concurrent-\($0)" }
            try await run.concurrently(keys) { try await run.present(name, $0) }
            try await run.expectValues(at: name, exactly: keys)
            try await run.concurrently(keys) { try await run.cleanUp(name, $0) }
            try await run.expectValues(at: name, exactly: [])
            // A provider that rewrites whole sets without a precondition is safe across
            // replicas only through the dispatcher's record-name lock: every step took it.
            let served = run.nameLock.served
            if try await run.rewritesWithoutPrecondition(at: name) {
                guard served.acquisitions == 32, served.mostAtOnce == 1 else {
                    throw Violation("the record-name lock was taken \(served.acquisitions) times (at most \(served.mostAtOnce) at once) for 32 steps of a read-modify-write provider; expected every step, one at a time")
                }
            } else if served.acquisitions != 0 {
                throw Violation("the record-name lock was taken \(served.acquisitions) times for a provider whose API needs none")
            }
        case .survivesThrottlingAndServerErrors:
            guard let inject = subject.injectFaults else { throw NotApplicable(description: "the peer cannot inject throttling or server errors") }
            let name = try await run.freshName()
            let keys = (0..<6).map { "faulty-\($0)" }
            for key in keys {
                try await inject(1)
                try await run.present(name, key)
            }
            try await run.expectValues(at: name, exactly: keys)
            for key in keys {
                try await inject(1)
                try await run.cleanUp(name, key)
            }
            try await run.expectValues(at: name, exactly: [])
        case .wrongCredentialsFailClearly:
            guard let wrong = subject.wrongCredentialsConfig else { throw NotApplicable(description: "the provider has no credentials") }
            let name = try await run.freshName()
            let failing = try run.dispatcher(config: wrong)
            do {
                try await failing.perform(run.challenge(.present, name, "must-not-be-written"), solver: subject.solver)
                throw Violation("present with wrong credentials succeeded")
            } catch let error as DNS01Error {
                run.record(error.message)
                for hint in subject.wrongCredentialsHints where !error.message.contains(hint) {
                    throw Violation("the wrong-credentials failure does not say \"\(hint)\": \(error.message)")
                }
                guard [.credentialsUnavailable, .providerRejected, .secretNotFound, .secretAccessDenied].contains(error.code) else {
                    throw Violation("wrong credentials failed as \(error.code), not as a credentials problem: \(error.message)")
                }
            }
            try await run.expectValues(at: name, exactly: [])
        case .apiCallsPerChallenge:
            guard let count = subject.apiCallCount else { throw NotApplicable(description: "the peer does not count its calls") }
            let name = try await run.freshName()
            // Warm up: zone lists, credentials and the like are cached after one challenge.
            try await run.present(name, "warm-up")
            try await run.cleanUp(name, "warm-up")
            let beforePresent = try await count()
            try await run.present(name, "counted")
            let presentCalls = try await count() - beforePresent
            let beforeCleanUp = try await count()
            try await run.cleanUp(name, "counted")
            let cleanUpCalls = try await count() - beforeCleanUp
            ContractMeasurements.shared.record(solver: subject.solver, present: presentCalls, cleanUp: cleanUpCalls)
            guard presentCalls <= subject.maximumCallsPerPresent else {
                throw Violation("a warm Present cost \(presentCalls) API calls (budget \(subject.maximumCallsPerPresent))")
            }
            guard cleanUpCalls <= subject.maximumCallsPerCleanUp else {
                throw Violation("a warm CleanUp cost \(cleanUpCalls) API calls (budget \(subject.maximumCallsPerCleanUp))")
            }
        }
    }
}

/// The calls per challenge each provider's contract run measured, for the record.
public final class ContractMeasurements: Sendable {
    public static let shared = ContractMeasurements()
    private let values = Mutex<[String: (present: Int, cleanUp: Int)]>([:])

    public func record(solver: String, present: Int, cleanUp: Int) {
        values.withLock { $0[solver] = (present, cleanUp) }
    }

    public func calls(for solver: String) -> (present: Int, cleanUp: Int)? {
        values.withLock { $0[solver] }
    }
}

/// One case's run: a dispatcher over the subject, fresh record names, and everything the
/// provider said (messages and logs), to check for secrets at the end.
final class ContractRun: Sendable {
    let subject: ProviderContractSubject
    let dispatcherUnderTest: ChallengeDispatcher
    private let logs = LogRecorder()
    private let messages = Mutex<[String]>([])
    private let prefix: String
    /// The record-name lock of every dispatcher of the run.
    let nameLock = ContractNameLock()

    init(subject: ProviderContractSubject, contract: ProviderContract) throws {
        self.subject = subject
        self.prefix = "c\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        self.dispatcherUnderTest = try Self.makeDispatcher(subject: subject, config: subject.config, logger: logs.logger(), nameLock: nameLock)
    }

    func dispatcher(config: ConfigValue) throws -> ChallengeDispatcher {
        try Self.makeDispatcher(subject: subject, config: config, logger: logs.logger(), nameLock: nameLock)
    }

    private static func makeDispatcher(subject: ProviderContractSubject, config: ConfigValue, logger: Logger, nameLock: ContractNameLock) throws -> ChallengeDispatcher {
        try ChallengeDispatcher(
            registry: subject.registry,
            defaultConfig: .object([subject.solver: config]),
            secrets: subject.secrets,
            logger: logger,
            environment: [:],
            nameLocking: NameLocking(lock: nameLock, maximumWait: .seconds(60))
        )
    }

    /// Whether the provider rewrites the set at `name` with no precondition (its own answer
    /// for its server, else its descriptor's): the dispatcher must then lock the name.
    func rewritesWithoutPrecondition(at name: DomainName) async throws -> Bool {
        let (provider, route) = try await dispatcherUnderTest.provider(for: challenge(.present, name, "read-back"), solver: subject.solver)
        return (try await provider.recordModel(at: name) ?? route.binding.recordModel) == .readModifyWriteSet
    }

    /// `_acme-challenge.<unique>.<zone>`, so cases never see each other's values.
    func freshName() async throws -> DomainName {
        let name = try DomainName("_acme-challenge.\(prefix)-\(UInt16.random(in: 0...UInt16.max)).\(subject.zone.name)")
        try await subject.prepareName?(name)
        return name
    }

    /// The value written for one of the suite's labels: the label itself, or, for a provider
    /// that accepts only ACME-shaped values, 43 base64url characters derived from it.
    func value(_ label: String) -> String {
        subject.valuesMustBeACMEShaped ? ProviderContract.acmeShapedValue(label) : label
    }

    func challenge(_ action: Challenge.Action, _ name: DomainName, _ key: String, domain: String? = nil) throws -> Challenge {
        Challenge(
            action: action,
            dnsName: try DomainName(domain ?? name.parent?.name ?? name.name),
            resolvedFQDN: name,
            resolvedZone: subject.zone,
            key: value(key),
            resourceNamespace: subject.namespace
        )
    }

    func present(_ name: DomainName, _ key: String, domain: String? = nil) async throws {
        try await perform(challenge(.present, name, key, domain: domain))
    }

    func cleanUp(_ name: DomainName, _ key: String) async throws {
        try await perform(challenge(.cleanUp, name, key))
    }

    private func perform(_ challenge: Challenge) async throws {
        do {
            try await dispatcherUnderTest.perform(challenge, solver: subject.solver)
        } catch let error as DNS01Error {
            record(error.message)
            throw ProviderContract.Violation("\(challenge.action.rawValue) of \(challenge.key) at \(challenge.resolvedFQDN.fqdn) failed: \(error.message)")
        }
    }

    func concurrently(_ keys: [String], _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys { group.addTask { try await body(key) } }
            try await group.waitForAll()
        }
    }

    /// The values at `name` must be exactly `expected` (as a set), read through the provider
    /// and, when the peer allows it, independently.
    func expectValues(at name: DomainName, exactly labels: [String]) async throws {
        let expected = labels.map(value)
        if subject.readsBackThroughProvider {
            let (provider, _) = try await dispatcherUnderTest.provider(for: challenge(.present, name, "read-back"), solver: subject.solver)
            let throughProvider = try await provider.txtValues(at: name, zone: subject.zone)
            guard Set(throughProvider) == Set(expected), throughProvider.count == expected.count else {
                throw ProviderContract.Violation("the provider reads \(throughProvider.sorted()) at \(name.fqdn), expected \(expected.sorted())")
            }
        }
        if let read = subject.independentRead {
            let direct = try await read(name)
            guard Set(direct) == Set(expected), direct.count == expected.count else {
                throw ProviderContract.Violation("the peer holds \(direct.sorted()) at \(name.fqdn), expected \(expected.sorted())")
            }
        }
    }

    func record(_ message: String) {
        messages.withLock { $0.append(message) }
    }

    /// A secret of the subject found in a message or log line of the run, if any.
    func leakedSecret() -> String? {
        let everything = messages.withLock { $0.joined(separator: "\n") } + "\n" + logs.text
        return subject.secretStrings.first { !$0.isEmpty && everything.contains($0) }
    }
}

extension ProviderContract {
    /// 43 base64url characters (the shape of an ACME DNS-01 value) that stand for `label`:
    /// the first 32 bytes of a digest-like expansion of it, encoded without padding.
    public static func acmeShapedValue(_ label: String) -> String {
        // FNV-1a, stretched to 32 bytes: distinct labels give distinct values; no crypto needed.
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        var bytes: [UInt8] = []
        for round in 0..<4 {
            for byte in Array(label.utf8) + [UInt8(round)] {
                state ^= UInt64(byte)
                state = state &* 0x0000_0100_0000_01B3
            }
            withUnsafeBytes(of: state.bigEndian) { bytes += $0 }
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var text = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                text.append(alphabet[(buffer >> bits) & 63])
            }
        }
        if bits > 0 { text.append(alphabet[(buffer << (6 - bits)) & 63]) }
        return text
    }

    /// `verify`, with a case the subject cannot run recorded as a known issue that names the
    /// reason, so a report shows what was not exercised instead of a silent pass.
    public func verifyOrSkip(_ subject: ProviderContractSubject) async throws {
        do {
            try await verify(subject)
        } catch let skipped as NotApplicable {
            withKnownIssue("not applicable: \(skipped.description)") { throw skipped }
        }
    }
}
