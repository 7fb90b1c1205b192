import DNS01
import Foundation
import ProviderKit
import TestSupport
import Testing

@testable import Route53Provider

/// moto (`Tests/Peers/route53_peer.py`) as a real Route53 + STS server on 127.0.0.1: real HTTP,
/// real record state, the STS flows. moto does not check signatures and differs from Route53
/// in its change rules, which the Route53-model suites cover.
final class MotoServer: @unchecked Sendable {
    // @unchecked: set once in init, read afterwards.
    let peer: PeerProcess
    let endpoint: String
    let zoneIDs: [String: String]

    init(zones: [String] = ["example.com", "sub.example.com"], privateZones: [String] = ["internal.example"]) async throws {
        peer = try await PeerProcess.start(python, ["\(repositoryRoot)/Tests/Peers/route53_peer.py", "serve"])
        endpoint = try #require(peer.announcement["endpoint"] as? String)
        let seeded = try await runCommand(
            python,
            [
                "\(repositoryRoot)/Tests/Peers/route53_peer.py", "seed", "--endpoint", endpoint,
                "--zones", zones.joined(separator: ","), "--private", privateZones.joined(separator: ","),
            ])
        guard seeded.status == 0, let data = seeded.stdout.split(separator: "\n").last.map({ Data($0.utf8) }),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let ids = object["ids"] as? [String: String]
        else { throw PeerError("seeding moto failed: \(seeded.stderr)") }
        zoneIDs = ids
    }

    func plugin() -> Route53Plugin {
        R53.plugin(AsyncHTTPClientTransport())
    }

    var staticConfig: ConfigValue { R53.config(["endpoint": .string(endpoint), "stsEndpoint": .string(endpoint), "region": "us-east-1"]) }

    deinit { peer.stop() }
}

@Suite("Route53 against moto (real HTTP, Route53 + STS)", .serialized)
struct MotoTests {
    let moto: MotoServer
    init() async throws { moto = try await MotoServer() }

    func provider(_ config: ConfigValue? = nil, context: ProviderContext = R53.context()) async throws -> any DNSProvider {
        try await R53.provider(moto.plugin(), config ?? moto.staticConfig, context: context)
    }

