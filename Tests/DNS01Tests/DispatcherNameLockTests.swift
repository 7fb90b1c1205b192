import DNS01
import Logging
import Synchronization
import TestSupport
import Testing

/// The dispatcher takes the record-name lock around Present and CleanUp for providers that
/// rewrite whole value sets without a precondition, and only for them.
@Suite("ChallengeDispatcher record-name locks")
struct DispatcherNameLockTests {
    let events = EventLog()

    func dispatcher(lock: RecordingLock, deadline: Duration = .seconds(25)) throws -> ChallengeDispatcher {
        var registry = ProviderRegistry()
        registry.register(LoggingPlugin<ReadModifyWrite>(events: events))
        registry.register(LoggingPlugin<ServerSide>(events: events))
        return try ChallengeDispatcher(
            registry: registry, defaultConfig: nil, secrets: StaticSecretSource([:]), logger: Logger(label: "test"), environment: [:],
            nameLocking: NameLocking(lock: lock, maximumWait: deadline)
        )
    }

    func challenge(_ action: Challenge.Action, config: ConfigValue = [:]) throws -> Challenge {
        Challenge(
            action: action, dnsName: try DomainName("example.com"), resolvedFQDN: try DomainName("_acme-challenge.example.com"),
            resolvedZone: try DomainName("example.com"), key: "k", resourceNamespace: "cert-manager", config: config
        )
    }

    @Test("a read-modify-write provider's Present and CleanUp run inside the lock on the record name")
    func readModifyWriteIsLocked() async throws {
        let lock = RecordingLock(events: events)
        let dispatcher = try dispatcher(lock: lock)
        try await dispatcher.perform(challenge(.present), solver: "rmw")
        try await dispatcher.perform(challenge(.cleanUp), solver: "rmw")
        #expect(
            events.lines == [
                "acquire _acme-challenge.example.com.", "rmw Present", "release _acme-challenge.example.com.",
                "acquire _acme-challenge.example.com.", "rmw CleanUp", "release _acme-challenge.example.com.",
            ])
    }

    @Test("providers with a safe API never take the lock")
    func safeProvidersAreNotLocked() async throws {
        let dispatcher = try dispatcher(lock: RecordingLock(events: events))
        try await dispatcher.perform(challenge(.present), solver: "safe")
        #expect(events.lines == ["safe Present"])
    }

    @Test("the provider's own answer for its server wins over its descriptor, both ways")
    func runtimeRecordModel() async throws {
        let dispatcher = try dispatcher(lock: RecordingLock(events: events))
        try await dispatcher.perform(challenge(.present, config: ["runtime": "readModifyWriteSet"]), solver: "safe")
        try await dispatcher.perform(challenge(.present, config: ["runtime": "serverSideValueChange"]), solver: "rmw")
        #expect(events.lines == ["acquire _acme-challenge.example.com.", "safe Present", "release _acme-challenge.example.com.", "rmw Present"])
    }

    @Test("a lock that cannot be had fails the step, and the provider never writes")
    func noLockNoWrite() async throws {
        let dispatcher = try dispatcher(lock: RecordingLock(events: events, refuse: DNS01Error(.providerUnavailable, "cannot lock: the Kubernetes API is unreachable")))
        await #expect(throws: DNS01Error(.providerUnavailable, "cannot lock: the Kubernetes API is unreachable")) {
            try await dispatcher.perform(challenge(.present), solver: "rmw")
        }
        #expect(events.lines == ["acquire _acme-challenge.example.com."])
    }

    @Test("a failing step still releases the lock, and its error is the challenge's")
    func failureReleases() async throws {
        let dispatcher = try dispatcher(lock: RecordingLock(events: events))
        await #expect(throws: DNS01Error(.providerRejected, "refused")) {
            try await dispatcher.perform(challenge(.present, config: ["fail": true]), solver: "rmw")
        }
        #expect(events.lines == ["acquire _acme-challenge.example.com.", "rmw Present", "release _acme-challenge.example.com."])
    }

    @Test("a failing release does not fail a step that succeeded")
    func releaseFailureIsLoggedOnly() async throws {
        let dispatcher = try dispatcher(lock: RecordingLock(events: events, failRelease: true))
        try await dispatcher.perform(challenge(.present), solver: "rmw")
        #expect(events.lines.last == "release _acme-challenge.example.com.")
    }

    @Test("the wait for the lock is bounded by the configured maximum wait, counted from the step's start")
    func deadline() async throws {
        let lock = RecordingLock(events: events)
        let before = ContinuousClock.now
        try await dispatcher(lock: lock, deadline: .seconds(7)).perform(challenge(.present), solver: "rmw")
        let deadline = try #require(lock.deadlines.withLock { $0.first })
        #expect(deadline >= before + .seconds(7))
        #expect(deadline <= ContinuousClock.now + .seconds(7))
    }
}

final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ line: String) { entries.withLock { $0.append(line) } }
    var lines: [String] { entries.withLock { $0 } }
}

/// A lock that records what the dispatcher asks of it.
final class RecordingLock: RecordNameLock {
    struct Hold: Sendable { let name: RecordNameLockName }
    let events: EventLog
    let refuse: DNS01Error?
    let failRelease: Bool
    let deadlines = Mutex<[ContinuousClock.Instant]>([])

    init(events: EventLog, refuse: DNS01Error? = nil, failRelease: Bool = false) {
        self.events = events
        self.refuse = refuse
        self.failRelease = failRelease
    }

    func acquire(_ name: RecordNameLockName, deadline: ContinuousClock.Instant) async throws -> Hold {
        events.add("acquire \(name)")
        deadlines.withLock { $0.append(deadline) }
        if let refuse { throw refuse }
        return Hold(name: name)
    }

    func release(_ hold: Hold) async throws {
        events.add("release \(hold.name)")
        if failRelease { throw DNS01Error(.providerUnavailable, "release failed") }
    }
}

protocol RecordModelMarker: Sendable {
    static var name: String { get }
    static var model: RecordModel { get }
}
enum ReadModifyWrite: RecordModelMarker {
    static let name = "rmw"
    static let model = RecordModel.readModifyWriteSet
}
enum ServerSide: RecordModelMarker {
    static let name = "safe"
    static let model = RecordModel.serverSideValueChange
}

/// A plugin declaring `Marker.model`, whose provider logs each step; config `runtime` makes the
/// provider answer another model for its server, `fail` makes the step fail.
struct LoggingPlugin<Marker: RecordModelMarker>: ProviderPlugin {
    let events: EventLog
    static var descriptor: ProviderDescriptor {
        var descriptor = ProviderDescriptor.forTests(Marker.name)
        descriptor.recordModel = Marker.model
        return descriptor
    }

    func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> ConfigValue { block }

    func makeProvider(for configuration: ConfigValue, context: ProviderContext) async throws -> any DNSProvider {
        var runtime: RecordModel?
        if case .string(let text)? = configuration["runtime"] { runtime = RecordModel(rawValue: text) }
        return Provider(events: events, runtime: runtime, fails: configuration["fail"] == .bool(true))
    }

    struct Provider: DNSProvider {
        let events: EventLog
        let runtime: RecordModel?
        let fails: Bool

        func present(_ challenge: Challenge) async throws { try step(challenge) }
        func cleanUp(_ challenge: Challenge) async throws { try step(challenge) }
        func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] { [] }
        func recordModel(at fqdn: DomainName) async throws -> RecordModel? { runtime }

        private func step(_ challenge: Challenge) throws {
            events.add("\(Marker.name) \(challenge.action.rawValue)")
            if fails { throw DNS01Error(.providerRejected, "refused") }
        }
    }
}
