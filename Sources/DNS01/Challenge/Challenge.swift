/// One DNS-01 challenge step, the same value whether it came over HTTP from cert-manager or
/// from the command line. Nothing below the dispatcher knows which.
public struct Challenge: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case present = "Present"
        case cleanUp = "CleanUp"
    }

    public var action: Action
    /// Echoed back to cert-manager; cert-manager itself always sends "".
    public var uid: String
    /// The domain being validated (`example.com`, or `*.example.com` from the CLI). cert-manager
    /// sends the non-wildcard name for wildcard certificates.
    public var dnsName: DomainName
    /// Where the TXT record goes (`_acme-challenge.example.com.`, or a CNAME target).
    public var resolvedFQDN: DomainName
    /// cert-manager's SOA-derived zone; a hint only (it can be a TLD behind split DNS).
    public var resolvedZone: DomainName?
    /// The TXT value to add or remove.
    public var key: String
    /// The namespace Secret references resolve in.
    public var resourceNamespace: String
    /// Whether ambient credentials (environment, IRSA, RRSA, …) may be used.
    public var allowAmbientCredentials: Bool
    /// The Issuer's `webhook.config`, if any.
    public var config: ConfigValue?

    public init(
        action: Action,
        uid: String = "",
        dnsName: DomainName,
        resolvedFQDN: DomainName,
        resolvedZone: DomainName? = nil,
        key: String,
        resourceNamespace: String,
        allowAmbientCredentials: Bool = false,
        config: ConfigValue? = nil
    ) {
        self.action = action
        self.uid = uid
        self.dnsName = dnsName
        self.resolvedFQDN = resolvedFQDN
        self.resolvedZone = resolvedZone
        self.key = key
        self.resourceNamespace = resourceNamespace
        self.allowAmbientCredentials = allowAmbientCredentials
        self.config = config
    }

    /// The conventional record name for a domain: `_acme-challenge.<domain without *.>`.
    public static func recordName(for domain: DomainName) throws(DNS01Error) -> DomainName {
        try domain.strippingWildcard.prepending("_acme-challenge")
    }

    /// Checks what every provider relies on: a key to write, a name to write it at.
    public func validate() throws(DNS01Error) {
        guard !key.isEmpty else { throw DNS01Error(.invalidChallenge, "challenge key is empty") }
        guard key.utf8.count <= 4096, !key.contains(where: { $0.isNewline }) else {
            throw DNS01Error(.invalidChallenge, "challenge key must be a single line of at most 4096 bytes")
        }
        guard !resolvedFQDN.isRoot else { throw DNS01Error(.invalidChallenge, "resolvedFQDN is empty") }
        guard !resourceNamespace.isEmpty else { throw DNS01Error(.invalidChallenge, "resourceNamespace is empty") }
    }
}
