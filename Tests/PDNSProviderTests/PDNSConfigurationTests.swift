import ConfigLoading
import DNS01
import Foundation
import PDNSProvider
import Testing

@Suite("pdns config")
struct PDNSConfigurationTests {
    let path = ConfigPath.root.appending("pdns")

    func decode(_ block: ConfigValue, source: ConfigSource = .operatorConfig) throws(DNS01Error) -> PDNSConfiguration {
        try PDNSConfiguration.decode(block, at: path, source: source)
    }

    func message(_ block: ConfigValue, source: ConfigSource = .operatorConfig) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    /// The `config:` block of zachomedia/cert-manager-webhook-pdns's README, verbatim.
    static let readme = """
        # Base URL of the PowerDNS server.
        host: https://ns1.example.ca

        # Reference to the Kubernetes secret containing the API key.
        apiKeySecretRef:
          name: pdns-api-key
          key: key

        ###
        ### OPTIONAL
        ###

        # Server ID for the PowerDNS API.
        # When unset, defaults to "localhost".
        #
        # This should generally be left unset, and used
        # only if you have a proxy in front of the PowerDNS API
        # that requires a different value.
        serverID: localhost

        # Request headers when connecting to the PowerDNS API.
        # The following headers are set by default, but can be overriden:
        #   X-API-Key
        #   Content-Type
        headers:
          key: value

        # CA bundle for TLS connections
        # When unset, the default system certificate store is used.
        caBundle: BASE64_ENCODED_CA_BUNDLE

        # TTL for DNS records
        # (in seconds)
        ttl: 120

        # Timeout for requests to the PDNS api server
        # (in seconds)
        timeout: 30
        """

    @Test("reads the README config (with its placeholder CA bundle replaced by a real one)")
    func readmeConfig() throws {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        let text = Self.readme.replacingOccurrences(of: "BASE64_ENCODED_CA_BUNDLE", with: Data(pem.utf8).base64EncodedString())
        let configuration = try decode(try ConfigDocument.parse(text, source: "README"))
        #expect(configuration.host == "https://ns1.example.ca")
        #expect(configuration.apiKeyRef == SecretReference(name: "pdns-api-key", key: "key"))
        #expect(configuration.serverID == "localhost")
        #expect(configuration.headers == [.init(name: "key", value: "value")])
        #expect(configuration.caBundle == pem)
        #expect(configuration.ttl == 120)
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.apiKeyHeaderName == "X-API-Key" && configuration.apiKeyScheme.isEmpty)
        #expect(configuration.allowedZones.isEmpty)
    }

    @Test("the README's placeholder CA bundle is refused, naming the field")
    func readmePlaceholder() throws {
        #expect(message(try ConfigDocument.parse(Self.readme, source: "README")) == "pdns.caBundle must hold PEM certificates (-----BEGIN CERTIFICATE-----), or their base64")
    }

    @Test("reads apiKeyScheme, apiKeyHeaderName and allowed-zones as the webhook's tests write them; 0 means the default")
    func moreFields() throws {
        let configuration = try decode([
            "host": "http://127.0.0.1:8080/", "apiKeySecretRef": ["name": "pdns-api-key", "key": "key"],
            "apiKeyScheme": "Bearer", "apiKeyHeaderName": "Authorization", "ttl": 0, "timeout": 0,
            "allowed-zones": ["example.ca.", "Example.COM"],
        ])
        #expect(configuration.host == "http://127.0.0.1:8080")
        #expect(configuration.apiKeyScheme == "Bearer" && configuration.apiKeyHeaderName == "Authorization")
        #expect(configuration.ttl == 120 && configuration.timeout == .seconds(30))
        #expect(configuration.allowedZones.map(\.name) == ["example.ca", "example.com"])
    }

    @Test(
        "each mistake names its field",
        arguments: [
            (["apiKeySecretRef": ["name": "p", "key": "k"]], "pdns.host is required"),
            (["host": "ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"]], "pdns.host must be the http:// or https:// base URL of the PowerDNS API without /api/v1, such as https://ns1.example.com:8081, got \"ns1.example.com\""),
            (["host": "https://ns1.example.com"], "pdns.apiKeySecretRef is required"),
            (["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "apiKeyHeaderName": "X API Key"], "pdns.apiKeyHeaderName must be an HTTP header name such as X-API-Key or Authorization, got \"X API Key\""),
            (["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "serverID": "a/b"], "pdns.serverID must be a PowerDNS server id such as localhost, got \"a/b\""),
            (["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "headers": ["X-A": 1]], "pdns.headers.X-A must be a single-line string"),
            (["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "timeout": 600], "pdns.timeout must be at most 300 seconds"),
            (
                ["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "allowed-zones": ["bad zone"]],
                "pdns.allowed-zones[0] is not a valid DNS name: domain name \"bad zone\" contains the character \" \", which is not allowed in a DNS name"
            ),
            (["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"], "allowedZones": ["example.com"]], "pdns has an unknown field \"allowedZones\" (did you mean \"allowed-zones\"?)"),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, expected: String) {
        #expect(message(block) == expected)
    }

    @Test("host is the operator's: an Issuer may name it only under issuerPolicy.allowedEndpoints")
    func issuerPolicy() throws {
        let block: ConfigValue = ["host": "https://ns1.example.com:8081", "apiKeySecretRef": ["name": "p", "key": "k"]]
        #expect(
            message(block, source: .issuerConfig())
                == "pdns.host \"https://ns1.example.com:8081/api/v1/\" is not allowed in an Issuer's config: this provider has no official API host, and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
        #expect(message(block) == nil)
        let allowed = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("https://ns1.example.com:8081/api/v1/"))])
        #expect(message(block, source: .issuerConfig(policy: allowed)) == nil)
        let elsewhere = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("https://ns2.example.com:8081/"))])
        #expect(message(block, source: .issuerConfig(policy: elsewhere))?.contains("is not allowed in an Issuer's config") == true)
        // A malformed host from an Issuer is refused by the policy too, not parsed further.
        #expect(message(["host": "ftp://x", "apiKeySecretRef": ["name": "p", "key": "k"]], source: .issuerConfig())?.contains("is not allowed in an Issuer's config") == true)
    }

    @Test("the descriptor's example decodes, and every documented field is read")
    func descriptor() throws {
        let descriptor = PDNSPlugin.descriptor
        _ = try decode(try ConfigDocument.parse(descriptor.example, source: "example"))
        #expect(descriptor.officialHosts.patterns.isEmpty)
        for field in descriptor.fields.map(\.name) where !["host", "apiKeySecretRef"].contains(field) {
            var object: [String: ConfigValue] = ["host": "https://ns1.example.com", "apiKeySecretRef": ["name": "p", "key": "k"]]
            object.updateValue(.null, forKey: field)
            #expect(message(.object(object)) == nil, "\(field)")
        }
    }
}