    @Test("present writes the multivalue set moto then lists; cleanup removes it")
    func presentAndCleanUp() async throws {
        let provider = try await provider()
        let name = try DomainName("_acme-challenge.www.example.com")
        try await provider.present(R53.challenge(.present, name.name, key: "moto-key"))
        #expect(try await provider.txtValues(at: name, zone: nil) == ["moto-key"])
        // The raw set, as moto stores it: cert-manager's fields.
        let zoneID = try #require(moto.zoneIDs["example.com"])
        let client = Route53Client(
            endpoint: moto.endpoint, signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: SecretValue("s")), region: "us-east-1", service: "route53"), sender: AWSRequestSender(transport: AsyncHTTPClientTransport()))
        let page = try await client.listResourceRecordSets(zoneID: zoneID, name: name.fqdn, type: "TXT")
        let set = try #require(page.recordSets.first { $0.name == name.fqdn })
        #expect(set == ResourceRecordSet(name: name.fqdn, type: "TXT", setIdentifier: "\"moto-key\"", ttl: 10, values: ["\"moto-key\""]))
        try await provider.cleanUp(R53.challenge(.cleanUp, name.name, key: "moto-key"))
        #expect(try await provider.txtValues(at: name, zone: nil) == [])
    }

    @Test("apex and wildcard keys on one name, presented at once, both stay until each is cleaned up")
    func apexAndWildcard() async throws {
        let provider = try await provider()
        let name = "_acme-challenge.example.com"
        async let apex: Void = provider.present(R53.challenge(.present, name, key: "apex"))
        async let wildcard: Void = provider.present(R53.challenge(.present, name, key: "wildcard"))
        _ = try await (apex, wildcard)
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil).sorted() == ["apex", "wildcard"])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "wildcard"))
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil) == ["apex"])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "apex"))
    }

    @Test("presenting twice leaves one set; cleaning up twice succeeds")
    func idempotent() async throws {
        let provider = try await provider()
        let name = "_acme-challenge.twice.example.com"
        try await provider.present(R53.challenge(.present, name, key: "k"))
        try await provider.present(R53.challenge(.present, name, key: "k"))
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil) == ["k"])
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "k"))
        try await provider.cleanUp(R53.challenge(.cleanUp, name, key: "k"))
        #expect(try await provider.txtValues(at: DomainName(name), zone: nil) == [])
    }

    @Test("nested zones: a name under sub.example.com goes to that zone, not to example.com; the private zone is never chosen")
    func nestedZones() async throws {
        let provider = try await provider()
        let name = try DomainName("_acme-challenge.www.sub.example.com")
        try await provider.present(R53.challenge(.present, name.name, key: "nested"))
        let child = try await R53.provider(moto.plugin(), R53.config(["endpoint": .string(moto.endpoint), "hostedZoneID": .string(moto.zoneIDs["sub.example.com"]!)]))
        let parent = try await R53.provider(moto.plugin(), R53.config(["endpoint": .string(moto.endpoint), "hostedZoneID": .string(moto.zoneIDs["example.com"]!)]))
        #expect(try await child.txtValues(at: name, zone: nil) == ["nested"])
        #expect(try await parent.txtValues(at: name, zone: nil) == [])
        let error = try await #require(throws: DNS01Error.self) {
            try await provider.present(R53.challenge(.present, "_acme-challenge.internal.example", key: "k"))
        }
        #expect(error.code == .zoneNotFound)
        try await provider.cleanUp(R53.challenge(.cleanUp, name.name, key: "nested"))
    }

    @Test("role: a signed AssumeRole at moto's STS, then Route53 with the session")
    func assumeRole() async throws {
        let provider = try await provider(R53.config(["endpoint": .string(moto.endpoint), "stsEndpoint": .string(moto.endpoint), "role": "arn:aws:iam::123456789012:role/dns"]))
        try await provider.present(R53.challenge(.present, "_acme-challenge.role.example.com", key: "via-role"))
        #expect(try await provider.txtValues(at: DomainName("_acme-challenge.role.example.com"), zone: nil) == ["via-role"])
    }

    @Test("web identity: serviceAccountRef's token exchanged at moto's STS by AssumeRoleWithWebIdentity, then Route53 with the session")
    func webIdentity() async throws {
        let tokens = RecordingTokenSource()
        let config: ConfigValue = [
            "endpoint": .string(moto.endpoint), "stsEndpoint": .string(moto.endpoint), "region": "eu-west-1",
            "role": "arn:aws:iam::123456789012:role/acme", "auth": ["kubernetes": ["serviceAccountRef": ["name": "acme", "audiences": ["sts.amazonaws.com"]]]],
        ]
        let provider = try await provider(config, context: R53.context(tokens: tokens))
        try await provider.present(R53.challenge(.present, "_acme-challenge.web.example.com", key: "via-web-identity"))
        #expect(try await provider.txtValues(at: DomainName("_acme-challenge.web.example.com"), zone: nil) == ["via-web-identity"])
        #expect(tokens.calls.count == 1)
    }

    @Test("IRSA: AWS_ROLE_ARN and the token file, exchanged at moto's STS, when ambient credentials are allowed")
    func irsa() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "eyJhbGciOiJSUzI1NiJ9.e30.sig".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let environment = ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": "\(directory)/token", "AWS_REGION": "us-east-1"]
        let config: ConfigValue = ["endpoint": .string(moto.endpoint), "stsEndpoint": .string(moto.endpoint)]
        let provider = try await provider(config, context: R53.context(ambient: true, environment: environment))
        try await provider.present(R53.challenge(.present, "_acme-challenge.irsa.example.com", key: "via-irsa"))
        #expect(try await provider.txtValues(at: DomainName("_acme-challenge.irsa.example.com"), zone: nil) == ["via-irsa"])
        let denied = await #expect(throws: DNS01Error.self) {
            _ = try await self.provider(config, context: R53.context(ambient: false, environment: environment))
        }
        #expect(denied?.message == CredentialsChain.noCredentialsMessage)
    }

    @Test("instance profile: credentials from moto's instance metadata service (IMDSv2 token, role, credentials), when ambient credentials are allowed")
    func instanceProfile() async throws {
        let environment = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": moto.endpoint + "/", "AWS_REGION": "us-east-1"]
        let context = R53.context(ambient: true, environment: environment)
        let config: ConfigValue = ["endpoint": .string(moto.endpoint)]
        let provider = try await provider(config, context: context)
        try await provider.present(R53.challenge(.present, "_acme-challenge.imds.example.com", key: "via-imds"))
        #expect(try await provider.txtValues(at: DomainName("_acme-challenge.imds.example.com"), zone: nil) == ["via-imds"])

        let chain = CredentialsChain(
            configuration: Route53Configuration(endpoint: moto.endpoint), context: context, cache: ExpiringCache(),
            sender: AWSRequestSender(transport: AsyncHTTPClientTransport())
        )
        let resolved = try await chain.resolve()
        #expect(resolved.credentials.accessKeyID == "test-key")
        #expect(resolved.credentials.sessionToken?.text == "test-session-token")
        #expect(resolved.credentials.expiration != nil)
        #expect(resolved.identity == "imds|\(moto.endpoint)")
    }

    @Test("dns01-webhook check passes Basic and Extended against moto with ambient keys, leaving nothing behind")
    func checkCommand() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = "\(directory)/route53.yaml"
        try """
        route53:
          region: us-east-1
          endpoint: \(moto.endpoint)
          stsEndpoint: \(moto.endpoint)
          waitForInSync: true
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDCLI", "AWS_SECRET_ACCESS_KEY": "cli-secret-value"]
        let result = try await runCommand(
            webhookBinary,
            [
                "check", "--config", config, "--allow-ambient-credentials", "--domain", "www.example.com",
                "--poll-interval", "0.1", "--timeout", "10",
            ], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let steps = result.stdout.split(separator: "\n").filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
        #expect(steps.count == 13)
        #expect(steps.allSatisfy { $0.hasPrefix("PASS") })
        #expect(result.stdout.hasSuffix("check passed\n"))
        #expect(!(result.stdout + result.stderr).contains("cli-secret-value"))
        let provider = try await provider()
        #expect(try await provider.txtValues(at: DomainName("_acme-challenge.www.example.com"), zone: nil) == [])

        let denied = try await runCommand(
            webhookBinary,
            [
                "check", "--config", config, "--domain", "www.example.com", "--basic-only",
                "--poll-interval", "0.1", "--timeout", "1",
            ], environment: environment)
        #expect(denied.status == 1)
        #expect(denied.stdout.contains("route53: empty credentials; perhaps you meant to enable ambient credentials?") && denied.stdout.contains("accessKeyIDSecretRef") && denied.stdout.contains("--allow-ambient-credentials"))
    }
}
