import AzureDNSProvider
import ConfigLoading
import DNS01
import ProviderKit
import TestSupport
import Testing

@Suite("azureDNS config")
struct AzureDNSConfigurationTests {
    let path = ConfigPath.root.appending("providers").appending(index: 0).appending("azureDNS")

    func decode(_ block: ConfigValue, source: ConfigSource = .issuerConfig()) throws(DNS01Error) -> AzureDNSConfiguration {
        try AzureDNSConfiguration.decode(block, at: path, source: source)
    }

    func message(_ block: ConfigValue) -> String? {
        do {
            _ = try decode(block, source: .operatorConfig)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("accepts cert-manager's documented service principal block verbatim, on Azure's public cloud")
    func documentedServicePrincipalBlock() throws {
        let block = try ConfigDocument.parse(
            """
            clientID: AZURE_CERT_MANAGER_SP_APP_ID
            clientSecretSecretRef:
            # The following is the secret we created in Kubernetes. Issuer will use this to present challenge to Azure DNS.
              name: azuredns-config
              key: client-secret
            subscriptionID: AZURE_SUBSCRIPTION_ID
            tenantID: AZURE_TENANT_ID
            resourceGroupName: AZURE_DNS_ZONE_RESOURCE_GROUP
            hostedZoneName: AZURE_DNS_ZONE
            # Azure Cloud Environment, default to AzurePublicCloud
            environment: AzurePublicCloud
            """, source: "cert-manager docs")
        let configuration = try decode(block)
        #expect(configuration.credentials == .clientSecret(clientID: "AZURE_CERT_MANAGER_SP_APP_ID", tenantID: "AZURE_TENANT_ID", secret: SecretReference(name: "azuredns-config", key: "client-secret")))
        #expect(configuration.subscriptionID == "AZURE_SUBSCRIPTION_ID")
        #expect(configuration.resourceGroupName == "AZURE_DNS_ZONE_RESOURCE_GROUP")
        #expect(configuration.hostedZoneName?.name == "azure_dns_zone")
        #expect(configuration.endpoint.description == "https://management.azure.com")
        #expect(configuration.cloud.scope == "https://management.core.windows.net//.default")
        #expect(configuration.authorityEndpoint == nil)
    }

    @Test("accepts cert-manager's documented managed identity and workload identity blocks (values filled in)")
    func documentedAmbientBlocks() throws {
        let byClientID = try ConfigDocument.parse(
            """
            resourceGroupName: dns-rg
            subscriptionID: 11111111-2222-4333-8444-555555555555
            hostedZoneName: example.com
            environment: AzurePublicCloud
            managedIdentity:
              clientID: m1m1m1m1-0000-4000-8000-000000000001
            """, source: "cert-manager docs")
        #expect(try decode(byClientID).credentials == .ambient(.init(clientID: "m1m1m1m1-0000-4000-8000-000000000001")))
        let byResourceID = try ConfigDocument.parse(
            """
            subscriptionID: 11111111-2222-4333-8444-555555555555
            resourceGroupName: dns-rg
            hostedZoneName: example.com
            managedIdentity:
              resourceID: /subscriptions/11111111-2222-4333-8444-555555555555/resourcegroups/identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dns01-webhook
            """, source: "cert-manager docs")
        #expect(try decode(byResourceID).credentials == .ambient(.init(resourceID: AZ.managedResourceID)))
        let bare = try ConfigDocument.parse("subscriptionID: s\nresourceGroupName: rg\n", source: "workload identity")
        #expect(try decode(bare).credentials == .ambient(.init()))
        #expect(try decode(bare).hostedZoneName == nil)
    }

    @Test(
        "every cloud has its Resource Manager, authority and token scope; the SDK's short names are accepted",
        arguments: [
            ("AzurePublicCloud", "https://management.azure.com", "https://login.microsoftonline.com", "https://management.core.windows.net//.default"),
            ("AzureCloud", "https://management.azure.com", "https://login.microsoftonline.com", "https://management.core.windows.net//.default"),
            ("AzureChinaCloud", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn", "https://management.core.chinacloudapi.cn/.default"),
            ("AzureUSGovernmentCloud", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us", "https://management.core.usgovcloudapi.net/.default"),
            ("AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us", "https://management.core.usgovcloudapi.net/.default"),
        ])
    func clouds(environment: String, resourceManager: String, authority: String, scope: String) throws {
        let configuration = try decode(["subscriptionID": "s", "resourceGroupName": "rg", "environment": .string(environment)])
        #expect(configuration.endpoint.description == resourceManager)
        #expect(configuration.cloud.resourceManager.description == resourceManager)
        #expect(configuration.cloud.authorityHost.description == authority)
        #expect(configuration.cloud.scope == scope)
        #expect(configuration.environmentGiven)
    }

    @Test("the descriptor's example decodes, and its migration note says what changes")
    func descriptorExample() throws {
        _ = try decode(try ConfigDocument.parse(AzureDNSPlugin.descriptor.example, source: "example"))
        #expect(AzureDNSPlugin.descriptor.migration?.hasPrefix("From cert-manager's built-in `azureDNS` solver: change") == true)
        #expect(AzureDNSPlugin.descriptor.recordModel == .preconditionedSet)
    }

    @Test(
        "names the field path of each mistake, in cert-manager's terms",
        arguments: [
            (["resourceGroupName": "rg"] as ConfigValue, "providers[0].azureDNS.subscriptionID is required"),
            (["subscriptionID": "s"] as ConfigValue, "providers[0].azureDNS.resourceGroupName is required"),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "environment": "AzureGermanCloud"] as ConfigValue,
                "providers[0].azureDNS.environment AzureGermanCloud is no longer served"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "environment": "AzureStackCloud"] as ConfigValue,
                "providers[0].azureDNS.environment must be either empty or one of AzurePublicCloud, AzureChinaCloud or AzureUSGovernmentCloud, got \"AzureStackCloud\""
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "zoneType": "AzurePrivateZone"] as ConfigValue,
                "providers[0].azureDNS.zoneType AzurePrivateZone is not supported"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "zoneType": "Private"] as ConfigValue,
                "providers[0].azureDNS.zoneType must be either empty or one of AzurePublicZone or AzurePrivateZone"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "clientID": "c", "tenantID": "t"] as ConfigValue,
                "providers[0].azureDNS.clientSecretSecretRef is required with clientID and tenantID"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "clientSecretSecretRef": ["name": "a", "key": "b"]] as ConfigValue,
                "providers[0].azureDNS.clientID is required with clientSecretSecretRef"
            ),
            (
                [
                    "subscriptionID": "s", "resourceGroupName": "rg", "clientID": "c", "tenantID": "t", "clientSecretSecretRef": ["name": "a", "key": "b"],
                    "managedIdentity": ["clientID": "m"],
                ] as ConfigValue,
                "providers[0].azureDNS.managedIdentity cannot be used together with clientID, clientSecretSecretRef and tenantID"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "managedIdentity": ["clientID": "m", "resourceID": "r"]] as ConfigValue,
                "providers[0].azureDNS.managedIdentity clientID and resourceID cannot both be set"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "managedIdentity": ["tenantID": "t", "resourceID": "r"]] as ConfigValue,
                "providers[0].azureDNS.managedIdentity.tenantID cannot be used with resourceID"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "managedIdentity": ["tenantID": "t"]] as ConfigValue,
                "providers[0].azureDNS.managedIdentity.clientID is required with managedIdentity.tenantID"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "managedIdentity": ["clientId": "m"]] as ConfigValue,
                "providers[0].azureDNS.managedIdentity has an unknown field \"clientId\" (did you mean \"clientID\"?)"
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "hostedZone": "example.com"] as ConfigValue,
                "providers[0].azureDNS has an unknown field \"hostedZone\""
            ),
            (
                ["subscriptionID": "s/../x", "resourceGroupName": "rg"] as ConfigValue,
                "providers[0].azureDNS.subscriptionID must be a name without \"/\""
            ),
            (
                ["subscriptionID": "s", "resourceGroupName": "rg", "endpoint": "management.azure.com"] as ConfigValue,
                "providers[0].azureDNS.endpoint must be an http or https URL such as https://management.azure.com"
            ),
        ])
    func mistakes(block: ConfigValue, expected: String) {
        let text = message(block)
        #expect(text?.hasPrefix(expected) == true, "\(text ?? "no error")")
    }
}

