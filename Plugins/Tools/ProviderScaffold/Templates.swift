/// The files and lines a new provider starts from. `__NAME__` becomes the provider's name
/// (`DigitalOcean`), `__KEY__` its config key (`digitalocean`). The shape is the one every
/// provider here has (docs/providers.md): configuration, plugin entry, provider, API client.
enum Templates {
    static let target = #"""
        .target(
            name: "__NAME__Provider",
            dependencies: ["DNS01", "ProviderKit"],
            path: "Sources/Providers/__NAME__",
            swiftSettings: strict
        ),
        """#

    static let testTarget = #"""
        .testTarget(
            name: "__NAME__ProviderTests",
            dependencies: ["__NAME__Provider", "DNS01", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        """#

    static let configuration = #"""
        import DNS01

        /// The `__KEY__` block.
        ///
        /// ```yaml
        /// __KEY__:
        ///   apiTokenSecretRef: {name: __KEY__-credentials, key: token}
        ///   endpoint: http://127.0.0.1:8080        # optional override (tests, private endpoints)
        /// ```
        ///
        /// Name the fields as the provider's existing cert-manager webhook or lego provider
        /// does, so users migrating keep their config.
        public struct __NAME__Configuration: Sendable, Hashable {
            /// TODO: the provider's real API base URL.
            public static let defaultEndpoint = "https://api.__KEY__.example/v1"

            public var apiTokenSecretRef: SecretReference
            public var endpoint: String

            /// Reads the block field by field: every error names its field path, unknown fields
            /// are rejected. Pure: no I/O, no Secret reads.
            static func decode(_ block: ConfigValue, at path: ConfigPath) throws(DNS01Error) -> __NAME__Configuration {
                var reader = try ConfigReader(block, at: path)
                let token = try reader.secretReference("apiTokenSecretRef")
                let endpoint = try reader.optionalString("endpoint") ?? defaultEndpoint
                guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
                    throw DNS01Error.invalidConfiguration(at: path.appending("endpoint"), "must be an http:// or https:// URL, got \"\(endpoint)\"")
                }
                try reader.finish()
                return __NAME__Configuration(apiTokenSecretRef: token, endpoint: endpoint)
            }
        }

        """#

    static let plugin = #"""
        import DNS01
        import ProviderKit

        /// The `__KEY__` provider plugin: its config key, its config decoder and its factory.
        /// Registered by one line in `Sources/BuiltinProviders/BuiltinProviders.swift`.
        public struct __NAME__ProviderPlugin: ProviderPlugin {
            public let name = "__KEY__"

            public init() {}

            public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin) throws(DNS01Error) -> __NAME__Configuration {
                try decodeConfiguration(block, at: path, origin: origin, policy: .denyAll)
            }

            /// An Issuer (any namespace) may point `endpoint` only where the operator's
            /// `issuerPolicy.allowedEndpoints` allows; otherwise a tenant could make the webhook's
            /// pod send requests anywhere.
            public func decodeConfiguration(_ block: ConfigValue, at path: ConfigPath, origin: ConfigOrigin, policy: IssuerPolicy) throws(DNS01Error) -> __NAME__Configuration {
                let configuration = try __NAME__Configuration.decode(block, at: path)
                if origin == .issuerConfig, configuration.endpoint != __NAME__Configuration.defaultEndpoint,
                   !policy.allows(endpoint: configuration.endpoint) {
                    throw DNS01Error(.forbiddenByPolicy, "\(path.appending("endpoint")) is not in the operator's issuerPolicy.allowedEndpoints")
                }
                return configuration
            }

            /// Resolves credentials for one challenge. Secrets come from the challenge's namespace.
            public func makeProvider(for configuration: __NAME__Configuration, context: ProviderContext) async throws -> any DNSProvider {
                let token = try await context.secret(configuration.apiTokenSecretRef)
                let client = __NAME__Client(endpoint: configuration.endpoint, token: token, transport: AsyncHTTPClientTransport())
                return __NAME__Provider(client: client)
            }
        }

