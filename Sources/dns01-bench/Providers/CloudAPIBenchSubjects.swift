import CloudflareProvider
import DNS01
import DNSPodProvider
import DigitalOceanProvider
import HuaweiCloudProvider
import ProviderKit

extension ProviderBenchSubject {
    /// The Cloudflare emulator (Tests/Peers/cloudflare_emulator.py), with an API token.
    static let cloudflare = ProviderBenchSubject(name: "cloudflare") {
        let emulator = try EmulatorProcess(script: "cloudflare_emulator.py")
        var registry = ProviderRegistry()
        registry.register(CloudflarePlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["apiTokenSecretRef": ["name": "cloudflare", "key": "token"], "endpoint": .string(emulator.baseURL + "/client/v4")],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "cloudflare"): ["token": SecretValue("cf-test-token-all-zones-dns-edit-0000000")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }

    /// The DigitalOcean emulator (Tests/Peers/digitalocean_emulator.py).
    static let digitalocean = ProviderBenchSubject(name: "digitalocean") {
        let emulator = try EmulatorProcess(script: "digitalocean_emulator.py")
        var registry = ProviderRegistry()
        registry.register(DigitalOceanPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["tokenSecretRef": ["name": "digitalocean", "key": "token"], "endpoint": .string(emulator.baseURL)],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "digitalocean"): ["token": SecretValue("dop_v1_" + String(repeating: "0", count: 64))]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }

    /// The signature-checking DNSPod emulator (Tests/Peers/dnspod_emulator.py).
    static let dnspod = ProviderBenchSubject(name: "dnspod") {
        let emulator = try EmulatorProcess(script: "dnspod_emulator.py")
        var registry = ProviderRegistry()
        registry.register(DNSPodPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["endpoint": .string(emulator.baseURL), "secretIdRef": ["name": "dnspod", "key": "id"], "secretKeyRef": ["name": "dnspod", "key": "key"]],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "dnspod"): ["id": SecretValue("AKIDDNSPODTEST"), "key": SecretValue("dnspod-test-secret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }

    /// The signature-checking Huawei Cloud DNS emulator (Tests/Peers/huaweicloud_emulator.py).
    static let huaweicloud = ProviderBenchSubject(name: "huaweicloud") {
        let emulator = try EmulatorProcess(script: "huaweicloud_emulator.py")
        var registry = ProviderRegistry()
        registry.register(HuaweiCloudPlugin())
        return ProviderBenchTarget(
            registry: registry,
            config: ["endpoint": .string(emulator.baseURL), "accessKeyRef": ["name": "huawei", "key": "ak"], "secretKeyRef": ["name": "huawei", "key": "sk"]],
            secrets: StaticSecretSource([.init(namespace: "bench", name: "huawei"): ["ak": SecretValue("HWAKDNSTEST"), "sk": SecretValue("huawei-test-secret")]]),
            zone: try DomainName("example.com"),
            apiCalls: { try await emulator.apiCalls() }, stop: { emulator.stop() }
        )
    }
}
