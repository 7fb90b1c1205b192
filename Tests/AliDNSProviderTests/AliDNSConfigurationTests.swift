import AliDNSProvider
import DNS01
import Testing

@Suite("alidns config")
struct AliDNSConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 1).appending("alidns")

    func decode(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig) throws(DNS01Error) -> AliDNSConfiguration {
        try AliDNSConfiguration.decode(block, at: path, source: ConfigSource(origin: origin))
    }

    func message(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig) -> String? {
        do {
            _ = try decode(block, origin: origin)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts the widely used webhook's config unchanged, with TTL 600 and the regional endpoint")
    func widelyUsedWebhookConfig() throws {
        let configuration = try decode([
            "regionId": "cn-beijing",
            "accessTokenSecretRef": ["name": "alidns-secrets", "key": "access-token"],
            "secretKeySecretRef": ["name": "alidns-secrets", "key": "secret-key"],
        ])
        #expect(configuration.accessKeyIdRef == SecretReference(name: "alidns-secrets", key: "access-token"))
        #expect(configuration.accessKeySecretRef == SecretReference(name: "alidns-secrets", key: "secret-key"))
        #expect(configuration.ttl == 600)
        #expect(configuration.line == nil)
        #expect(configuration.endpoint.url("/") == "https://alidns.cn-beijing.aliyuncs.com/")
    }

    @Test(
        "chooses the endpoint from the region: mainland regional, international via Singapore, central without a region",
        arguments: [
            (nil, "https://alidns.aliyuncs.com/"),
            ("cn-hangzhou", "https://alidns.cn-hangzhou.aliyuncs.com/"),
            ("cn-shenzhen", "https://alidns.cn-shenzhen.aliyuncs.com/"),
            ("us-west-1", "https://alidns.ap-southeast-1.aliyuncs.com/"),
            ("eu-central-1", "https://alidns.ap-southeast-1.aliyuncs.com/"),
        ] as [(String?, String)])
    func endpointByRegion(region: String?, url: String) throws {
        let block: ConfigValue = region.map { ["regionId": .string($0)] } ?? [:]
        #expect(try decode(block).endpoint.url("/") == url)
    }

    @Test("reads every optional field")
    func everyField() throws {
        let configuration = try decode([
            "accessTokenSecretRef": ["name": "a", "key": "id"],
            "secretKeySecretRef": ["name": "a", "key": "secret"],
            "securityTokenSecretRef": ["name": "a", "key": "token"],
            "ttl": 60, "line": "oversea",
            "endpoint": "https://alidns.cn-shanghai.aliyuncs.com",
            "stsEndpoint": "sts-vpc.cn-shanghai.aliyuncs.com",
        ])
        #expect(configuration.securityTokenRef?.key == "token")
        #expect(configuration.ttl == 60)
        #expect(configuration.line == "oversea")
        #expect(configuration.endpoint.description == "https://alidns.cn-shanghai.aliyuncs.com")
        #expect(configuration.stsEndpoint?.url("/") == "https://sts-vpc.cn-shanghai.aliyuncs.com/")
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            (
                ["accessTokenSecretRef": ["name": "a", "key": "id"]] as ConfigValue,
                "providers[1].alidns.secretKeySecretRef is required with accessTokenSecretRef"
            ),
            (
                ["secretKeySecretRef": ["name": "a", "key": "s"]] as ConfigValue,
                "providers[1].alidns.accessTokenSecretRef is required with secretKeySecretRef"
            ),
            (
                ["securityTokenSecretRef": ["name": "a", "key": "t"]] as ConfigValue,
                "providers[1].alidns.securityTokenSecretRef needs accessTokenSecretRef and secretKeySecretRef"
            ),
            (
                ["accessTokenSecretRef": ["name": "a"], "secretKeySecretRef": ["name": "a", "key": "s"]] as ConfigValue,
                "providers[1].alidns.accessTokenSecretRef.key is required"
            ),
            (
                ["regionID": "cn-beijing"] as ConfigValue,
                "providers[1].alidns has an unknown field \"regionID\" (did you mean \"regionId\"?)"
            ),
            (
                ["regionId": "Beijing"] as ConfigValue,
                "providers[1].alidns.regionId must be a region ID such as cn-hangzhou"
            ),
            (["ttl": 0] as ConfigValue, "providers[1].alidns.ttl must be between 1 and 86400, got 0"),
            (["ttl": "600"] as ConfigValue, "providers[1].alidns.ttl must be a whole number, got a string"),
            (["line": "default line"] as ConfigValue, "providers[1].alidns.line must be a resolution line code"),
            (["endpoint": "https://alidns.aliyuncs.com/v1"] as ConfigValue, "providers[1].alidns.endpoint must be a host name or an http(s)://host[:port] URL"),
        ])
    func configErrors(block: ConfigValue, expected: String) {
        let text = message(block)
        #expect(text?.hasPrefix(expected) == true, "got: \(text ?? "no error")")
    }

    @Test(
        "an Issuer may not point the endpoint or STS away from Alibaba Cloud; the operator may",
        arguments: [
            "endpoint", "stsEndpoint",
        ])
    func issuerEndpointPolicy(field: String) throws {
        // A storage bucket's host is under aliyuncs.com too, and anyone can rent one.
        for endpoint in ["http://127.0.0.1:8080", "https://evil.example.com", "http://alidns.aliyuncs.com", "https://aliyuncs.com.evil.example", "https://bucket.oss-cn-hangzhou.aliyuncs.com", "https://alidns.oss-cn-hangzhou.aliyuncs.com"] {
            let block: ConfigValue = .object([field: .string(endpoint)])
            do {
                _ = try decode(block, origin: .issuerConfig)
                Issue.record("\(endpoint) was accepted from an Issuer")
            } catch {
                #expect(error.code == .forbiddenByPolicy)
                #expect(error.message.contains("providers[1].alidns.\(field) \"") && error.message.contains("is not allowed in an Issuer's config"))
                #expect(error.message.contains("issuerPolicy.allowedEndpoints"))
            }
            #expect(throws: Never.self) { try decode(block, origin: .operatorConfig) }
        }
        #expect(throws: Never.self) { try decode(.object([field: "https://alidns.cn-hangzhou.aliyuncs.com"]), origin: .issuerConfig) }
    }
}
