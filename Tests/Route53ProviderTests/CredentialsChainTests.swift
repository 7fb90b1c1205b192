import DNS01
import Foundation
import Logging
import ProviderKit
import Route53Emulator
import Synchronization
import TestSupport
import Testing

@testable import Route53Provider

/// A TokenRequest stand-in that records what it was asked for.
final class RecordingTokenSource: ServiceAccountTokenSource {
    struct Call: Hashable {
        var namespace: String
        var serviceAccount: String
        var audiences: [String]
        var expirationSeconds: Int
    }
    private let recorded = Mutex<[Call]>([])
    var calls: [Call] { recorded.withLock { $0 } }
    func token(namespace: String, serviceAccount: String, audiences: [String], expirationSeconds: Int) async throws -> SecretValue {
        let count = recorded.withLock {
            $0.append(Call(namespace: namespace, serviceAccount: serviceAccount, audiences: audiences, expirationSeconds: expirationSeconds))
            return $0.count
        }
        return SecretValue("header.payload\(count).signature")
    }
}

@Suite("Route53 credentials chain")
struct CredentialsChainTests {
    let emulator: Route53Emulator
    let sts = FakeSTS()
    init() {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
    }

    func transport(extra: [String: any HTTPTransport] = [:]) -> RoutingTransport {
        RoutingTransport(extra.merging(["sts.eu-west-1.amazonaws.com": sts, "sts.amazonaws.com": sts, "sts.cn-north-1.amazonaws.com.cn": sts]) { a, _ in a }, fallback: emulator)
    }

