import DNS01
import ProviderKit

/// The `azureDNS` block: cert-manager's built-in `azureDNS` solver's fields with the same
/// meaning, so an Issuer moving here keeps its config:
///
/// ```yaml
/// azureDNS:
///   subscriptionID: 11111111-2222-4333-8444-555555555555
///   resourceGroupName: dns-rg
///   hostedZoneName: example.com            # optional; otherwise the longest zone of the group
///   environment: AzurePublicCloud          # AzureChinaCloud, AzureUSGovernmentCloud
///   # a service principal …
///   clientID: a1a1a1a1-…
///   clientSecretSecretRef: {name: azuredns-config, key: client-secret}
///   tenantID: 72f988bf-…
///   # … or, with ambient credentials, workload identity or a managed identity:
///   managedIdentity: {clientID: …}          # or {resourceID: …}
///   endpoint: https://management.azure.com          # optional override (operator only)
///   authorityEndpoint: https://login.microsoftonline.com   # optional override (operator only)
/// ```
public struct AzureDNSConfiguration: Sendable, Hashable {
    /// How the block authenticates.
    public enum Credentials: Sendable, Hashable {
        /// `clientID`, `clientSecretSecretRef` and `tenantID`: a service principal's secret.
        case clientSecret(clientID: String, tenantID: String, secret: SecretReference)
        /// No service principal: ambient credentials (workload identity, then the managed
        /// identity), optionally narrowed by `managedIdentity`.
        case ambient(ManagedIdentity)
    }

    /// `managedIdentity`: which identity to use when several are available.
    public struct ManagedIdentity: Sendable, Hashable {
        public var clientID: String?
        public var resourceID: String?
        public var tenantID: String?

        public init(clientID: String? = nil, resourceID: String? = nil, tenantID: String? = nil) {
            self.clientID = clientID
            self.resourceID = resourceID
            self.tenantID = tenantID
        }
    }

    public var subscriptionID: String
    public var resourceGroupName: String
    public var hostedZoneName: DomainName?
    public var cloud: AzureCloud
    /// Whether the block names its cloud; if not, workload identity's `AZURE_AUTHORITY_HOST`
    /// decides the authority.
    public var environmentGiven: Bool
    public var credentials: Credentials
    /// Resource Manager's base URL.
    public var endpoint: BaseURL
    /// Entra ID's authority host, when the block overrides it.
    public var authorityEndpoint: BaseURL?
    /// Where the block sits in its document, for messages.
    public var path: ConfigPath

    /// cert-manager's TTL for a new record set.
    public static let ttl = 60

    public init(
        subscriptionID: String, resourceGroupName: String, hostedZoneName: DomainName? = nil, cloud: AzureCloud = .publicCloud,
        environmentGiven: Bool = false, credentials: Credentials, endpoint: BaseURL? = nil, authorityEndpoint: BaseURL? = nil, path: ConfigPath = .root
    ) {
        self.subscriptionID = subscriptionID
        self.resourceGroupName = resourceGroupName
        self.hostedZoneName = hostedZoneName
        self.cloud = cloud
        self.environmentGiven = environmentGiven
        self.credentials = credentials
        self.endpoint = endpoint ?? cloud.resourceManager
        self.authorityEndpoint = authorityEndpoint
        self.path = path
    }

