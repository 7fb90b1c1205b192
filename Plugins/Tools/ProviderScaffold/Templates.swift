/// The files and lines a new provider starts from. `__NAME__` becomes the provider's folder and
/// type prefix (`DigitalOcean`), `__KEY__` its config key (`digitalocean`). The shape is the one
/// every provider here has (docs/providers.md): plugin, descriptor, configuration, DNS provider,
/// API client, and a test that runs the shared contract suite.
enum Templates {
    static let packageEntry = #"    ProviderModule("__NAME__"),"#

    static let plugin = #"""
        import DNS01
        import ProviderKit

        /// The `__KEY__` provider plugin (its fields are in `__NAME__Plugin+Descriptor.swift`). One
        /// instance serves every challenge of the process: keep caches here, keyed by account.
        public struct __NAME__Plugin: ProviderPlugin {
            private let transport: any HTTPTransport
            private let retryPolicy: RetryPolicy

            /// - Parameters:
            ///   - transport: where requests go (tests put a model of the API here).
            ///   - retryPolicy: backoff for throttling and 5xx, within the challenge's deadline.
            public init(transport: any HTTPTransport = AsyncHTTPClientTransport(), retryPolicy: RetryPolicy = RetryPolicy()) {
                self.transport = transport
                self.retryPolicy = retryPolicy
            }

            /// Pure: no I/O, no Secret reads. Every endpoint is checked with the one Issuer policy.
            public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> __NAME__Configuration {
                try __NAME__Configuration.decode(block, at: path, source: source)
            }

            /// Resolves credentials for one challenge. Secrets come from the challenge's namespace.
            public func makeProvider(for configuration: __NAME__Configuration, context: ProviderContext) async throws -> any DNSProvider {
                let token = try await context.secret(configuration.apiTokenSecretRef)
                let client = __NAME__Client(endpoint: configuration.endpoint, token: token, transport: transport, retryPolicy: retryPolicy)
                return __NAME__DNSProvider(client: client)
            }
        }

        """#

    static let descriptor = #"""
        import DNS01

        extension __NAME__Plugin {
            /// Everything the docs page, the config JSON Schema and `check` know about the provider.
            /// Name the fields as the provider's existing cert-manager webhook or lego provider does,
            /// so users migrating keep their config.
            public static let descriptor = ProviderDescriptor(
                name: "__KEY__",
                title: "__NAME__",
                summary: "__NAME__ DNS (TODO: one line on what the provider is).",
                apiDocumentation: "https://__KEY__.example/api-docs (TODO: the API reference)",
                fields: [
                    ConfigField("apiTokenSecretRef", .secretReference, required: true, "The API token, from a Secret in the challenge's namespace."),
                    ConfigField("endpoint", .url, default: __NAME__Configuration.defaultEndpoint, issuerRestricted: true, "The API base URL (a private endpoint, or a local model of the API in tests)."),
                ],
                authModes: [AuthMode("API token", "`apiTokenSecretRef`, sent as a bearer token.")],
                officialHosts: OfficialHosts(["api.__KEY__.example"]),
                recordModel: .recordPerValue,
                example: """
                    apiTokenSecretRef: {name: __KEY__-credentials, key: token}
                    """
            )
        }

        """#

    static let configuration = #"""
        import DNS01

        /// The `__KEY__` block, as a value.
        public struct __NAME__Configuration: Sendable, Hashable {
            /// TODO: the provider's real API base URL (and its host in the descriptor's officialHosts).
            public static let defaultEndpoint = "https://api.__KEY__.example/v1"

            public var apiTokenSecretRef: SecretReference
            public var endpoint: String

