import ConfigLoading
import DNS01
import OVHProvider
import Testing

@Suite("ovh config")
struct OVHConfigurationTests {
    let path = ConfigPath.root.appending("ovh")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> OVHConfiguration {
        try OVHConfiguration.decode(block, at: path, source: source)
    }

    func yaml(_ text: String) throws -> ConfigValue { try ConfigDocument.parse(text, source: "test") }

    func message(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) -> String? {
        do {
            _ = try decode(block, source: source)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts aureq's config (its chart's issuer template, application method) unchanged")
    func aureqApplication() throws {
        let configuration = try decode(
            try yaml(
                """
                endpoint: "ovh-eu"
                authenticationMethod: "application"
                applicationKeyRef:
                  name: le-prod-ovh-credentials
                  key: "applicationKey"
                applicationSecretRef:
                  name: le-prod-ovh-credentials
                  key: "applicationSecret"
                applicationConsumerKeyRef:
                  name: le-prod-ovh-credentials
                  key: "applicationConsumerKey"
                """))
        #expect(configuration.endpoint.url == "https://eu.api.ovh.com/1.0")
        #expect(
            configuration.authentication
                == .application(
                    key: .secret(SecretReference(name: "le-prod-ovh-credentials", key: "applicationKey")),
                    secret: SecretReference(name: "le-prod-ovh-credentials", key: "applicationSecret"),
                    consumerKey: .secret(SecretReference(name: "le-prod-ovh-credentials", key: "applicationConsumerKey"))
                ))
        #expect(configuration.ttl == 60)
    }

