import AzureDNSProvider
import DNS01
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

/// Each way of getting a token, against the emulator's Entra ID and IMDS, in cert-manager's
/// order of precedence.
@Suite("Azure DNS identities: client secret, managed identity, workload identity", .serialized)
struct AzureDNSIdentityTests {
    static let fqdn = "_acme-challenge.www.example.com"

    func tokenRequests(_ emulator: EmulatorPeer) async throws -> [[String: Any]] {
        try await AZ.requests(emulator).filter { $0["action"] as? String == "token" }
    }

    @Test("client secret: one token serves every challenge of the identity until it nears expiry")
    func clientSecretTokenIsCached() async throws {
        let emulator = try await AZ.emulator()
        let plugin = AZ.plugin()
        for key in ["first", "second", "third"] {
            let provider = try await AZ.provider(plugin, config: AZ.secretConfig(emulator))
            try await provider.present(AZ.challenge(.present, Self.fqdn, key))
        }
        let tokens = try await tokenRequests(emulator)
        #expect(tokens.count == 1)
        #expect(tokens.first?["credential"] as? String == "secret")
        #expect(tokens.first?["principal"] as? String == AZ.clientID)
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["first", "second", "third"])
    }

    @Test("a token Resource Manager refuses (expired early) is replaced once, within the same step")
    func refusedTokenIsReplaced() async throws {
        let emulator = try await AZ.emulator()
        let plugin = AZ.plugin()
        try await AZ.provider(plugin, config: AZ.secretConfig(emulator)).present(AZ.challenge(.present, Self.fqdn, "before"))
        try await emulator.admin("POST", "/__admin/clock", ["offsetSeconds": 7200])
        try await AZ.provider(plugin, config: AZ.secretConfig(emulator)).present(AZ.challenge(.present, Self.fqdn, "after"))
        #expect(try await tokenRequests(emulator).count == 2)
        let refused = try await AZ.requests(emulator).filter { $0["status"] as? Int == 401 }
        #expect(refused.count == 1)
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["before", "after"])
    }

    @Test("a reader may not write: the message names the role to grant")
    func readerIsRefused() async throws {
        let emulator = try await AZ.emulator()
        let provider = try await AZ.provider(config: AZ.secretConfig(emulator, clientID: AZ.readerClientID, secret: "reader"), context: AZ.context(secrets: AZ.secrets(["reader": AZ.readerSecret])))
        let error = await #expect(throws: DNS01Error.self) { try await provider.present(AZ.challenge(.present, Self.fqdn, "x")) }
        #expect(error?.code == .providerRejected)
        #expect(error?.message.contains("the client secret of application \(AZ.readerClientID) in tenant \(AZ.tenant)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("AuthorizationFailed") == true)
        #expect(error?.message.contains("give it the DNS Zone Contributor role") == true)
    }

    @Test("without clientID, ambient credentials must be allowed: cert-manager's rule, and no request is made")
    func ambientNotAllowed() async throws {
        let emulator = try await AZ.emulator()
        let error = await #expect(throws: DNS01Error.self) {
            try await AZ.provider(config: AZ.ambientConfig(emulator), context: AZ.context(ambient: false, environment: AZ.imdsEnvironment(emulator)))
        }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix("azureDNS: clientID was omitted and this challenge may not use ambient credentials") == true, "\(error?.message ?? "")")
        #expect(try await emulator.apiCallCount() == 0)
    }

    @Test("managed identity: IMDS with Metadata: true, the identity chosen by clientID or resourceID")
    func managedIdentity() async throws {
        let emulator = try await AZ.emulator()
        let context = AZ.context(ambient: true, environment: AZ.imdsEnvironment(emulator))
        let byClient = try await AZ.provider(config: AZ.ambientConfig(emulator, managedIdentity: ["clientID": .string(AZ.managedClientID)]), context: context)
        try await byClient.present(AZ.challenge(.present, Self.fqdn, "by-client-id"))
        let byResource = try await AZ.provider(config: AZ.ambientConfig(emulator, managedIdentity: ["resourceID": .string(AZ.managedResourceID)]), context: context)
        try await byResource.present(AZ.challenge(.present, Self.fqdn, "by-resource-id"))
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["by-client-id", "by-resource-id"])
        let imds = try await AZ.requests(emulator).filter { $0["action"] as? String == "imds" }
        #expect(imds.map { $0["status"] as? Int } == [200, 200])
        #expect(imds.map { $0["principal"] as? String } == [AZ.managedClientID, AZ.managedClientID])
        // The node has two identities: without a selector IMDS cannot choose, and says so.
        let unnamed = try await AZ.provider(config: AZ.ambientConfig(emulator), context: context)
        let error = await #expect(throws: DNS01Error.self) { try await unnamed.present(AZ.challenge(.present, Self.fqdn, "x")) }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.hasPrefix("the instance metadata service refused a token for the node's managed identity (HTTP 400 invalid_request: Multiple user assigned identities exist") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("name it by managedIdentity.clientID or managedIdentity.resourceID") == true)
        // An identity the node does not have.
        let unknown = try await AZ.provider(config: AZ.ambientConfig(emulator, managedIdentity: ["clientID": "00000000-0000-4000-8000-000000000000"]), context: context)
        await #expect(throws: DNS01Error.self) { try await unknown.present(AZ.challenge(.present, Self.fqdn, "x")) }
    }

    @Test("workload identity: the token file is read for every token, so a rotated service account token is used")
    func workloadIdentityRotation() async throws {
        let emulator = try await AZ.emulator(config: AZ.config(["tokenLifetimeSeconds": 2]))
        let directory = try makeTemporaryDirectory("azure-wi")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenFile = "\(directory)/azure-identity-token"
        let reads = Mutex(0)
        let plugin = AZ.plugin(readFile: { path in
            reads.withLock { $0 += 1 }
            return try String(contentsOfFile: path, encoding: .utf8)
        })
        // The workload identity webhook's environment; IMDS is reachable too, and not used.
        let environment = [
            "AZURE_FEDERATED_TOKEN_FILE": tokenFile, "AZURE_CLIENT_ID": AZ.workloadClientID, "AZURE_TENANT_ID": AZ.tenant,
            "AZURE_AUTHORITY_HOST": AZ.tlsBase(emulator) + "/",
        ].merging(AZ.imdsEnvironment(emulator)) { $1 }
        // The block names no environment and no authorityEndpoint: AZURE_AUTHORITY_HOST decides.
        let config: ConfigValue = ["subscriptionID": .string(AZ.subscription), "resourceGroupName": .string(AZ.resourceGroup), "hostedZoneName": "example.com", "endpoint": .string(AZ.tlsBase(emulator))]
        let context = AZ.context(ambient: true, environment: environment)

        let first = try await AZ.mintServiceAccountToken(emulator, expiresIn: 3)
        try first.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await AZ.provider(plugin, config: config, context: context).present(AZ.challenge(.present, Self.fqdn, "with-first-token"))

        // The kubelet rotates the projected token; the first one then expires.
        let second = try await AZ.mintServiceAccountToken(emulator)
        try second.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(3200))
        try await AZ.provider(plugin, config: config, context: context).present(AZ.challenge(.present, Self.fqdn, "with-second-token"))

        let tokens = try await tokenRequests(emulator)
        #expect(tokens.map { $0["assertionJti"] as? String } == [first.jti, second.jti])
        #expect(tokens.allSatisfy { $0["credential"] as? String == "assertion" && $0["status"] as? Int == 200 })
        #expect(reads.withLock { $0 } == 2)
        #expect(try await AZ.counts(emulator)["imds"] == nil)
        #expect(try await AZ.storedValues(emulator, Self.fqdn) == ["with-first-token", "with-second-token"])

        // A file still holding the expired token is refused, with what to check.
        try first.token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(1100))
        let error = await #expect(throws: DNS01Error.self) {
            try await AZ.provider(plugin, config: config, context: context).present(AZ.challenge(.present, Self.fqdn, "x"))
        }
        #expect(error?.message.contains("AADSTS700024: Client assertion is not within its valid time range.") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("federated credential") == true)
    }

    @Test("workload identity: managedIdentity.clientID and tenantID take precedence over AZURE_CLIENT_ID and AZURE_TENANT_ID")
    func workloadIdentityOverrides() async throws {
        let emulator = try await AZ.emulator()
        let directory = try makeTemporaryDirectory("azure-wi")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await AZ.mintServiceAccountToken(emulator).token.write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        let environment = ["AZURE_FEDERATED_TOKEN_FILE": "\(directory)/token", "AZURE_CLIENT_ID": AZ.clientID, "AZURE_TENANT_ID": "other-tenant"]
        let config = AZ.ambientConfig(emulator, managedIdentity: ["clientID": .string(AZ.workloadClientID), "tenantID": .string(AZ.tenant)])
        try await AZ.provider(config: config, context: AZ.context(ambient: true, environment: environment)).present(AZ.challenge(.present, Self.fqdn, "wi"))
        #expect(try await tokenRequests(emulator).map { $0["principal"] as? String } == [AZ.workloadClientID])
        // Without any client ID, azure-identity's message.
        let error = await #expect(throws: DNS01Error.self) {
            try await AZ.provider(config: AZ.ambientConfig(emulator), context: AZ.context(ambient: true, environment: ["AZURE_FEDERATED_TOKEN_FILE": "\(directory)/token"]))
        }
        #expect(error?.message.contains("workload identity has no client ID") == true)
    }

    @Test("a client secret wins over ambient credentials, as in cert-manager")
    func clientSecretFirst() async throws {
        let emulator = try await AZ.emulator()
        let environment = ["AZURE_FEDERATED_TOKEN_FILE": "/nonexistent/token", "AZURE_CLIENT_ID": AZ.workloadClientID, "AZURE_TENANT_ID": AZ.tenant]
            .merging(AZ.imdsEnvironment(emulator)) { $1 }
        try await AZ.provider(config: AZ.secretConfig(emulator), context: AZ.context(ambient: true, environment: environment)).present(AZ.challenge(.present, Self.fqdn, "sp"))
        let counts = try await AZ.counts(emulator)
        #expect(counts["token"] == 1 && counts["imds"] == nil)
        #expect(try await tokenRequests(emulator).first?["credential"] as? String == "secret")
    }

    @Test("AzureChinaCloud asks for a token for China's Resource Manager audience, which public Resource Manager refuses")
    func chinaCloud() async throws {
        let china = try await AZ.emulator(config: AZ.config(["cloud": "china"]))
        var block = try #require(AZ.secretConfig(china).objectValue)
        block["environment"] = "AzureChinaCloud"
        try await AZ.provider(config: .object(block)).present(AZ.challenge(.present, Self.fqdn, "china"))
        #expect(try await AZ.storedValues(china, Self.fqdn) == ["china"])

        let error = await #expect(throws: DNS01Error.self) {
            try await AZ.provider(config: AZ.secretConfig(china)).present(AZ.challenge(.present, Self.fqdn, "public"))
        }
        #expect(error?.code == .credentialsUnavailable)
        #expect(error?.message.contains("InvalidAuthenticationTokenAudience") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("check that environment (AzurePublicCloud) is the cloud the identity belongs to") == true)
    }
}

extension ConfigValue {
    var objectValue: [String: ConfigValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }
}