            /// Reads the block field by field: every error names its field path, unknown fields
            /// are rejected.
            static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> __NAME__Configuration {
                var reader = try ConfigReader(block, at: path)
                let token = try reader.secretReference("apiTokenSecretRef")
                var endpoint = defaultEndpoint
                if let text = try reader.optionalString("endpoint") {
                    try source.checkEndpoint(text, at: path.appending("endpoint"), official: __NAME__Plugin.descriptor.officialHosts)
                    guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
                        throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be an http:// or https:// URL, got \"\(text)\"")
                    }
                    endpoint = text
                }
                try reader.finish()
                return __NAME__Configuration(apiTokenSecretRef: token, endpoint: endpoint)
            }
        }

        """#

    static let dnsProvider = #"""
        import DNS01

        /// One challenge's view of __NAME__: the provider contract on top of the API client.
        /// present adds one value and keeps the others; cleanUp removes only its own; both are
        /// idempotent. The contract suite (Tests/TestSupport/Contract) checks exactly this.
        struct __NAME__DNSProvider: DNSProvider {
            let client: __NAME__Client

            func present(_ challenge: Challenge) async throws {
                let values = try await client.txtValues(at: challenge.resolvedFQDN)
                guard !values.contains(challenge.key) else { return }
                try await client.addTXT(challenge.key, at: challenge.resolvedFQDN)
            }

            func cleanUp(_ challenge: Challenge) async throws {
                let values = try await client.txtValues(at: challenge.resolvedFQDN)
                guard values.contains(challenge.key) else { return }
                try await client.removeTXT(challenge.key, at: challenge.resolvedFQDN)
            }

            func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
                try await client.txtValues(at: fqdn)
            }
        }

        """#

    static let client = #"""
        import DNS01
        import ProviderKit

        /// The __NAME__ API, as much of it as DNS-01 needs. Build each request as an `APIRequest`
        /// (sign it in `Signing/` if the API wants signatures), send it through `transport` with
        /// `retryPolicy` (throttling and 5xx only), find the zone with ProviderKit's `ZoneFinder`,
        /// and turn failures into `DNS01Error`s whose message says what to fix and never holds a
        /// secret or a Swift type name.
        struct __NAME__Client: Sendable {
            let endpoint: String
            let token: SecretValue
            let transport: any HTTPTransport
            let retryPolicy: RetryPolicy

            /// Adds `value` to the TXT records at `fqdn`, leaving the other values alone.
            func addTXT(_ value: String, at fqdn: DomainName) async throws {
                throw notWrittenYet("addTXT")
            }

            /// Removes the one TXT record at `fqdn` whose value is `value`.
            func removeTXT(_ value: String, at fqdn: DomainName) async throws {
                throw notWrittenYet("removeTXT")
            }

            /// Every TXT value at `fqdn`, as the API reports them (character-strings joined).
            func txtValues(at fqdn: DomainName) async throws -> [String] {
                throw notWrittenYet("txtValues")
            }

            private func notWrittenYet(_ function: String) -> DNS01Error {
                DNS01Error(.providerUnavailable, "the __KEY__ provider is a scaffold: __NAME__Client.\(function) in Sources/Providers/__NAME__/Client/__NAME__Client.swift is not written yet")
            }
        }

        """#

    static let tests = #"""
        import DNS01
        import Foundation
        import ProviderKit
        import Testing
        import TestSupport
        import __NAME__Provider

        @Suite("__KEY__ provider", .serialized)
        struct __NAME__ProviderTests {
            static let namespace = "cert-manager"
            static let emulatorScript = "__KEY___emulator.py"

            func decode(_ block: ConfigValue, source: ConfigSource = .operatorConfig) throws(DNS01Error) -> __NAME__Configuration {
                try __NAME__Plugin().decodeConfiguration(block, at: ConfigPath.root.appending("__KEY__"), source: source)
            }

            @Test("the config block decodes, a mistake names its field, an Issuer cannot redirect the endpoint")
            func configuration() throws {
                let configuration = try decode(["apiTokenSecretRef": ["name": "creds", "key": "token"]])
                #expect(configuration.endpoint == __NAME__Configuration.defaultEndpoint)
                #expect(throws: DNS01Error(.invalidConfiguration, "__KEY__.apiTokenSecretRef is required")) { try decode([:]) }
                let redirected: ConfigValue = ["apiTokenSecretRef": ["name": "creds", "key": "token"], "endpoint": "http://127.0.0.1:9"]
                #expect(throws: DNS01Error.self) { try decode(redirected, source: .issuerConfig()) }
                #expect(throws: Never.self) { try decode(redirected) }
            }

            /// The provider contract against a model of the __NAME__ API started on 127.0.0.1:
            /// write `Tests/Peers/__KEY___emulator.py` (checks authentication as the service does,
            /// keeps real state, has the `/__admin` API of the other emulators; prove it with the
            /// provider's official SDK), then `__NAME__Client`.
            @Test(arguments: ProviderContract.allCases)
            func contract(_ contract: ProviderContract) async throws {
                guard FileManager.default.fileExists(atPath: "\(repositoryRoot)/Tests/Peers/\(Self.emulatorScript)") else {
                    throw ProviderContract.Violation("the __KEY__ provider is a scaffold: write Tests/Peers/\(Self.emulatorScript) (a model of the __NAME__ API, see docs/providers.md), then __NAME__Client")
                }
                let emulator = try await EmulatorPeer(Self.emulatorScript)
                var registry = ProviderRegistry()
                registry.register(__NAME__Plugin(retryPolicy: RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(50))))
                let secrets = StaticSecretSource([
                    .init(namespace: Self.namespace, name: "creds"): ["token": SecretValue("__KEY__-test-token"), "wrong": SecretValue("__KEY__-wrong-token")],
                ])
                let subject = ProviderContractSubject(
                    solver: "__KEY__",
                    registry: registry,
                    config: ["apiTokenSecretRef": ["name": "creds", "key": "token"], "endpoint": .string(emulator.baseURL)],
                    wrongCredentialsConfig: ["apiTokenSecretRef": ["name": "creds", "key": "wrong"], "endpoint": .string(emulator.baseURL)],
                    wrongCredentialsHints: ["token"],
                    secrets: secrets,
                    secretStrings: ["__KEY__-test-token", "__KEY__-wrong-token"],
                    namespace: Self.namespace,
                    zone: try DomainName("example.com"),
                    apiCallCount: { try await emulator.apiCallCount() },
                    injectFaults: { try await emulator.injectFaults($0) }
                )
                try await contract.verifyOrSkip(subject)
            }
        }

        """#
}
