import ConfigLoading
import DNS01
import DNSPodProvider
import Testing

@Suite("dnspod config")
struct DNSPodConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 1).appending("dnspod")

    func decode(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig, policy: IssuerPolicy = .denyAll) throws(DNS01Error) -> DNSPodConfiguration {
        try DNSPodConfiguration.decode(block, at: path, source: ConfigSource(origin: origin, policy: policy))
    }

    func message(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig) -> String? {
        do {
            _ = try decode(block, origin: origin)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts imroc/cert-manager-webhook-dnspod's ClusterIssuer config verbatim, with the default line and the official endpoint")
    func imrocConfig() throws {
        // The config block of the webhook chart's ClusterIssuer (Secret keys secret-id and secret-key).
        let block = try ConfigDocument.parse(
            """
            secretIdRef:
              name: cert-manager-webhook-dnspod-secret
              key: secret-id
            secretKeyRef:
              name: cert-manager-webhook-dnspod-secret
              key: secret-key
            ttl: 600
            recordLine: ""
            """, source: "issuer.yaml")
        let configuration = try decode(block)
        #expect(configuration.secretId == .secret(SecretReference(name: "cert-manager-webhook-dnspod-secret", key: "secret-id")))
        #expect(configuration.secretKeyRef == SecretReference(name: "cert-manager-webhook-dnspod-secret", key: "secret-key"))
        #expect(configuration.ttl == 600)
        #expect(configuration.recordLine == nil)
        #expect(configuration.endpoint.url("/") == "https://dnspod.tencentcloudapi.com/")
        #expect(configuration.stsEndpoint == nil)
    }

    @Test("accepts the inline secretId of that webhook's versions up to 1.4")
    func inlineSecretId() throws {
        let configuration = try decode(["secretId": "AKIDxxxxxxxxxxxxxxxx", "secretKeyRef": ["name": "dnspod-secret", "key": "secret-key"], "recordLine": "电信"])
        #expect(configuration.secretId == .inline("AKIDxxxxxxxxxxxxxxxx"))
        #expect(configuration.recordLine == "电信")
        #expect(configuration.ttl == 600)
    }

    @Test("reads every optional field")
    func everyField() throws {
        let configuration = try decode([
            "secretIdRef": ["name": "a", "key": "id"],
            "secretKeyRef": ["name": "a", "key": "key"],
            "sessionTokenRef": ["name": "a", "key": "token"],
            "ttl": 120, "recordLine": "境外", "region": "ap-guangzhou",
            "endpoint": "https://dnspod.intl.tencentcloudapi.com",
            "stsEndpoint": "sts.ap-guangzhou.tencentcloudapi.com",
        ])
        #expect(configuration.sessionTokenRef?.key == "token")
        #expect(configuration.ttl == 120)
        #expect(configuration.recordLine == "境外")
        #expect(configuration.region == "ap-guangzhou")
        #expect(configuration.endpoint.description == "https://dnspod.intl.tencentcloudapi.com")
        #expect(configuration.stsEndpoint?.url("/") == "https://sts.ap-guangzhou.tencentcloudapi.com/")
    }

    @Test("an empty block is valid (ambient credentials, decided per challenge)")
    func emptyBlock() throws {
        let configuration = try decode([:])
        #expect(configuration.secretId == nil && configuration.secretKeyRef == nil)
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            (["secretIdRef": ["name": "a", "key": "id"]] as ConfigValue, "providers[1].dnspod.secretKeyRef is required with secretIdRef"),
            (["secretId": "AKID1"] as ConfigValue, "providers[1].dnspod.secretKeyRef is required with secretId"),
            (["secretKeyRef": ["name": "a", "key": "k"]] as ConfigValue, "providers[1].dnspod.secretIdRef is required with secretKeyRef"),
            (
                ["secretIdRef": ["name": "a", "key": "id"], "secretId": "AKID1", "secretKeyRef": ["name": "a", "key": "k"]] as ConfigValue,
                "providers[1].dnspod.secretId cannot be set with secretIdRef"
            ),
            (["secretId": "AKID 1", "secretKeyRef": ["name": "a", "key": "k"]] as ConfigValue, "providers[1].dnspod.secretId must be a SecretId"),
            (["sessionTokenRef": ["name": "a", "key": "t"]] as ConfigValue, "providers[1].dnspod.sessionTokenRef needs secretIdRef and secretKeyRef"),
            (["secretIdRef": ["name": "a"], "secretKeyRef": ["name": "a", "key": "k"]] as ConfigValue, "providers[1].dnspod.secretIdRef.key is required"),
            (["secretKeyref": ["name": "a", "key": "k"]] as ConfigValue, "providers[1].dnspod has an unknown field \"secretKeyref\" (did you mean \"secretKeyRef\"?)"),
            (["ttl": 0] as ConfigValue, "providers[1].dnspod.ttl must be between 1 and 604800, got 0"),
            (["ttl": "600"] as ConfigValue, "providers[1].dnspod.ttl must be a whole number, got a string"),
            (["recordLine": "a\"b"] as ConfigValue, "providers[1].dnspod.recordLine must be a line name"),
            (["region": "Guangzhou"] as ConfigValue, "providers[1].dnspod.region must be a region such as ap-guangzhou"),
            (["endpoint": "https://dnspod.tencentcloudapi.com/v3"] as ConfigValue, "providers[1].dnspod.endpoint must be a host name or an http(s)://host[:port] URL"),
        ])
    func configErrors(block: ConfigValue, expected: String) {
        let text = message(block, origin: .operatorConfig)
        #expect(text?.hasPrefix(expected) == true, "got: \(text ?? "no error")")
    }

    @Test("an Issuer may only name Tencent Cloud's API hosts for the endpoint and STS; the operator may name any", arguments: ["endpoint", "stsEndpoint"])
    func issuerEndpointPolicy(field: String) throws {
        // Hosts under the cloud's other domains can be rented by anyone (buckets, websites).
        for endpoint in [
            "http://127.0.0.1:8080", "https://evil.example.com", "http://dnspod.tencentcloudapi.com", "https://tencentcloudapi.com.evil.example",
            "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com", "https://dnspod.tencentcloudapi.com:8443", "https://a.b.tencentcloudapi.com",
        ] {
            let block: ConfigValue = .object([field: .string(endpoint)])
            do {
                _ = try decode(block, origin: .issuerConfig)
                Issue.record("\(endpoint) was accepted from an Issuer")
            } catch {
                #expect(error.code == .forbiddenByPolicy)
                #expect(error.message.contains("providers[1].dnspod.\(field) \"") && error.message.contains("is not allowed in an Issuer's config"))
                #expect(error.message.contains("issuerPolicy.allowedEndpoints"))
            }
            #expect(throws: Never.self) { try decode(block, origin: .operatorConfig) }
        }
        for official in ["https://dnspod.tencentcloudapi.com", "dnspod.intl.tencentcloudapi.com", "https://sts.tencentcloudapi.com/", "sts.ap-guangzhou.tencentcloudapi.com"] {
            #expect(throws: Never.self) { try decode(.object([field: .string(official)]), origin: .issuerConfig) }
        }
    }

    @Test("the operator's issuerPolicy can let Issuers name another endpoint")
    func issuerPolicyWidens() throws {
        let policy = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("http://127.0.0.1:8080/"))])
        #expect(throws: Never.self) { try decode(["endpoint": "http://127.0.0.1:8080"], origin: .issuerConfig, policy: policy) }
    }

    @Test("the descriptor's example decodes, and every field it lists is one the decoder reads")
    func descriptorExample() throws {
        let descriptor = DNSPodPlugin.descriptor
        let configuration = try DNSPodConfiguration.decode(try ConfigDocument.parse(descriptor.example, source: "example"), at: .root, source: .issuerConfig())
        #expect(configuration.secretKeyRef != nil)
        for field in descriptor.fields {
            let text = message(.object([field.name: .object([:])]), origin: .operatorConfig) ?? ""
            #expect(!text.contains("unknown field"), "\(field.name): \(text)")
        }
        #expect(descriptor.recordModel == .recordPerValue)
        #expect(descriptor.migration?.contains("dnspod:DeleteRecord") == true)
    }
}
