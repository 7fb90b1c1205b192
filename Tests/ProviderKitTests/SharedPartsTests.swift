import DNS01
import Foundation
import ProviderKit
import Synchronization
import TestSupport
import Testing

private struct Zone: AccountZone, Equatable {
    var zoneName: DomainName
    var id: String
}

@Suite("ProviderKit: the zone finder, typed account keys and the credential refresh rule")
struct SharedPartsTests {
    @Test("the longest account zone holding the name wins; a name outside every zone finds none")
    func longestZone() async throws {
        let finder = ZoneFinder<Zone>(cache: .init())
        let zones = [Zone(zoneName: try DomainName("example.com"), id: "1"), Zone(zoneName: try DomainName("sub.example.com"), id: "2")]
        let account = AccountKey(endpoint: "https://api", identity: "a")
        let list: @Sendable () async throws -> [Zone] = { zones }
        #expect(try await finder.zones(holding: DomainName("_acme-challenge.www.sub.example.com"), account: account, list: list).matches.map(\.id) == ["2"])
        #expect(try await finder.zones(holding: DomainName("_acme-challenge.notsub.example.com"), account: account, list: list).matches.map(\.id) == ["1"])
        #expect(try await finder.zones(holding: DomainName("sub.example.com"), account: account, list: list).matches.map(\.id) == ["2"])
        let miss = try await finder.zones(holding: DomainName("example.org"), account: account, list: list)
        #expect(miss.matches.isEmpty && miss.accountZoneCount == 2)
    }

