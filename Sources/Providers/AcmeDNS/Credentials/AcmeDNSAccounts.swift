import DNS01
import Foundation
import ProviderKit

/// One acme-dns account: what `/register` answered, as cert-manager's accounts JSON keeps it.
struct AcmeDNSAccount: Decodable, Sendable, Hashable {
    var username: String
    var password: SecretValue
    var fulldomain: String?
    var subdomain: String

    enum CodingKeys: String, CodingKey { case username, password, fulldomain, subdomain }

    init(username: String, password: SecretValue, fulldomain: String?, subdomain: String) {
        self.username = username
        self.password = password
        self.fulldomain = fulldomain
        self.subdomain = subdomain
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decode(String.self, forKey: .username)
        password = SecretValue(try container.decode(String.self, forKey: .password))
        fulldomain = try container.decodeIfPresent(String.self, forKey: .fulldomain)
        subdomain = try container.decode(String.self, forKey: .subdomain)
    }
}

/// The accounts JSON of the Secret `accountSecretRef` names: domain → account. Extra fields
/// (`allowfrom`, `server_url`) are ignored, as cert-manager ignores them.
struct AcmeDNSAccounts: Sendable {
    /// By the domain in canonical form (lower case, no trailing dot, punycode).
    let accounts: [String: AcmeDNSAccount]
    /// "the accounts in secret team-a/acme-dns key acmedns.json (acmeDNS.accountSecretRef)".
    let origin: String

    static func load(_ configuration: AcmeDNSConfiguration, context: ProviderContext) async throws -> AcmeDNSAccounts {
        let field = configuration.path.appending("accountSecretRef")
        let reference = configuration.accountSecretRef
        let value = try await context.secret(reference, field: field)
        let origin = "the accounts in secret \(context.namespace)/\(reference.name) key \"\(reference.key)\" (\(field))"
        let document: [String: AcmeDNSAccount]
        do {
            document = try JSONDecoder().decode([String: AcmeDNSAccount].self, from: Data(value.bytes))
        } catch {
            throw DNS01Error(.credentialsUnavailable, "\(origin) are not an acme-dns accounts JSON document (an object mapping each domain to {username, password, fulldomain, subdomain}, as acme-dns's /register answers): \(Self.reason(error))")
        }
        var accounts: [String: AcmeDNSAccount] = [:]
        for (domain, account) in document {
            accounts[(try? DomainName(domain).name) ?? domain.lowercased()] = account
        }
        return AcmeDNSAccounts(accounts: accounts, origin: origin)
    }

    /// The account for a challenge's domain: the domain as given, then without a leading `*.`
    /// (cert-manager looks up the domain with any `*.` removed).
    func account(for domain: DomainName) throws(DNS01Error) -> AcmeDNSAccount {
        for candidate in [domain, domain.strippingWildcard] {
            if let account = accounts[candidate.name] { return account }
        }
        let known = accounts.keys.sorted().prefix(10).joined(separator: ", ")
        throw DNS01Error(.credentialsUnavailable, "\(origin) hold no account for \(domain.strippingWildcard.name) (they have: \(known.isEmpty ? "none" : known)): register one with acme-dns, add it under that domain, and point _acme-challenge.\(domain.strippingWildcard.name) at its fulldomain with a CNAME")
    }

    /// What is wrong with the JSON, in words (a decoding error's case names mean nothing to users).
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "it is not JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath)) has no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "it is not a JSON object of accounts" : "\(path(context.codingPath)) is not a string"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "it is not valid JSON" : "\(path(context.codingPath)) is not valid"
        @unknown default:
            return "it is not valid"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "the document" : "the account " + codingPath.map { "\"\($0.stringValue)\"" }.joined(separator: ".")
    }
}
