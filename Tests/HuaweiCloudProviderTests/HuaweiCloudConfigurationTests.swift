import ConfigLoading
import DNS01
import HuaweiCloudProvider
import Testing

@Suite("huaweicloud config")
struct HuaweiCloudConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 2).appending("huaweicloud")

    func decode(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig, policy: IssuerPolicy = .denyAll) throws(DNS01Error) -> HuaweiCloudConfiguration {
        try HuaweiCloudConfiguration.decode(block, at: path, source: ConfigSource(origin: origin, policy: policy))
    }

    func message(_ block: ConfigValue, origin: ConfigOrigin = .issuerConfig) -> String? {
        do {
            _ = try decode(block, origin: origin)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts the vendor webhook's ClusterIssuer config verbatim (HuaweiCloudDeveloper/cert-manager-webhook-huawei README)")
    func vendorConfig() throws {
        let block = try ConfigDocument.parse(
            """
            accessKeyRef:
              key: accessKey
              name: huaweicloud-secret
            regionId: ap-southeast-1  # Your region
            secretKeyRef:
              key: secretKey
              name: huaweicloud-secret
            """, source: "issuer.yaml")
        let configuration = try decode(block)
        #expect(configuration.accessKey == .secret(SecretReference(name: "huaweicloud-secret", key: "accessKey")))
        #expect(configuration.secretKey == .secret(SecretReference(name: "huaweicloud-secret", key: "secretKey")))
        #expect(configuration.regionId == "ap-southeast-1")
        #expect(configuration.endpoint.description == "https://dns.ap-southeast-1.myhuaweicloud.com")
        #expect(configuration.ttl == 300 && configuration.zoneType == "public" && configuration.zone == nil)
    }

    @Test("accepts rahadiangg's field names as aliases")
    func rahadiangConfig() throws {
        let configuration = try decode([
            "region": "cn-north-4", "projectId": "0123456789abcdef0123456789abcdef", "zoneName": "example.com",
            "akSecretRef": ["name": "huawei-creds", "key": "ak"], "skSecretRef": ["name": "huawei-creds", "key": "sk"],
        ])
        #expect(configuration.regionId == "cn-north-4")
        #expect(configuration.endpoint.description == "https://dns.cn-north-4.myhuaweicloud.com")
        #expect(configuration.accessKey == .secret(SecretReference(name: "huawei-creds", key: "ak")))
        #expect(configuration.secretKey == .secret(SecretReference(name: "huawei-creds", key: "sk")))
        #expect(configuration.projectId == "0123456789abcdef0123456789abcdef")
        #expect(configuration.zone == .name(try DomainName("example.com")))
    }

    @Test("accepts innoai's inline appKey and appSecret, and zoneId")
    func innoaiConfig() throws {
        let configuration = try decode(["appKey": "HPUAEXAMPLE", "appSecret": "inline-secret", "region": "cn-south-1", "zoneId": "ff8080827f0e3f6a017f2e7e1a3b2c4d"])
        #expect(configuration.accessKey == .inline("HPUAEXAMPLE"))
        #expect(configuration.secretKey == .inline(SecretValue("inline-secret")))
        #expect(configuration.zone == .id("ff8080827f0e3f6a017f2e7e1a3b2c4d"))
        #expect("\(configuration)".contains("inline-secret") == false, "an inline secret prints redacted")
    }

    @Test("without a region the endpoint is ap-southeast-1's; every optional field is read")
    func defaultsAndOptionalFields() throws {
        #expect(try decode([:]).endpoint.description == "https://dns.ap-southeast-1.myhuaweicloud.com")
        let configuration = try decode([
            "accessKeyRef": ["name": "a", "key": "ak"], "secretKeyRef": ["name": "a", "key": "sk"], "securityTokenRef": ["name": "a", "key": "token"],
            "zoneType": "private", "ttl": 60, "endpoint": "dns.cn-east-3.myhuaweicloud.com",
        ])
        #expect(configuration.securityTokenRef?.key == "token")
        #expect(configuration.zoneType == "private" && configuration.ttl == 60)
        #expect(configuration.endpoint.description == "https://dns.cn-east-3.myhuaweicloud.com")
    }

    @Test(
        "names the field path of each mistake",
        arguments: [
            (["accessKeyRef": ["name": "a", "key": "ak"]] as ConfigValue, "providers[2].huaweicloud.secretKeyRef is required with the access key"),
            (["skSecretRef": ["name": "a", "key": "sk"]] as ConfigValue, "providers[2].huaweicloud.accessKeyRef is required with the secret key"),
            (["securityTokenRef": ["name": "a", "key": "t"]] as ConfigValue, "providers[2].huaweicloud.securityTokenRef needs accessKeyRef and secretKeyRef"),
            (
                ["accessKeyRef": ["name": "a", "key": "ak"], "akSecretRef": ["name": "a", "key": "ak"]] as ConfigValue,
                "providers[2].huaweicloud.akSecretRef cannot be set with accessKeyRef: they are two names for one field"
            ),
            (["regionId": "cn-north-4", "region": "cn-north-4"] as ConfigValue, "providers[2].huaweicloud.region cannot be set with regionId"),
            (["regionId": "CN North 4"] as ConfigValue, "providers[2].huaweicloud.regionId must be a region such as cn-north-4"),
            (["appKey": "HPUA X"] as ConfigValue, "providers[2].huaweicloud.appKey must be an access key ID"),
            (["appSecret": 5] as ConfigValue, "providers[2].huaweicloud.appSecret must be a string, got a number"),
            (["zoneId": "z", "zoneName": "example.com"] as ConfigValue, "providers[2].huaweicloud.zoneName cannot be set with zoneId"),
            (["zoneName": "exa mple.com"] as ConfigValue, "providers[2].huaweicloud.zoneName must be a DNS zone name"),
            (["zoneId": "../x"] as ConfigValue, "providers[2].huaweicloud.zoneId must be a zone ID"),
            (["zoneType": "vpc"] as ConfigValue, "providers[2].huaweicloud.zoneType must be public or private, got \"vpc\""),
            (["projectId": "p/1"] as ConfigValue, "providers[2].huaweicloud.projectId must be a project ID"),
            (["ttl": 0] as ConfigValue, "providers[2].huaweicloud.ttl must be between 1 and 2147483647, got 0"),
            (["secretkeyRef": ["name": "a", "key": "k"]] as ConfigValue, "providers[2].huaweicloud has an unknown field \"secretkeyRef\" (did you mean \"secretKeyRef\"?)"),
            (["endpoint": "https://dns.cn-north-4.myhuaweicloud.com/v2"] as ConfigValue, "providers[2].huaweicloud.endpoint must be a host name or an http(s)://host[:port] URL"),
        ])
    func configErrors(block: ConfigValue, expected: String) {
        let text = message(block, origin: .operatorConfig)
        #expect(text?.hasPrefix(expected) == true, "got: \(text ?? "no error")")
    }

    @Test("an Issuer may only name Huawei Cloud DNS's regional API hosts, by endpoint or by region; the operator may name any")
    func issuerEndpointPolicy() throws {
        // dns.obs.myhuaweicloud.com would be an object storage bucket named "dns".
        for endpoint in [
            "http://127.0.0.1:8080", "https://evil.example.com", "http://dns.cn-north-4.myhuaweicloud.com", "https://dns.obs.myhuaweicloud.com",
            "https://dns.cn-north-4.myhuaweicloud.com.evil.example", "https://dns.cn-north-4.myhuaweicloud.com:8443",
        ] {
            do {
                _ = try decode(["endpoint": .string(endpoint)], origin: .issuerConfig)
                Issue.record("\(endpoint) was accepted from an Issuer")
            } catch {
                #expect(error.code == .forbiddenByPolicy)
                #expect(error.message.contains("providers[2].huaweicloud.endpoint \"") && error.message.contains("issuerPolicy.allowedEndpoints"))
            }
            #expect(throws: Never.self) { try decode(["endpoint": .string(endpoint)], origin: .operatorConfig) }
        }
        // A region decides the host, so one that is not a region name is refused from an Issuer
        // as the host would be.
        for field in ["regionId", "region"] {
            let error = #expect(throws: DNS01Error.self) { try decode([field: "obs-1"], origin: .issuerConfig) }
            #expect(error?.message.hasPrefix("providers[2].huaweicloud.\(field) \"https://dns.obs-1.myhuaweicloud.com/\" is not allowed in an Issuer's config") == true, "\(error?.message ?? "")")
            #expect(throws: Never.self) { try decode([field: "obs-1"], origin: .operatorConfig) }
        }
        for region in ["cn-north-4", "ap-southeast-1", "af-south-1", "my-kualalumpur-1"] {
            #expect(throws: Never.self) { try decode(["regionId": .string(region)], origin: .issuerConfig) }
            #expect(throws: Never.self) { try decode(["endpoint": .string("https://dns.\(region).myhuaweicloud.com")], origin: .issuerConfig) }
        }
    }

    @Test("the operator's issuerPolicy can let Issuers name another endpoint")
    func issuerPolicyWidens() throws {
        let policy = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("http://127.0.0.1:8080/"))])
        #expect(throws: Never.self) { try decode(["endpoint": "http://127.0.0.1:8080"], origin: .issuerConfig, policy: policy) }
    }

    @Test("the descriptor's example decodes, and every field it lists is one the decoder reads")
    func descriptorExample() throws {
        let descriptor = HuaweiCloudPlugin.descriptor
        let configuration = try HuaweiCloudConfiguration.decode(try ConfigDocument.parse(descriptor.example, source: "example"), at: .root, source: .issuerConfig())
        #expect(configuration.secretKey != nil)
        for field in descriptor.fields {
            let text = message(.object([field.name: .object([:])]), origin: .operatorConfig) ?? ""
            #expect(!text.contains("unknown field"), "\(field.name): \(text)")
        }
        #expect(descriptor.recordModel == .readModifyWriteSet)
        #expect(descriptor.officialHosts.contains("https://dns.cn-north-4.myhuaweicloud.com/"))
        #expect(!descriptor.officialHosts.contains("https://dns.obs.myhuaweicloud.com/"))
    }
}
