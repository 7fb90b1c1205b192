import CloudDNSProvider
import ConfigLoading
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("cloudDNS config")
struct CloudDNSConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 0).appending("cloudDNS")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> CloudDNSConfiguration {
        try CloudDNSConfiguration.decode(block, at: path, source: source)
    }

    @Test("accepts cert-manager's documented service-account block unchanged, on Google's endpoints")
    func documentedKeyBlock() throws {
        let block = try ConfigDocument.parse(
            """
            # The ID of the GCP project
            project: my-project
            # This is the secret used to access the service account
            serviceAccountSecretRef:
              name: clouddns-dns01-solver-svc-acct
              key: key.json
            """, source: "cert-manager docs")
        let configuration = try decode(block)
        #expect(configuration.project == "my-project")
        #expect(configuration.serviceAccountSecretRef == SecretReference(name: "clouddns-dns01-solver-svc-acct", key: "key.json"))
        #expect(configuration.hostedZoneName == nil)
        #expect(configuration.endpoint.description == "https://dns.googleapis.com/dns/v1")
        #expect(configuration.tokenEndpoint == nil && configuration.stsEndpoint == nil && configuration.metadataEndpoint == nil)
    }

    @Test("accepts cert-manager's documented ambient (Workload Identity) block and hostedZoneName")
    func documentedAmbientBlock() throws {
        #expect(try decode(try ConfigDocument.parse("project: my-project", source: "cert-manager docs")).serviceAccountSecretRef == nil)
        let pinned = try decode(try ConfigDocument.parse("project: my-project\nhostedZoneName: example-com", source: "cert-manager API reference"))
        #expect(pinned.hostedZoneName == "example-com")
    }

    @Test("the descriptor's example decodes, and clouddns is an alias of cloudDNS")
    func descriptorExampleAndAlias() throws {
        _ = try decode(try ConfigDocument.parse(CloudDNSPlugin.descriptor.example, source: "example"))
        #expect(CloudDNSPlugin.descriptor.name == "cloudDNS")
        #expect(CloudDNSPlugin.descriptor.aliases == ["clouddns"])
        var registry = ProviderRegistry()
        registry.register(CloudDNSPlugin())
        for key in ["cloudDNS", "clouddns"] {
            let document = try ConfigDocument.parse("\(key):\n  project: my-project\n  serviceAccountSecretRef: {name: s, key: key.json}", source: "test")
            let table = try RoutingTable.decode(document, registry: registry, source: .issuerConfig())
            #expect(table.bindings.map(\.pluginName) == ["cloudDNS"], "\(key)")
        }
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            ([:] as ConfigValue, "providers[0].cloudDNS.project is required: the ID of the Google Cloud project"),
            (["project": ""] as ConfigValue, "providers[0].cloudDNS.project is required"),
            (["project": "My Project"] as ConfigValue, "providers[0].cloudDNS.project must be a Google Cloud project ID"),
            (["project": "p-1", "hostedZoneName": "example.com."] as ConfigValue, "providers[0].cloudDNS.hostedZoneName must be the name of a managed zone (such as example-com"),
            (["project": "p-1", "hostedZoneNme": "example-com"] as ConfigValue, "providers[0].cloudDNS has an unknown field \"hostedZoneNme\" (did you mean \"hostedZoneName\"?)"),
            (["project": "p-1", "hostedZoneID": "Z123"] as ConfigValue, "providers[0].cloudDNS has an unknown field \"hostedZoneID\""),
            (["project": "p-1", "serviceAccountSecretRef": ["name": "s"]] as ConfigValue, "providers[0].cloudDNS.serviceAccountSecretRef.key is required"),
            (["project": "p-1", "endpoint": "dns.googleapis.com"] as ConfigValue, "providers[0].cloudDNS.endpoint must be an http or https URL such as https://dns.googleapis.com/dns/v1"),
            (["project": 42] as ConfigValue, "providers[0].cloudDNS.project must be a string"),
        ])
    func mistakes(block: ConfigValue, expected: String) {
        let text: String?
        do {
            _ = try decode(block, source: .operatorConfig)
            text = nil
        } catch {
            text = error.message
        }
        #expect(text?.hasPrefix(expected) == true, "\(text ?? "no error")")
        #expect(text.map { !PlainErrorTextScan.looksLikeSwift($0) } ?? false)
    }
}

/// The house rule that no message names a Swift type or case.
enum PlainErrorTextScan {
    static func looksLikeSwift(_ text: String) -> Bool {
        ["Error(", "Optional(", "DNS01Error", "GoogleAPIError", "GoogleTokenError", "TransportError", "ServiceAccountKeyError"].contains { text.contains($0) }
    }
}