    func present(_ plugin: Route53Plugin, _ config: ConfigValue, _ context: ProviderContext, key: String = "k") async throws {
        let provider = try await R53.provider(plugin, config, context: context)
        try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: key))
    }

    func route53Requests(_ transport: RoutingTransport) -> [APIRequest] { transport.requests.filter { $0.host.hasPrefix("route53") } }

    @Test("role: AssumeRole is signed with the static keys for the config's region, and Route53 is signed with the session it returns")
    func assumeRole() async throws {
        let transport = transport()
        let config = R53.config(["region": "eu-west-1", "role": "arn:aws:iam::123456789012:role/dns"])
        try await present(R53.plugin(transport), config, R53.context())
        let stsRequest = try #require(transport.requests.first { $0.host == "sts.eu-west-1.amazonaws.com" })
        let form = String(decoding: stsRequest.body, as: UTF8.self)
        #expect(form == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdns&RoleSessionName=cert-manager")
        #expect(stsRequest.header("Authorization")?.contains("Credential=AKIDTEST/") == true)
        #expect(stsRequest.header("Authorization")?.contains("/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date,") == true)
        let change = try #require(route53Requests(transport).first { $0.method == "POST" })
        #expect(change.header("Authorization")?.contains("Credential=ASIAFAKE1/") == true)
        #expect(change.header("X-Amz-Security-Token") == "fake-token-1")
    }

    @Test("temporary credentials are cached: 20 challenges with one role cost one AssumeRole")
    func cachesTemporaryCredentials() async throws {
        let transport = transport()
        let plugin = R53.plugin(transport)
        let config = R53.config(["region": "eu-west-1", "role": "arn:aws:iam::1:role/dns"])
        for index in 0..<20 { try await present(plugin, config, R53.context(), key: R53.key(index)) }
        #expect(sts.actions == ["AssumeRole"])
    }

    @Test("serviceAccountRef: a TokenRequest (audiences, 600 s, the challenge's namespace) exchanged by an unsigned AssumeRoleWithWebIdentity")
    func serviceAccountRef() async throws {
        let transport = transport()
        let tokens = RecordingTokenSource()
        let config = R53.config(["region": "eu-west-1", "role": "arn:aws:iam::1:role/dns", "auth": ["kubernetes": ["serviceAccountRef": ["name": "acme-dns"]]]], base: ["endpoint": "https://route53.test"])
        try await present(R53.plugin(transport), config, R53.context(tokens: tokens))
        #expect(tokens.calls == [.init(namespace: R53.namespace, serviceAccount: "acme-dns", audiences: ["sts.amazonaws.com"], expirationSeconds: 600)])
        let stsRequest = try #require(transport.requests.first { $0.host.hasPrefix("sts.") })
        #expect(stsRequest.header("Authorization") == nil)
        #expect(String(decoding: stsRequest.body, as: UTF8.self).contains("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fdns&RoleSessionName=cert-manager&WebIdentityToken=header.payload1.signature"))
        #expect(route53Requests(transport).allSatisfy { $0.header("Authorization")?.contains("Credential=ASIAFAKE1/") == true })
    }

    @Test("serviceAccountRef without cluster access says so")
    func serviceAccountRefWithoutCluster() async throws {
        let config = R53.config(["role": "r", "auth": ["kubernetes": ["serviceAccountRef": ["name": "sa"]]]], base: ["endpoint": "https://route53.test"])
        let error = try await #require(throws: DNS01Error.self) { try await present(R53.plugin(transport()), config, R53.context()) }
        #expect(error.code == .credentialsUnavailable)
        #expect(error.message.contains("needs access to the Kubernetes API (TokenRequest)"))
    }

    @Test("ambient denied: with no keys configured the challenge fails with cert-manager's message, even with keys in the environment, and sends nothing")
    func ambientDenied() async throws {
        let transport = transport()
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_ROLE_ARN": "arn:aws:iam::1:role/irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent"]
        let error = try await #require(throws: DNS01Error.self) {
            try await present(R53.plugin(transport), ["endpoint": "https://route53.test"], R53.context(ambient: false, environment: environment))
        }
        #expect(error.code == .credentialsUnavailable)
        #expect(error.message == CredentialsChain.noCredentialsMessage)
        #expect(transport.requests.isEmpty)
    }

    @Test("ambient allowed: environment keys (with session token) sign the requests")
    func ambientEnvironmentKeys() async throws {
        let transport = transport()
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"]
        try await present(R53.plugin(transport), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: environment))
        #expect(route53Requests(transport).allSatisfy { $0.header("Authorization")?.contains("Credential=AKIDENV/") == true && $0.header("X-Amz-Security-Token") == "env-token" })
    }

    @Test("nothing ambient to find is a clear error naming what was looked for, the instance metadata service tried twice")
    func nothingAmbient() async throws {
        let attempts = Mutex(0)
        let unreachable = ClosureTransport { request in
            attempts.withLock { $0 += 1 }
            throw TransportError(url: request.url, underlying: "connect timeout")
        }
        let error = try await #require(throws: DNS01Error.self) {
            try await present(R53.plugin(transport(extra: ["169.254.169.254": unreachable])), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: [:]))
        }
        #expect(error.message.contains("no ambient AWS credentials found"))
        #expect(error.message.contains("AWS_WEB_IDENTITY_TOKEN_FILE"))
        #expect(error.message.contains("the instance metadata service at http://169.254.169.254 gave none: cannot reach 169.254.169.254"))
        #expect(attempts.withLock { $0 } == 2)

        let disabled = try await #require(throws: DNS01Error.self) {
            try await present(R53.plugin(transport(extra: ["169.254.169.254": unreachable])), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: ["AWS_EC2_METADATA_DISABLED": "true"]))
        }
        #expect(disabled.message.contains("turned off by AWS_EC2_METADATA_DISABLED"))
        #expect(attempts.withLock { $0 } == 2, "a disabled service is not called")
    }

    /// An instance metadata service: IMDSv2 tokens unless `refusesTokens`, reads checked for
    /// the token it issued, one role, credentials valid for an hour.
    final class FakeInstanceMetadata: HTTPTransport, Sendable {
        let refusesTokens: Bool
        private let log = Mutex<[String]>([])
        init(refusesTokens: Bool = false) { self.refusesTokens = refusesTokens }
        var calls: [String] { log.withLock { $0 } }

        func send(_ request: APIRequest, timeout: Duration) async throws -> APIResponse {
            let path = String(request.url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            let token = request.header("X-aws-ec2-metadata-token")
            log.withLock { $0.append("\(request.method) \(path)\(token.map { " token=\($0)" } ?? "")") }
            if request.method == "PUT", path == "/latest/api/token" {
                guard !refusesTokens else { return APIResponse(status: 403, body: []) }
                guard request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600" else { return APIResponse(status: 400, body: []) }
                return APIResponse(status: 200, body: Array("imds-session".utf8))
            }
            guard request.method == "GET", refusesTokens || token == "imds-session" else { return APIResponse(status: 401, body: []) }
            switch path {
            case "/latest/meta-data/iam/security-credentials/":
                return APIResponse(status: 200, body: Array("node-role\n".utf8))
            case "/latest/meta-data/iam/security-credentials/node-role":
                let body = #"{"Code":"Success","LastUpdated":"2026-12-05T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIANODE","SecretAccessKey":"node-secret","Token":"node-session","Expiration":"\#((AWSTimestamp.now() + 3600).iso8601)"}"#
                return APIResponse(status: 200, body: Array(body.utf8))
            default:
                return APIResponse(status: 404, body: [])
            }
        }
    }

    @Test("instance profile: an IMDSv2 session token, then the role and its credentials, which sign Route53; cached until near expiry")
    func instanceProfileV2() async throws {
        let imds = FakeInstanceMetadata()
        let transport = transport(extra: ["169.254.169.254": imds])
        let plugin = R53.plugin(transport)
        try await present(plugin, ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: [:]))
        try await present(plugin, ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: [:]), key: "k2")
        #expect(
            imds.calls == [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/ token=imds-session",
                "GET /latest/meta-data/iam/security-credentials/node-role token=imds-session",
            ])
        #expect(route53Requests(transport).allSatisfy { $0.header("Authorization")?.contains("Credential=ASIANODE/") == true && $0.header("X-Amz-Security-Token") == "node-session" })
    }

    @Test("instance profile: IMDSv1 when the token call is refused, unless AWS_EC2_METADATA_V1_DISABLED; IPv6 endpoint mode")
    func instanceProfileV1() async throws {
        let imds = FakeInstanceMetadata(refusesTokens: true)
        try await present(R53.plugin(transport(extra: ["169.254.169.254": imds])), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: [:]))
        #expect(imds.calls == ["PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/", "GET /latest/meta-data/iam/security-credentials/node-role"])

        let strict = FakeInstanceMetadata(refusesTokens: true)
        let error = try await #require(throws: DNS01Error.self) {
            try await present(R53.plugin(transport(extra: ["169.254.169.254": strict])), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: ["AWS_EC2_METADATA_V1_DISABLED": "true"]))
        }
        #expect(error.message.contains("refused an IMDSv2 session token (HTTP 403); IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED"))
        #expect(strict.calls == ["PUT /latest/api/token"])

        let ipv6 = FakeInstanceMetadata()
        try await present(R53.plugin(transport(extra: ["[fd00:ec2::254]": ipv6])), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"]))
        #expect(ipv6.calls.count == 3)
    }

    @Test("IRSA: the token file goes to regional STS when AWS_STS_REGIONAL_ENDPOINTS=regional, global STS otherwise, and is read again on refresh")
    func irsa() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenFile = "\(directory)/token"
        try "jwt-one\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let shortLived = FakeSTS(lifetime: 1)
        let transport = RoutingTransport(["sts.eu-west-1.amazonaws.com": shortLived, "sts.amazonaws.com": sts], fallback: emulator)
        let plugin = R53.plugin(transport)
        var environment = ["AWS_ROLE_ARN": "arn:aws:iam::1:role/irsa", "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_REGION": "eu-west-1", "AWS_STS_REGIONAL_ENDPOINTS": "regional"]
        // The Issuer's region is ignored with ambient credentials when the environment names one.
        let config: ConfigValue = ["endpoint": "https://route53.test", "region": "us-west-2"]
        try await present(plugin, config, R53.context(ambient: true, environment: environment))
        try "jwt-two\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(1100))
        try await present(plugin, config, R53.context(ambient: true, environment: environment), key: "k2")
        #expect(shortLived.tokens == ["jwt-one", "jwt-two"])
        #expect(transport.requests.filter { $0.host.hasPrefix("sts.") }.allSatisfy { $0.header("Authorization") == nil })

        environment["AWS_STS_REGIONAL_ENDPOINTS"] = nil
        try await present(R53.plugin(transport), config, R53.context(ambient: true, environment: environment), key: "k3")
        #expect(sts.tokens == ["jwt-two"])
    }

    @Test("EKS Pod Identity: GET the agent URI with the token file as Authorization; plain HTTP elsewhere is refused")
    func podIdentity() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "pod-token\n".write(toFile: "\(directory)/eks-pod-identity-token", atomically: true, encoding: .utf8)
        let agentCalls = Mutex<[String?]>([])
        let agent = ClosureTransport { request in
            agentCalls.withLock { $0.append(request.header("Authorization")) }
            let body = #"{"AccessKeyId":"ASIAPOD","SecretAccessKey":"pod-secret","Token":"pod-session","AccountId":"1","Expiration":"\#((AWSTimestamp.now() + 3600).iso8601)"}"#
            return APIResponse(status: 200, body: Array(body.utf8))
        }
        let transport = transport(extra: ["169.254.170.23": agent])
        let environment = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "\(directory)/eks-pod-identity-token",
        ]
        try await present(R53.plugin(transport), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: environment))
        #expect(agentCalls.withLock { $0 } == ["pod-token"])
        #expect(route53Requests(transport).allSatisfy { $0.header("Authorization")?.contains("Credential=ASIAPOD/") == true && $0.header("X-Amz-Security-Token") == "pod-session" })

        let elsewhere = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.10/creds"]
        let error = try await #require(throws: DNS01Error.self) {
            try await present(R53.plugin(transport), ["endpoint": "https://route53.test"], R53.context(ambient: true, environment: elsewhere))
        }
        #expect(error.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to loopback"))
    }

    @Test("China partition: Route53 at route53.amazonaws.com.cn signed for cn-northwest-1, STS at sts.cn-north-1.amazonaws.com.cn")
    func chinaPartition() async throws {
        let transport = transport()
        let config: ConfigValue = [
            "region": "cn-north-1", "role": "arn:aws-cn:iam::1:role/dns", "accessKeyID": "AKIDCN",
            "secretAccessKeySecretRef": ["name": "aws", "key": "secret-access-key"],
        ]
        try await present(R53.plugin(transport), config, R53.context())
        #expect(transport.requests.contains { $0.url == "https://sts.cn-north-1.amazonaws.com.cn/" && $0.header("Authorization")?.contains("/cn-north-1/sts/") == true })
        let route53 = transport.requests.filter { $0.host == "route53.amazonaws.com.cn" }
        #expect(!route53.isEmpty)
        #expect(route53.allSatisfy { $0.header("Authorization")?.contains("/cn-northwest-1/route53/aws4_request") == true })
    }

    @Test("a missing Secret fails the challenge naming the Secret, never its value")
    func missingSecret() async throws {
        let config: ConfigValue = ["accessKeyIDSecretRef": ["name": "nope", "key": "id"], "secretAccessKeySecretRef": ["name": "aws", "key": "secret-access-key"]]
        let error = try await #require(throws: DNS01Error.self) { try await present(R53.plugin(transport()), config, R53.context()) }
        #expect(error.code == .secretNotFound)
        #expect(error.message.contains("\"nope\""))
        #expect(!error.message.contains("test-secret"))
    }
}

