import DNS01
import Logging
import ProviderKit

/// One challenge's acme-dns provider: Present sends the value to the account of the
/// challenge's domain; CleanUp succeeds and changes nothing, as in cert-manager.
///
/// acme-dns keeps exactly two TXT values per account (each update replaces the older of the
/// two), has no delete and no read API. So an apex and a wildcard challenge coexist, a third
/// concurrent value evicts the oldest, and values stay until replaced; the descriptor's
/// `limitations` say so, and `check` and the contract suite report what cannot hold.
struct AcmeDNSDNSProvider: DNSProvider {
    let client: AcmeDNSClient
    let accounts: AcmeDNSAccounts
    let logger: Logger

    func present(_ challenge: Challenge) async throws {
        let account = try accounts.account(for: challenge.dnsName)
        do {
            try await client.update(account, value: challenge.key)
        } catch {
            throw failure(error, account: account, domain: challenge.dnsName)
        }
        logger.debug("acme-dns TXT value updated", metadata: ["domain": "\(challenge.dnsName)", "fulldomain": "\(account.fulldomain ?? account.subdomain)"])
    }

    func cleanUp(_ challenge: Challenge) async throws {
        // acme-dns cannot delete a value: the next update replaces it. The account must still
        // exist, so a mistake in the accounts JSON shows up here too.
        _ = try accounts.account(for: challenge.dnsName)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        throw DNS01Error(.providerRejected, "acme-dns has no API to read TXT values back: check through DNS instead (check --nameserver with the acme-dns server's DNS address)")
    }

    private func failure(_ error: any Error, account: AcmeDNSAccount, domain: DomainName) -> DNS01Error {
        let name = domain.strippingWildcard.name
        switch error {
        case let error as AcmeDNSAPIError:
            switch (error.status, error.code) {
            case (401, _):
                return DNS01Error(.credentialsUnavailable, "acme-dns at \(client.host) refused the account for \(name) in \(accounts.origin) (\(error)): its username, password and subdomain must be those /register answered, and this webhook's address must be within the account's allowfrom")
            case (400, "bad_txt"):
                return DNS01Error(.invalidChallenge, "acme-dns at \(client.host) refused the value for \(name) (\(error)): acme-dns accepts only ACME DNS-01 values (43 base64url characters)")
            case (429, _):
                return DNS01Error(.providerUnavailable, "acme-dns at \(client.host) kept throttling updates (\(error)) through every retry; cert-manager will try again")
            case (500..., _):
                return DNS01Error(.providerUnavailable, "acme-dns at \(client.host) kept failing updates with \(error) through every retry; cert-manager will try again")
            default:
                return DNS01Error(.providerRejected, "acme-dns at \(client.host) refused the update for \(name) (\(error)): is host the acme-dns API's URL?")
            }
        case let error as TransportError:
            return DNS01Error(.providerUnavailable, "cannot reach acme-dns at \(client.host): \(error.underlying)")
        default:
            return DNS01Error.wrapping(error, context: "acme-dns at \(client.host)")
        }
    }
}
