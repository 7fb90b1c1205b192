import Crypto
import DNS01
import Logging
import ProviderKit

/// One challenge's Route53 provider: credentials resolved, client built. Present and CleanUp
/// write cert-manager's multivalue TXT sets through the zone's change batcher.
struct Route53DNSProvider: DNSProvider {
    let configuration: Route53Configuration
    let client: Route53Client
    /// The endpoint and where the credentials came from; zone lists and change batches are
    /// shared only within one account.
    let account: AccountKey
    let state: Route53PluginState
    let zoneFinder: ZoneFinder<PublicHostedZone>
    let syncWaiter: ChangeSyncWaiter
    let logger: Logger

    /// cert-manager's TTL for challenge records.
    static let ttl = 10

    func present(_ challenge: Challenge) async throws {
        try await change(.upsert, challenge)
    }

    func cleanUp(_ challenge: Challenge) async throws {
        try await change(.delete, challenge)
    }

    func txtValues(at fqdn: DomainName, zone: DomainName?) async throws -> [String] {
        let zoneID = try await hostedZoneID(for: fqdn)
        let zoneKey = Route53PluginState.ZoneKey(account, zoneID)
        if let pending = state.pendingChange(zoneKey: zoneKey) {
            try await syncWaiter.waitUntilInSync(pending, client: client)
            state.markInSync(pending, zoneKey: zoneKey)
        }
        var values: [String] = []
        var start = (name: fqdn.fqdn, identifier: String?.none)
        do {
            for _ in 0..<100 {
                let page = try await client.listResourceRecordSets(zoneID: zoneID, name: start.name, type: "TXT", identifier: start.identifier)
                // Listing starts at the name; it is not a filter.
                for set in page.recordSets where set.type == "TXT" && set.name.route53Canonical == fqdn.fqdn {
                    values += set.values.map(TXTRecord.unquoted)
                }
                guard page.isTruncated, let next = page.nextRecordName, next.route53Canonical == fqdn.fqdn, page.nextRecordType == "TXT" else { break }
                start = (next, page.nextRecordIdentifier)
            }
        } catch {
            throw DNS01Error.route53(error, context: "route53: failed to list Route 53 record sets")
        }
        return values
    }

    private func change(_ action: TXTChange.Action, _ challenge: Challenge) async throws {
        let quoted = TXTRecord.quoted(challenge.key)
        guard XMLNode.isRepresentable(quoted) else {
            throw DNS01Error(.invalidChallenge, "route53: the challenge key contains characters Route 53 cannot store")
        }
        let zoneID = try await hostedZoneID(for: challenge.resolvedFQDN)
        let change = TXTChange(action: action, name: challenge.resolvedFQDN.fqdn, quotedValue: quoted, setIdentifier: Self.setIdentifier(for: quoted), ttl: Self.ttl)
        let batcher = state.batcher(for: AccountScopedKey(account, zoneID))
        let client = self.client
        let outcome: ChangeBatcher.Outcome
        do {
            outcome = try await batcher.apply(change) { changes in
                try await client.changeResourceRecordSets(zoneID: zoneID, changes: changes)
            }
        } catch {
            if (error as? AWSServiceError)?.code == "NoSuchHostedZone" {
                zoneFinder.invalidate(account)
            }
            throw DNS01Error.route53(error, context: "route53: failed to change Route 53 record set")
        }
        let zoneKey = Route53PluginState.ZoneKey(account, zoneID)
        switch outcome {
        case .alreadyDeleted:
            logger.debug("route53: record set already gone", metadata: ["zone": "\(zoneID)", "name": "\(change.name)"])
        case .applied(let info):
            logger.debug("route53: change accepted", metadata: ["zone": "\(zoneID)", "name": "\(change.name)", "action": "\(action.rawValue)", "change": "\(info.id)"])
            guard !info.isInSync else { break }
            state.notePending(info.id, zoneKey: zoneKey)
            if configuration.waitForInSync {
                try await syncWaiter.waitUntilInSync(info.id, client: client)
                state.markInSync(info.id, zoneKey: zoneKey)
            }
        }
    }

    /// The configured zone, or the longest public zone holding the name.
    private func hostedZoneID(for name: DomainName) async throws -> String {
        if let configured = configuration.hostedZoneID { return configured }
        do {
            let (matches, _) = try await zoneFinder.zones(holding: name, account: account) { [client] in try await client.publicHostedZones() }
            guard let match = matches.first else {
                throw DNS01Error(.zoneNotFound, "route53: no public hosted zone in Route 53 for domain \(name.fqdn) (private zones are used only when hostedZoneID names them)")
            }
            guard matches.count == 1 else {
                let ids = matches.map(\.zone.id).sorted().joined(separator: ", ")
                throw DNS01Error(.zoneNotFound, "route53: several public hosted zones are named \(match.zoneName.fqdn) (\(ids)); set hostedZoneID to choose one")
            }
            return match.zone.id
        } catch {
            throw DNS01Error.route53(error, context: "route53: failed to find the hosted zone for \(name.fqdn)")
        }
    }

    /// cert-manager's SetIdentifier is the quoted value. Route53 caps SetIdentifier at 128
    /// characters, which ACME values (45 quoted) never reach; a longer value gets a digest.
    static func setIdentifier(for quotedValue: String) -> String {
        guard quotedValue.count > 128 else { return quotedValue }
        return "sha256:" + Array(SHA256.hash(data: Array(quotedValue.utf8))).hexString
    }
}