/// An Issuer may not send the webhook's token requests (with a client secret or a service
/// account token) or its Resource Manager calls (with a bearer token) to another host.
@Suite("azureDNS endpoints: Issuer policy")
struct AzureDNSPolicyTests {
    func block(_ field: String, _ url: String) -> ConfigValue {
        ["subscriptionID": "s", "resourceGroupName": "rg", .init(stringLiteral: field): .string(url)]
    }

    @Test("an Issuer may not point Resource Manager or the token endpoint elsewhere", arguments: ["endpoint", "authorityEndpoint"])
    func issuerRefused(field: String) {
        let error = #expect(throws: DNS01Error.self) {
            try AzureDNSConfiguration.decode(block(field, "https://127.0.0.1:8443"), at: .root.appending("azureDNS"), source: .issuerConfig())
        }
        #expect(error?.code == .forbiddenByPolicy)
        #expect(
            error?.message.hasPrefix(
                "azureDNS.\(field) \"https://127.0.0.1:8443\" is not allowed in an Issuer's config: the provider's official hosts are https://management.azure.com, https://login.microsoftonline.com, https://management.chinacloudapi.cn") == true,
            "\(error?.message ?? "")")
    }

    @Test(
        "an Issuer may name Azure's own hosts of every cloud",
        arguments: [
            ("endpoint", "https://management.azure.com"), ("endpoint", "https://management.chinacloudapi.cn/"), ("endpoint", "https://MANAGEMENT.usgovcloudapi.net"),
            ("authorityEndpoint", "https://login.microsoftonline.com/"), ("authorityEndpoint", "https://login.chinacloudapi.cn"), ("authorityEndpoint", "https://login.microsoftonline.us"),
        ])
    func official(field: String, url: String) throws {
        _ = try AzureDNSConfiguration.decode(block(field, url), at: .root, source: .issuerConfig())
    }

    @Test(
        "look-alike hosts are refused from an Issuer",
        arguments: [
            "https://management.azure.com.evil.net", "http://management.azure.com", "https://management.azure.com:8443", "https://evil.azure.com",
            "https://login.microsoftonline.com@evil.net", "https://blob.core.windows.net",
        ])
    func lookAlikes(url: String) {
        #expect(throws: DNS01Error.self) { try AzureDNSConfiguration.decode(block("endpoint", url), at: .root, source: .issuerConfig()) }
        #expect(throws: DNS01Error.self) { try AzureDNSConfiguration.decode(block("authorityEndpoint", url), at: .root, source: .issuerConfig()) }
    }

    @Test("the operator's config may, and so may an Issuer under the operator's allowedEndpoints")
    func operatorAllowed() throws {
        let local = block("authorityEndpoint", "http://127.0.0.1:8080")
        #expect(try AzureDNSConfiguration.decode(local, at: .root, source: .operatorConfig).authorityEndpoint?.description == "http://127.0.0.1:8080")
        let policy = IssuerPolicy(allowedEndpoints: [EndpointPrefix("http://127.0.0.1:8080/")!])
        #expect(try AzureDNSConfiguration.decode(local, at: .root, source: .issuerConfig(policy: policy)).authorityEndpoint?.authority == "127.0.0.1:8080")
    }
}