    @Test("one listing per account: concurrent lookups share it, another identity on the same endpoint gets its own")
    func cachedPerAccount() async throws {
        let finder = ZoneFinder<Zone>(cache: .init())
        let listings = Mutex(0)
        let list: @Sendable () async throws -> [Zone] = {
            listings.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(20))
            return [Zone(zoneName: try DomainName("example.com"), id: "1")]
        }
        let alice = AccountKey(endpoint: "https://api", identity: "alice")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await finder.zones(holding: DomainName("h\(index).example.com"), account: alice, list: list) }
            }
            try await group.waitForAll()
        }
        #expect(listings.withLock { $0 } == 1)
        _ = try await finder.zones(holding: DomainName("www.example.com"), account: AccountKey(endpoint: "https://api", identity: "bob"), list: list)
        #expect(listings.withLock { $0 } == 2)
    }

    @Test("a miss reloads the list once it is older than the floor, and not before")
    func reloadOnMiss() async throws {
        // The floor is measured on a clock the test moves, so a loaded machine cannot make it pass early.
        let clock = Mutex(ContinuousClock.now)
        let finder = ZoneFinder<Zone>(cache: .init(), reloadOnMissAfter: .seconds(30), now: { clock.withLock { $0 } })
        let zones = Mutex([Zone(zoneName: try DomainName("example.com"), id: "1")])
        let listings = Mutex(0)
        let list: @Sendable () async throws -> [Zone] = {
            listings.withLock { $0 += 1 }
            return zones.withLock { $0 }
        }
        let account = AccountKey(endpoint: "e", identity: "i")
        _ = try await finder.zones(holding: DomainName("www.example.com"), account: account, list: list)
        zones.withLock { $0.append(Zone(zoneName: try! DomainName("example.org"), id: "2")) }
        #expect(try await finder.zones(holding: DomainName("www.example.org"), account: account, list: list).matches.isEmpty)
        #expect(listings.withLock { $0 } == 1)
        clock.withLock { $0 = $0.advanced(by: .seconds(29)) }
        #expect(try await finder.zones(holding: DomainName("www.example.org"), account: account, list: list).matches.isEmpty)
        #expect(listings.withLock { $0 } == 1)
        clock.withLock { $0 = $0.advanced(by: .seconds(2)) }
        #expect(try await finder.zones(holding: DomainName("www.example.org"), account: account, list: list).matches.map(\.id) == ["2"])
        #expect(listings.withLock { $0 } == 2)
    }

    @Test("account keys differ by identity as well as endpoint")
    func accountKeys() {
        let a = AccountKey(endpoint: "https://api", identity: "alice")
        #expect(a != AccountKey(endpoint: "https://api", identity: "bob"))
        #expect(AccountScopedKey(a, "Z1") != AccountScopedKey(AccountKey(endpoint: "https://api", identity: "bob"), "Z1"))
        #expect(AccountScopedKey(a, "Z1") == AccountScopedKey(AccountKey(endpoint: "https://api", identity: "alice"), "Z1"))
    }

    @Test(
        "credentials are replaced a fifth of their life before expiry, at least a minute and at most five, never past half",
        arguments: [
            (Int64(43_200), Int64(42_900)), (Int64(3600), Int64(3300)), (Int64(900), Int64(720)), (Int64(300), Int64(240)), (Int64(120), Int64(60)),
            (Int64(60), Int64(30)), (Int64(0), Int64(0)), (Int64(-1), Int64(0)),
        ])
    func refresh(remaining: Int64, reuse: Int64) {
        #expect(CredentialRefresh.reuseSeconds(remaining: remaining) == reuse)
    }

    @Test("exchanged credentials are reused until the refresh rule says so, then exchanged again; a wall-clock jump forces an exchange")
    func exchangedCredentialsRefresh() async throws {
        let cache = ExpiringCache<String, ExchangedCredentials<Int>>()
        let clock = Mutex<Int64>(1_000)
        let exchanges = Mutex(0)
        let exchange: @Sendable () async throws -> (credentials: Int, expiresAt: Int64) = {
            let count = exchanges.withLock { count in
                count += 1
                return count
            }
            return (count, clock.withLock { $0 } + 3600)
        }
        let now: @Sendable () -> Int64 = { clock.withLock { $0 } }
        #expect(try await cache.exchangedCredentials(for: "role", epochSeconds: now, exchange: exchange) == 1)
        clock.withLock { $0 += 3299 }
        #expect(try await cache.exchangedCredentials(for: "role", epochSeconds: now, exchange: exchange) == 1)
        clock.withLock { $0 += 1 }
        #expect(try await cache.exchangedCredentials(for: "role", epochSeconds: now, exchange: exchange) == 2)
        #expect(try await cache.exchangedCredentials(for: "other role", epochSeconds: now, exchange: exchange) == 3)
    }

    @Test("the credential environment treats blank as unset and names the half-configured variables")
    func credentialEnvironment() throws {
        let environment = CredentialEnvironment(["A": " a ", "B": "  ", "C": "c"])
        #expect(environment["A"] == "a")
        #expect(environment["B"] == nil)
        #expect(try environment.allOrNone(["A", "C"]) == ["a", "c"])
        #expect(try environment.allOrNone(["B", "D"]) == nil)
        #expect(throws: DNS01Error.self) { try environment.allOrNone(["A", "B", "D"]) }
        do {
            _ = try environment.allOrNone(["A", "B", "D"])
        } catch {
            #expect(error.message == "A set in the environment, but not B and D")
        }
    }

    @Test("a projected token file is read trimmed; missing or empty files are named with their variable")
    func projectedTokenFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/token"
        try "eyJ.token\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = ProjectedTokenFile(path: path, origin: "TOKEN_FILE")
        #expect(try file.read(mechanism: "OIDC", kind: "service account", hint: "is it mounted?") == "eyJ.token")
        try "\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: DNS01Error.self) { try file.read(mechanism: "OIDC", kind: "service account", hint: "is it mounted?") }
        let missing = ProjectedTokenFile(path: "\(directory)/none", origin: "TOKEN_FILE")
        do {
            _ = try missing.read(mechanism: "OIDC", kind: "service account", hint: "is it mounted?")
            Issue.record("a missing token file was read")
        } catch {
            #expect(error.message == "OIDC: cannot read the service account token file \(directory)/none (TOKEN_FILE); is it mounted?")
        }
    }

    @Test("a reset time far in the future waits a day at most, and a non-finite one is ignored, instead of trapping")
    func resetTimeBounds() {
        let far = APIResponse(status: 429, headers: [.init("RateLimit-Reset", "1e300")], body: [])
        #expect(RetryAfter.untilEpoch(header: "ratelimit-reset", in: far, nowEpochSeconds: 0) == .seconds(86_400))
        let infinite = APIResponse(status: 429, headers: [.init("RateLimit-Reset", "inf")], body: [])
        #expect(RetryAfter.untilEpoch(header: "ratelimit-reset", in: infinite, nowEpochSeconds: 0) == nil)
        let soon = APIResponse(status: 429, headers: [.init("RateLimit-Reset", "1002.5")], body: [])
        #expect(RetryAfter.untilEpoch(header: "ratelimit-reset", in: soon, nowEpochSeconds: 1000) == .milliseconds(2500))
    }
}
