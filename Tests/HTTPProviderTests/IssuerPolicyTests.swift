import DNS01
import Testing

/// The operator's allow-list of endpoints an Issuer may name, and the URL tricks it must not fall for.
@Suite("issuerPolicy.allowedEndpoints")
struct IssuerPolicyTests {
    static let policy = IssuerPolicy(allowedEndpoints: [
        EndpointPrefix("https://hooks.example.com/acme")!, EndpointPrefix("http://127.0.0.1:8080/")!,
    ])

    @Test("allows URLs under a prefix: same scheme, host and port, path at or below it", arguments: [
        "https://hooks.example.com/acme/present", "https://HOOKS.example.com/acme/team-a/cleanup",
        "https://hooks.example.com:443/acme/present", "https://hooks.example.com./acme/present",
        "http://127.0.0.1:8080/anything/present",
    ])
    func allowed(url: String) {
        #expect(Self.policy.allows(endpoint: url))
    }

    @Test("refuses everything else, including look-alikes and paths a server would normalise", arguments: [
        "https://hooks.example.com/acme-other/present", "https://hooks.example.com/present",
        "http://hooks.example.com/acme/present", "https://hooks.example.com:8443/acme/present",
        "https://hooks.example.com.evil.net/acme/present", "https://evil.net/hooks.example.com/acme/present",
        "https://hooks.example.com@evil.net/acme/present", "https://evil.net#@hooks.example.com/acme/",
        "https://hooks.example.com/acme/../admin/present", "https://hooks.example.com/acme/%2e%2e/admin/present",
        "https://hooks.example.com/acme\\..\\admin", "https://hooks.example.com/acme/present?next=evil",
        "http://127.0.0.1:80/present", "http://127.0.0.1/present", "ftp://hooks.example.com/acme/present",
    ])
    func refused(url: String) {
        #expect(!Self.policy.allows(endpoint: url))
    }

    @Test("no policy allows nothing")
    func denyAll() {
        #expect(!IssuerPolicy.denyAll.allows(endpoint: "https://hooks.example.com/acme/present"))
    }

    @Test("a bad allow-list entry is a config error naming it")
    func badEntry() {
        #expect(throws: DNS01Error(.invalidConfiguration, "issuerPolicy.allowedEndpoints[1] must be an http://, https:// or dns:// URL with a host and no user, query, fragment or ./.. segments, got \"hooks.example.com\"")) {
            try IssuerPolicy.operatorPolicy(in: ["issuerPolicy": ["allowedEndpoints": ["https://a.example/", "hooks.example.com"]]])
        }
    }
}
