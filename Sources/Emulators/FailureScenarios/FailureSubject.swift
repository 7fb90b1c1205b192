import AcmeDNSProvider
import AkamaiProvider
import AliDNSProvider
import CloudflareProvider
import DNS01
import DNSPodProvider
import DigitalOceanProvider
import GandiProvider
import HTTPProvider
import HetznerProvider
import HuaweiCloudProvider
import OVHProvider
import PDNSProvider
import Route53Provider

/// A provider configured against an endpoint of our choosing, with credentials that look
/// right: what `dns01-bench failures` and the fail-fast tests run Present through.
public struct FailureSubject: Sendable {
    /// The plugin (solver) name.
    public let name: String
    public let registry: ProviderRegistry
    /// The provider's block for an endpoint base URL (`http://127.0.0.1:8080`).
    public let config: @Sendable (_ baseURL: String) -> ConfigValue
    public let secrets: StaticSecretSource

    static let namespace = "failures"

    init<Plugin: ProviderPlugin>(_ plugin: Plugin, secrets: [String: [String: String]], config: @escaping @Sendable (String) -> ConfigValue) {
        var registry = ProviderRegistry()
        registry.register(plugin)
        self.name = plugin.name
        self.registry = registry
        self.config = config
        self.secrets = StaticSecretSource(
            Dictionary(
                uniqueKeysWithValues: secrets.map { name, keys in
                    (StaticSecretSource.Key(namespace: Self.namespace, name: name), keys.mapValues { SecretValue($0) })
                }))
    }

    private static func ref(_ name: String, _ key: String) -> ConfigValue { ["name": .string(name), "key": .string(key)] }

    /// Every provider that talks HTTP, in table order.
    public static let all: [FailureSubject] = [
        FailureSubject(Route53Plugin(requestsPerSecond: nil), secrets: ["aws": ["secret": "failure-secret"]]) {
            ["accessKeyID": "AKIDFAILURES", "secretAccessKeySecretRef": ref("aws", "secret"), "region": "us-east-1", "endpoint": .string($0)]
        },
        FailureSubject(AliDNSPlugin(), secrets: ["alidns": ["id": "failureid", "secret": "failuresecret"]]) {
            ["endpoint": .string($0), "accessTokenSecretRef": ref("alidns", "id"), "secretKeySecretRef": ref("alidns", "secret")]
        },
        FailureSubject(HTTPPlugin(), secrets: [:]) { ["endpoint": .string($0 + "/acme")] },
        FailureSubject(CloudflarePlugin(), secrets: ["cloudflare": ["token": "cf-failure-token-000000000000000000000000"]]) {
            ["apiTokenSecretRef": ref("cloudflare", "token"), "endpoint": .string($0 + "/client/v4")]
        },
        FailureSubject(DigitalOceanPlugin(), secrets: ["digitalocean": ["token": "dop_v1_" + String(repeating: "0", count: 64)]]) {
            ["tokenSecretRef": ref("digitalocean", "token"), "endpoint": .string($0)]
        },
        FailureSubject(HetznerPlugin(), secrets: ["hetzner": ["token": "hetzner-failure-token"]]) {
            ["tokenSecretKeyRef": ref("hetzner", "token"), "hcloudEndpoint": .string($0 + "/v1")]
        },
        FailureSubject(GandiPlugin(), secrets: ["gandi": ["token": "gandi-failure-pat"]]) {
            ["apiKeySecretRef": ref("gandi", "token"), "endpoint": .string($0 + "/v5/livedns")]
        },
        FailureSubject(DNSPodPlugin(), secrets: ["dnspod": ["id": "AKIDFAILURES", "key": "dnspod-failure-secret"]]) {
            ["endpoint": .string($0), "secretIdRef": ref("dnspod", "id"), "secretKeyRef": ref("dnspod", "key")]
        },
        FailureSubject(HuaweiCloudPlugin(), secrets: ["huaweicloud": ["ak": "HWAKFAILURES", "sk": "huawei-failure-secret"]]) {
            ["endpoint": .string($0), "accessKeyRef": ref("huaweicloud", "ak"), "secretKeyRef": ref("huaweicloud", "sk")]
        },
        FailureSubject(OVHPlugin(), secrets: ["ovh": ["ak": "ovhfailureappkey", "as": "ovh-failure-app-secret", "ck": "ovhfailureconsumerkey"]]) {
            [
                "endpoint": .string($0 + "/1.0"), "authenticationMethod": "application", "applicationKeyRef": ref("ovh", "ak"),
                "applicationSecretRef": ref("ovh", "as"), "applicationConsumerKeyRef": ref("ovh", "ck"),
            ]
        },
        FailureSubject(
            AkamaiPlugin(),
            secrets: [
                "akamai": [
                    "clientToken": "akab-cccccccccccccccc-0000000000000000", "clientSecret": "c2VjcmV0LWZvci10ZXN0cy1vbmx5LWRuczAxLTAwMDA=",
                    "accessToken": "akab-aaaaaaaaaaaaaaaa-0000000000000000",
                ]
            ]
        ) {
            [
                "serviceConsumerDomain": "akab-failures00000000-0000000000000000.luna.akamaiapis.net", "clientTokenSecretRef": ref("akamai", "clientToken"),
                "clientSecretSecretRef": ref("akamai", "clientSecret"), "accessTokenSecretRef": ref("akamai", "accessToken"), "endpoint": .string($0),
            ]
        },
        FailureSubject(PDNSPlugin(), secrets: ["pdns": ["key": "pdns-failure-api-key"]]) {
            ["host": .string($0), "apiKeySecretRef": ref("pdns", "key")]
        },
        FailureSubject(
            AcmeDNSPlugin(),
            secrets: [
                "acme-dns": [
                    "acmedns.json":
                        #"{"www.example.com":{"username":"11111111-2222-4333-8444-555555555555","password":"acmeDnsTestPassword_0000000000000000000A","fulldomain":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.auth.example.org","subdomain":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","allowfrom":[]}}"#
                ]
            ]
        ) {
            ["host": .string($0), "accountSecretRef": ref("acme-dns", "acmedns.json")]
        },
    ]
}