    /// Decodes and validates a block with cert-manager's rules, worded after the field path.
    public static func decode(_ block: ConfigValue, at path: ConfigPath, source: ConfigSource) throws(DNS01Error) -> AzureDNSConfiguration {
        var reader = try ConfigReader(block, at: path)
        let official = AzureDNSPlugin.descriptor.officialHosts
        let subscriptionID = try reader.optionalString("subscriptionID")?.trimmingWhitespace() ?? ""
        let resourceGroupName = try reader.optionalString("resourceGroupName")?.trimmingWhitespace() ?? ""
        let hostedZoneText = try reader.optionalString("hostedZoneName")?.trimmingWhitespace()
        let environment = try reader.optionalString("environment")?.trimmingWhitespace()
        let zoneType = try reader.optionalString("zoneType")?.trimmingWhitespace()
        let clientID = try reader.optionalString("clientID")?.trimmingWhitespace()
        let secretRef = try reader.optionalSecretReference("clientSecretSecretRef")
        let tenantID = try reader.optionalString("tenantID")?.trimmingWhitespace()
        let identityReader = try reader.optionalObject("managedIdentity")
        let endpoint = try reader.optionalBaseURL("endpoint", official: official, source: source, example: "https://management.azure.com")
        let authority = try reader.optionalBaseURL("authorityEndpoint", official: official, source: source, example: "https://login.microsoftonline.com")
        try reader.finish()

        guard !subscriptionID.isEmpty else { throw reader.missing("subscriptionID") }
        guard !resourceGroupName.isEmpty else { throw reader.missing("resourceGroupName") }
        for (field, value) in [("subscriptionID", subscriptionID), ("resourceGroupName", resourceGroupName)] where !isPathSegment(value) {
            throw DNS01Error.invalidConfiguration(at: path.appending(field), "must be a name without \"/\", spaces or control characters, got \"\(value)\"")
        }
        let hostedZoneName: DomainName?
        if let hostedZoneText, !hostedZoneText.isEmpty {
            do {
                hostedZoneName = try DomainName(hostedZoneText)
            } catch {
                throw DNS01Error.invalidConfiguration(at: path.appending("hostedZoneName"), "must be a DNS zone name such as example.com: \(error.message)")
            }
        } else {
            hostedZoneName = nil
        }
        let cloud = try cloud(named: environment, at: path.appending("environment"))
        try checkZoneType(zoneType, at: path.appending("zoneType"))

        var identity: ManagedIdentity?
        if var identityReader {
            identity = ManagedIdentity(
                clientID: try identityReader.optionalString("clientID")?.trimmingWhitespace().nonEmpty,
                resourceID: try identityReader.optionalString("resourceID")?.trimmingWhitespace().nonEmpty,
                tenantID: try identityReader.optionalString("tenantID")?.trimmingWhitespace().nonEmpty
            )
            try identityReader.finish()
        }

        let credentials: Credentials
        let servicePrincipalFields = [("clientID", clientID?.nonEmpty != nil), ("clientSecretSecretRef", secretRef != nil), ("tenantID", tenantID?.nonEmpty != nil)]
        if servicePrincipalFields.contains(where: \.1) {
            if identity != nil {
                throw DNS01Error.invalidConfiguration(
                    at: path.appending("managedIdentity"), "cannot be used together with clientID, clientSecretSecretRef and tenantID: keep the service principal's three fields, or managedIdentity alone")
            }
            if let missing = servicePrincipalFields.first(where: { !$0.1 }) {
                let given = servicePrincipalFields.filter(\.1).map(\.0).joined(separator: " and ")
                throw DNS01Error.invalidConfiguration(at: path.appending(missing.0), "is required with \(given): a service principal needs clientID, clientSecretSecretRef and tenantID")
            }
            guard let clientID, let tenantID, let secretRef else { throw reader.missing("clientID") }
            credentials = .clientSecret(clientID: clientID, tenantID: tenantID, secret: secretRef)
        } else {
            let identity = identity ?? ManagedIdentity()
            let identityPath = path.appending("managedIdentity")
            if identity.clientID != nil, identity.resourceID != nil {
                throw DNS01Error.invalidConfiguration(at: identityPath, "clientID and resourceID cannot both be set: name the identity by one of them")
            }
            if identity.tenantID != nil, identity.resourceID != nil {
                throw DNS01Error.invalidConfiguration(at: identityPath.appending("tenantID"), "cannot be used with resourceID (it applies to workload identity, which names the identity by clientID)")
            }
            if identity.tenantID != nil, identity.clientID == nil {
                throw DNS01Error.invalidConfiguration(at: identityPath.appending("clientID"), "is required with managedIdentity.tenantID")
            }
            credentials = .ambient(identity)
        }
        return AzureDNSConfiguration(
            subscriptionID: subscriptionID, resourceGroupName: resourceGroupName, hostedZoneName: hostedZoneName, cloud: cloud,
            environmentGiven: environment?.nonEmpty != nil, credentials: credentials, endpoint: endpoint, authorityEndpoint: authority, path: path
        )
    }

    private static func cloud(named name: String?, at path: ConfigPath) throws(DNS01Error) -> AzureCloud {
        guard let name, !name.isEmpty else { return .publicCloud }
        if let cloud = AzureCloud.byName[name] { return cloud }
        if name == "AzureGermanCloud" {
            throw DNS01Error.invalidConfiguration(
                at: path,
                "AzureGermanCloud is no longer served: Microsoft closed Azure Germany in 2021 and its zones moved to the public cloud (cert-manager accepts the name but fails every challenge with \"unknown cloud configuration name\"); use AzurePublicCloud"
            )
        }
        throw DNS01Error.invalidConfiguration(at: path, "must be either empty or one of AzurePublicCloud, AzureChinaCloud or AzureUSGovernmentCloud, got \"\(name)\"")
    }

    private static func checkZoneType(_ zoneType: String?, at path: ConfigPath) throws(DNS01Error) {
        switch zoneType {
        case nil, "", "AzurePublicZone": return
        case "AzurePrivateZone":
            throw DNS01Error.invalidConfiguration(
                at: path,
                "AzurePrivateZone is not supported: private DNS zones are not resolvable by the ACME server, so a DNS-01 challenge cannot be solved in one (cert-manager's support is experimental); use the public zone that the ACME server sees")
        default:
            throw DNS01Error.invalidConfiguration(at: path, "must be either empty or one of AzurePublicZone or AzurePrivateZone, got \"\(zoneType ?? "")\"")
        }
    }

    /// Entra ID's rule for a tenant in an authority URL (letters, digits, `-` and `.`), checked
    /// when a token is requested, as azure-identity does: cert-manager loads such a block and
    /// fails its challenges. `what` names where the tenant came from.
    static func checkTenant(_ tenant: String, what: String) throws(DNS01Error) {
        let valid = tenant.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == ".")
        }
        guard !tenant.isEmpty, valid else {
            throw DNS01Error(.credentialsUnavailable, "\(what) must be a tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com, got \"\(tenant)\"")
        }
    }

    /// Something that goes into a Resource Manager path as one segment.
    static func isPathSegment(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x21 || $0.value == 0x7F }
    }
}

extension String {
    /// The string, or `nil` when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
