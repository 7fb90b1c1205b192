import CloudDNSProvider
import DNS01
import Foundation
import ProviderKit
import TestSupport
import Testing

@Suite("Cloud DNS provider: the provider contract (against the Cloud DNS emulator)", .serialized)
struct CloudDNSContractTests {
    static func subject(_ emulator: EmulatorPeer) async throws -> ProviderContractSubject {
        var registry = ProviderRegistry()
        registry.register(GCP.plugin())
        let key = try await GCP.keyFile(emulator)
        // A well-formed key of the same account that the emulator does not know.
        let foreign = try await GCP.foreignKeyFile(emulator)
        return ProviderContractSubject(
            solver: "cloudDNS",
            registry: registry,
            config: GCP.config(emulator),
            wrongCredentialsConfig: GCP.config(emulator, secret: "wrong-key"),
            wrongCredentialsHints: ["serviceAccountSecretRef", GCP.serviceAccount, "Invalid JWT Signature"],
            secrets: GCP.secrets([GCP.secretName: key, "wrong-key": foreign]),
            secretStrings: try [key, foreign].flatMap(Self.privateKeyParts),
            namespace: GCP.namespace,
            zone: try DomainName("example.com"),
            independentRead: { name in try await GCP.storedValues(emulator, name.name) },
            apiCallCount: { try await emulator.apiCallCount() },
            injectFaults: { count in try await emulator.injectFaults(count) },
            seedForeignValue: { name, value in
                try await emulator.seed(["rrsets": [["zone": "example-com", "name": name.fqdn, "type": "TXT", "ttl": 300, "rrdatas": [TXTRecord.quoted(value)]]]])
            },
            maximumCallsPerPresent: 2,
            maximumCallsPerCleanUp: 2
        )
    }

    /// The private key of a key file, and each line of its base64 body.
    static func privateKeyParts(_ keyFile: String) throws -> [String] {
        let object = try #require(GoogleKeyJSON.object(keyFile))
        let pem = try #require(object["private_key"] as? String)
        return [pem] + pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
    }

    @Test(arguments: ProviderContract.allCases)
    func contract(_ contract: ProviderContract) async throws {
        let emulator = try await GCP.emulator()
        try await contract.verifyOrSkip(Self.subject(emulator))
        if contract == .apiCallsPerChallenge, let calls = ContractMeasurements.shared.calls(for: "cloudDNS") {
            print("cloudDNS: warm Present \(calls.present) API calls, warm CleanUp \(calls.cleanUp)")
        }
    }
}

enum GoogleKeyJSON {
    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