/// Collects every log line (message and metadata) at trace level.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    // @unchecked: the lines are guarded by the Mutex; the other fields are set before use.
    let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:]) \(self.metadata)") }
    }
}

@Suite("Route53 secrets stay out of logs and errors")
struct SecretHygieneTests {
    @Test("a present with keys from Secrets, AssumeRole and a session token logs at trace level without any secret, and failures name no secret")
    func noSecretsLogged() async throws {
        var options = Route53Emulator.Options()
        options.requestsPerSecond = nil
        let emulator = Route53Emulator(options: options)
        emulator.addZone("example.com")
        let transport = RoutingTransport(["sts.eu-west-1.amazonaws.com": FakeSTS()], fallback: emulator)
        let handler = CapturingLogHandler()
        var context = R53.context()
        context.logger = Logger(label: "capture") { _ in handler }
        let provider = try await R53.provider(R53.plugin(transport), R53.config(["region": "eu-west-1", "role": "arn:aws:iam::1:role/dns"]), context: context)
        try await provider.present(R53.challenge(.present, "_acme-challenge.example.com", key: "k"))
        let error = await #expect(throws: DNS01Error.self) {
            try await provider.present(R53.challenge(.present, "_acme-challenge.other.example.com", key: "\u{01}"))
        }
        let logged = handler.lines.withLock { $0.joined(separator: "\n") }
        #expect(!logged.isEmpty)
        for secret in ["test-secret", "fake-secret-1", "fake-token-1"] {
            #expect(!logged.contains(secret))
            let message = error?.message ?? ""
            #expect(!message.contains(secret))
            #expect(!"\(provider)".contains(secret))
        }
    }
}