    @Test("accepts aureq's oauth2 config, with the token URL of its endpoint")
    func aureqOAuth2() throws {
        let configuration = try decode(
            try yaml(
                """
                endpoint: "ovh-ca"
                authenticationMethod: "oauth2"
                oauth2ClientIDRef:
                  name: le-prod-ovh-credentials
                  key: "oauth2ClientID"
                oauth2ClientSecretRef:
                  name: le-prod-ovh-credentials
                  key: "oauth2ClientSecret"
                """))
        #expect(
            configuration.authentication
                == .oauth2(
                    clientID: SecretReference(name: "le-prod-ovh-credentials", key: "oauth2ClientID"),
                    clientSecret: SecretReference(name: "le-prod-ovh-credentials", key: "oauth2ClientSecret"),
                    tokenURL: "https://ca.ovh.com/auth/oauth2/token"
                ))
    }

    @Test("accepts baarde's README config unchanged (inline keys, no authenticationMethod), and aureq's older consumerKeyRef")
    func olderConfigs() throws {
        let baarde = try decode(
            try yaml(
                """
                endpoint: ovh-eu
                applicationKey: '<OVH_APPLICATION_KEY>'
                applicationSecretRef:
                  key: applicationSecret
                  name: ovh-credentials
                consumerKey: '<OVH_CONSUMER_KEY>'
                """))
        #expect(baarde.authentication == .application(key: .literal("<OVH_APPLICATION_KEY>"), secret: SecretReference(name: "ovh-credentials", key: "applicationSecret"), consumerKey: .literal("<OVH_CONSUMER_KEY>")))
        let older = try decode(["endpoint": "ovh-us", "applicationKeyRef": ["name": "o", "key": "ak"], "applicationSecretRef": ["name": "o", "key": "as"], "consumerKeyRef": ["name": "o", "key": "ck"]])
        #expect(older.endpoint.url == "https://api.us.ovhcloud.com/1.0")
        #expect(older.authentication == .application(key: .secret(SecretReference(name: "o", key: "ak")), secret: SecretReference(name: "o", key: "as"), consumerKey: .secret(SecretReference(name: "o", key: "ck"))))
    }

    @Test(
        "knows every endpoint name of the OVH SDKs",
        arguments: [
            ("ovh-eu", "https://eu.api.ovh.com/1.0"), ("ovh-ca", "https://ca.api.ovh.com/1.0"), ("ovh-us", "https://api.us.ovhcloud.com/1.0"),
            ("kimsufi-eu", "https://eu.api.kimsufi.com/1.0"), ("kimsufi-ca", "https://ca.api.kimsufi.com/1.0"),
            ("soyoustart-eu", "https://eu.api.soyoustart.com/1.0"), ("soyoustart-ca", "https://ca.api.soyoustart.com/1.0"),
            ("https://eu.api.ovh.com/1.0/", "https://eu.api.ovh.com/1.0"),
        ])
    func endpoints(name: String, url: String) throws {
        let configuration = try decode(["endpoint": .string(name), "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c"])
        #expect(configuration.endpoint.url == url)
    }

    @Test(
        "each mistake names its field",
        arguments: [
            (["applicationKey": "a"], "ovh.endpoint is required"),
            (["endpoint": "ovh-fr", "applicationKey": "a"], "ovh.endpoint must be ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu, soyoustart-ca or an http(s) URL of the API (with /1.0), got \"ovh-fr\""),
            (["endpoint": "ovh-eu", "authenticationMethod": "token"], "ovh.authenticationMethod must be application or oauth2, got \"token\""),
            (
                ["endpoint": "ovh-eu", "authenticationMethod": "application", "applicationSecretRef": ["name": "o", "key": "s"], "applicationConsumerKeyRef": ["name": "o", "key": "c"]],
                "ovh.applicationKeyRef is required: the OVH application key, from a Secret (or inline as applicationKey)"
            ),
            (["endpoint": "ovh-eu", "applicationKey": "a", "applicationConsumerKeyRef": ["name": "o", "key": "c"]], "ovh.applicationSecretRef is required: the OVH application secret, from a Secret"),
            (["endpoint": "ovh-eu", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"]], "ovh.applicationConsumerKeyRef is required: the OVH consumer key, from a Secret (or inline as consumerKey)"),
            (["endpoint": "ovh-eu", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c", "consumerKeyRef": ["name": "o", "key": "c"]], "ovh sets consumerKeyRef and consumerKey; keep one consumer key"),
            (["endpoint": "ovh-eu", "authenticationMethod": "oauth2", "oauth2ClientIDRef": ["name": "o", "key": "i"]], "ovh.oauth2ClientSecretRef is required with authenticationMethod oauth2"),
            (
                ["endpoint": "ovh-eu", "authenticationMethod": "oauth2", "oauth2ClientIDRef": ["name": "o", "key": "i"], "oauth2ClientSecretRef": ["name": "o", "key": "s"], "applicationKey": "a"],
                "ovh sets applicationKey with authenticationMethod oauth2; those belong to authenticationMethod application"
            ),
            (
                ["endpoint": "ovh-eu", "authenticationMethod": "application", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c", "oauth2ClientIDRef": ["name": "o", "key": "i"]],
                "ovh sets oauth2ClientIDRef with authenticationMethod application; set authenticationMethod: oauth2 to use an OAuth2 client"
            ),
            (
                ["endpoint": "kimsufi-eu", "authenticationMethod": "oauth2", "oauth2ClientIDRef": ["name": "o", "key": "i"], "oauth2ClientSecretRef": ["name": "o", "key": "s"]],
                "ovh.tokenEndpoint is required with authenticationMethod oauth2 and the endpoint kimsufi-eu: OVH offers OAuth2 on ovh-eu, ovh-ca and ovh-us; for another API URL, give its OAuth2 token URL"
            ),
            (["endpoint": "ovh-eu", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c", "ttl": -1], "ovh.ttl must be between 0 and 86400, got -1"),
            (["endpoint": "ovh-eu", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerkey": "c"], "ovh has an unknown field \"consumerkey\" (did you mean \"consumerKey\"?)"),
        ] as [(ConfigValue, String)])
    func mistakes(block: ConfigValue, expected: String) {
        #expect(message(block) == expected)
    }

    @Test("an Issuer may name the OVH endpoints and their token URLs; another URL needs the operator")
    func issuerPolicy() throws {
        let local: ConfigValue = ["endpoint": "http://127.0.0.1:9000/1.0", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c"]
        #expect(
            message(local)
                == "ovh.endpoint \"http://127.0.0.1:9000/1.0\" is not allowed in an Issuer's config: the provider's official hosts are https://eu.api.ovh.com, https://ca.api.ovh.com, https://api.us.ovhcloud.com, https://eu.api.kimsufi.com, https://ca.api.kimsufi.com, https://eu.api.soyoustart.com, https://ca.api.soyoustart.com, https://www.ovh.com, https://ca.ovh.com, https://us.ovhcloud.com, and the operator's issuerPolicy.allowedEndpoints does not list it; the operator can allow it by adding a prefix of it to issuerPolicy.allowedEndpoints in the webhook's own config (serve --config), or move this block there"
        )
        #expect(message(local, source: .operatorConfig) == nil)
        let policy = IssuerPolicy(allowedEndpoints: [try #require(EndpointPrefix("http://127.0.0.1:9000/"))])
        #expect(message(local, source: .issuerConfig(policy: policy)) == nil)
        let oauth2: ConfigValue = ["endpoint": "ovh-eu", "authenticationMethod": "oauth2", "oauth2ClientIDRef": ["name": "o", "key": "i"], "oauth2ClientSecretRef": ["name": "o", "key": "s"], "tokenEndpoint": "https://tokens.example.com/token"]
        #expect(message(oauth2)?.hasPrefix("ovh.tokenEndpoint \"https://tokens.example.com/token\" is not allowed in an Issuer's config") == true)
        #expect(message(oauth2, source: .operatorConfig) == nil)
        #expect(message(["endpoint": "ovh-eu", "authenticationMethod": "oauth2", "oauth2ClientIDRef": ["name": "o", "key": "i"], "oauth2ClientSecretRef": ["name": "o", "key": "s"], "tokenEndpoint": "https://www.ovh.com/auth/oauth2/token"]) == nil)
    }

    @Test("the descriptor's example decodes, and every documented field is known")
    func descriptor() throws {
        let descriptor = OVHPlugin.descriptor
        _ = try decode(try yaml(descriptor.example))
        for field in descriptor.fields.map(\.name) where !["endpoint", "applicationKey", "applicationSecretRef", "consumerKey"].contains(field) {
            var object: [String: ConfigValue] = ["endpoint": "ovh-eu", "applicationKey": "a", "applicationSecretRef": ["name": "o", "key": "s"], "consumerKey": "c"]
            object.updateValue(.null, forKey: field)
            let text = message(.object(object))
            #expect(text == nil || !text!.contains("unknown field"), "\(field): \(text ?? "")")
        }
    }
}