        """#

    static let provider = #"""
        import DNS01

        /// One challenge's view of __NAME__: the provider contract (`DNSProvider`) on top of the
        /// API client. present adds one value and keeps the others; cleanUp removes only its own;
        /// both are idempotent. `dns01-webhook check` verifies exactly this.
        struct __NAME__Provider: DNSProvider {
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
        /// (sign it here if the API wants signatures), send it through `transport` so tests can
        /// put a model of the API in its place, and turn failures into `DNS01Error`s whose
        /// message says what to fix and never holds a secret.
        struct __NAME__Client: Sendable {
            let endpoint: String
            let token: SecretValue
            let transport: any HTTPTransport

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
                DNS01Error(.providerUnavailable, "the __KEY__ provider is a scaffold: __NAME__Client.\(function) in Sources/Providers/__NAME__/__NAME__Client.swift is not written yet")
            }
        }

        """#

    static let tests = #"""
        import DNS01
        import Logging
        import Testing
        import __NAME__Provider

        @Suite("__KEY__ provider")
        struct __NAME__ProviderTests {
            static let namespace = "cert-manager"

            func decode(_ block: ConfigValue) throws(DNS01Error) -> __NAME__Configuration {
                try __NAME__ProviderPlugin().decodeConfiguration(block, at: ConfigPath.root.appending("__KEY__"), origin: .operatorConfig)
            }

            @Test("the config block decodes, and a mistake names its field")
            func configuration() throws {
                let configuration = try decode(["apiTokenSecretRef": ["name": "creds", "key": "token"]])
                #expect(configuration.endpoint == __NAME__Configuration.defaultEndpoint)
                #expect(throws: DNS01Error(.invalidConfiguration, "__KEY__.apiTokenSecretRef is required")) { try decode([:]) }
            }

            /// The provider contract, as `dns01-webhook check` runs it. It fails until
            /// __NAME__Client is written: then point `endpoint` at a model of the __NAME__ API that
            /// this test starts on 127.0.0.1 (see Tests/Peers for the AliDNS emulator and moto).
            @Test("present two keys, read both back, clean up one, the other stays (fails until __NAME__Client is written)")
            func contract() async throws {
                let secrets = StaticSecretSource([.init(namespace: Self.namespace, name: "creds"): ["token": SecretValue("test-token")]])
                let context = ProviderContext(
                    namespace: Self.namespace, secrets: secrets, allowAmbientCredentials: false,
                    origin: .operatorConfig, logger: Logger(label: "test"), environment: [:]
                )
                let plugin = __NAME__ProviderPlugin()
                let provider = try await plugin.makeProvider(for: decode(["apiTokenSecretRef": ["name": "creds", "key": "token"]]), context: context)
                let domain = try DomainName("www.example.com")
                let fqdn = try Challenge.recordName(for: domain)
                func challenge(_ action: Challenge.Action, _ key: String) -> Challenge {
                    Challenge(action: action, dnsName: domain, resolvedFQDN: fqdn, key: key, resourceNamespace: Self.namespace)
                }

                try await provider.present(challenge(.present, "key-A"))
                try await provider.present(challenge(.present, "key-B"))
                try await provider.present(challenge(.present, "key-A"))
                #expect(Set(try await provider.txtValues(at: fqdn, zone: nil)).isSuperset(of: ["key-A", "key-B"]))
                try await provider.cleanUp(challenge(.cleanUp, "key-B"))
                try await provider.cleanUp(challenge(.cleanUp, "key-B"))
                let left = try await provider.txtValues(at: fqdn, zone: nil)
                #expect(left.contains("key-A") && !left.contains("key-B"))
                try await provider.cleanUp(challenge(.cleanUp, "key-A"))
            }
        }

        """#
}
