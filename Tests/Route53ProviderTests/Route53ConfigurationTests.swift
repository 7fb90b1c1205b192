import DNS01
import Route53Provider
import Testing

@Suite("Route53 config: cert-manager's fields and errors")
struct Route53ConfigurationTests {
    let plugin = Route53Plugin()

    func decode(_ block: ConfigValue, origin: ConfigOrigin = .operatorConfig) throws(DNS01Error) -> Route53Configuration {
        try plugin.decodeConfiguration(block, at: .root.appending("route53"), source: ConfigSource(origin: origin))
    }

    func message(_ block: ConfigValue, origin: ConfigOrigin = .operatorConfig) -> String? {
        do { _ = try decode(block, origin: origin); return nil } catch { return error.message }
    }

    @Test("every cert-manager field decodes with its meaning; the audience defaults to sts.amazonaws.com")
    func fullConfig() throws {
        let config = try decode([
            "region": "eu-west-1", "accessKeyID": "  AKIDLITERAL \n", "secretAccessKeySecretRef": ["name": "aws", "key": "secret"],
            "role": "arn:aws:iam::123456789012:role/dns", "hostedZoneID": "/hostedzone/Z0123ABC",
            "endpoint": "http://127.0.0.1:5000/", "stsEndpoint": "http://127.0.0.1:5000", "waitForInSync": true,
        ])
        #expect(config == Route53Configuration(
            region: "eu-west-1", accessKeyID: "AKIDLITERAL", secretAccessKeySecretRef: SecretReference(name: "aws", key: "secret"),
            role: "arn:aws:iam::123456789012:role/dns", hostedZoneID: "Z0123ABC", endpoint: "http://127.0.0.1:5000",
            stsEndpoint: "http://127.0.0.1:5000", waitForInSync: true
        ))
        let web = try decode(["role": "arn:aws:iam::1:role/r", "auth": ["kubernetes": ["serviceAccountRef": ["name": "cert-manager-acme"]]]])
        #expect(web.serviceAccount == .init(name: "cert-manager-acme", audiences: ["sts.amazonaws.com"]))
        let audiences = try decode(["role": "r", "auth": ["kubernetes": ["serviceAccountRef": ["name": "sa", "audiences": ["a", "b"]]]]])
        #expect(audiences.serviceAccount?.audiences == ["a", "b"])
        #expect(try decode([:]) == Route53Configuration())
    }

    @Test("an empty secretAccessKeySecretRef, as the API server writes it back ({name: \"\"}), means none")
    func emptySecretReference() throws {
        #expect(try decode(["region": "us-east-1", "secretAccessKeySecretRef": ["name": ""]]).secretAccessKeySecretRef == nil)
    }

    @Test("cert-manager's validation messages, prefixed with the field path")
    func certManagerMessages() {
        #expect(message(["accessKeyID": "A", "accessKeyIDSecretRef": ["name": "s", "key": "k"], "secretAccessKeySecretRef": ["name": "s", "key": "k"]])
            == "route53 accessKeyID and accessKeyIDSecretRef cannot both be specified")
        #expect(message(["accessKeyID": "A"]) == "route53 only one of access and secret key was provided")
        #expect(message(["secretAccessKeySecretRef": ["name": "s", "key": "k"]]) == "route53 only one of access and secret key was provided")
        #expect(message(["accessKeyIDSecretRef": ["name": "s"], "secretAccessKeySecretRef": ["name": "s", "key": "k"]])
            == "route53.accessKeyIDSecretRef requires a key field to be specified")
        #expect(message(["accessKeyIDSecretRef": ["key": "k"], "secretAccessKeySecretRef": ["name": "s", "key": "k"]])
            == "route53.accessKeyIDSecretRef requires a name field to be specified")
        #expect(message(["auth": ["kubernetes": ["serviceAccountRef": ["name": "sa"]]]])
            == "route53.role must be set when auth.kubernetes.serviceAccountRef is set (role must be set when web identity token is set)")
    }

    @Test("unknown and misspelt fields are refused with a suggestion")
    func unknownFields() {
        #expect(message(["accessKeyId": "A"]) == "route53 has an unknown field \"accessKeyId\" (did you mean \"accessKeyID\"?)")
        #expect(message(["hostedZoneId": "Z1"]) == "route53 has an unknown field \"hostedZoneId\" (did you mean \"hostedZoneID\"?)")
        #expect(message(["role": "r", "auth": ["kubernetes": ["serviceAccountRef": ["name": "sa", "audience": ["x"]]]]])
            == "route53.auth.kubernetes.serviceAccountRef has an unknown field \"audience\" (did you mean \"audiences\"?)")
        #expect(message(["role": "r", "auth": ["kubernetes": [:]]]) == "route53.auth.kubernetes.serviceAccountRef is required")
    }

    @Test("malformed values name their field")
    func malformed() {
        #expect(message(["region": "EU West"]) == "route53.region must be an AWS region such as us-east-1, got \"EU West\"")
        #expect(message(["hostedZoneID": "zone one"]) == "route53.hostedZoneID must be a hosted zone ID such as Z0123456789ABC, got \"zone one\"")
        #expect(message(["endpoint": "route53.local"]) == "route53.endpoint must be an http or https URL such as https://route53.amazonaws.com, got \"route53.local\"")
        #expect(message(["waitForInSync": "yes"]) == "route53.waitForInSync must be true or false, got a string")
    }

    @Test("an Issuer's config may not redirect the webhook to other endpoints")
    func endpointsAreOperatorOnly() throws {
        let error = try #require(throws: DNS01Error.self) { try decode(["endpoint": "http://169.254.169.254"], origin: .issuerConfig) }
        #expect(error.code == .forbiddenByPolicy)
        #expect(error.message.hasPrefix("route53.endpoint \"http://169.254.169.254\" is not allowed in an Issuer's config: the provider's official hosts are https://route53.amazonaws.com"))
        #expect(try decode(["endpoint": "https://route53.amazonaws.com.cn"], origin: .issuerConfig).endpoint == "https://route53.amazonaws.com.cn")
        #expect(try decode(["stsEndpoint": "https://sts.eu-west-1.amazonaws.com"], origin: .issuerConfig).stsEndpoint == "https://sts.eu-west-1.amazonaws.com")
        #expect(throws: DNS01Error.self) { try decode(["stsEndpoint": "https://bucket.s3.amazonaws.com"], origin: .issuerConfig) }
        // A bucket named "sts": its virtual host looks like a regional STS host, but s3 is no region.
        #expect(throws: DNS01Error.self) { try decode(["stsEndpoint": "https://sts.s3.amazonaws.com"], origin: .issuerConfig) }
        #expect(throws: DNS01Error.self) { try decode(["stsEndpoint": "https://sts.s3-website-us-east-1.amazonaws.com"], origin: .issuerConfig) }
        #expect(throws: DNS01Error.self) { try decode(["stsEndpoint": "http://10.0.0.1"], origin: .issuerConfig) }
        #expect(try decode(["region": "us-east-1"], origin: .issuerConfig).region == "us-east-1")
    }

    @Test("inside a routing table the path names the entry")
    func routingTablePath() throws {
        var registry = ProviderRegistry()
        registry.register(plugin)
        let error = try #require(throws: DNS01Error.self) {
            try RoutingTable.decode(["providers": [["route53": ["accessKeyID": "A"]]]], registry: registry, source: .operatorConfig)
        }
        #expect(error.message == "providers[0].route53 only one of access and secret key was provided")
    }
}
