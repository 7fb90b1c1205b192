import NIOHTTP1
import Testing
import TestSupport
@testable import WebhookServer

@Suite("Request classification (Kubernetes RequestInfo)")
struct EndpointTests {
    let group = "acme.example.com"

    @Test("a POST to a solver is create on that resource in the group")
    func solver() {
        let (endpoint, attributes) = Endpoint.classify(method: .POST, path: "/apis/acme.example.com/v1alpha1/memory", group: group)
        #expect(endpoint == .solver("memory"))
        #expect(attributes == .resource(verb: "create", group: group, version: "v1alpha1", resource: "memory", name: nil, subresource: nil))
    }

    @Test("discovery paths are non-resource gets")
    func discovery() {
        #expect(Endpoint.classify(method: .GET, path: "/apis", group: group).0 == .groupList)
        #expect(Endpoint.classify(method: .GET, path: "/apis/acme.example.com", group: group).0 == .group)
        let (endpoint, attributes) = Endpoint.classify(method: .GET, path: "/apis/acme.example.com/v1alpha1", group: group)
        #expect(endpoint == .resourceList)
        #expect(attributes == .nonResource(path: "/apis/acme.example.com/v1alpha1", verb: "get"))
    }

    @Test("health paths and their checks are recognised", arguments: ["/healthz", "/livez", "/readyz", "/readyz/shutdown"])
    func health(path: String) {
        guard case .health = Endpoint.classify(method: .GET, path: path, group: group).0 else {
            Issue.record("\(path) is not a health endpoint")
            return
        }
    }

    @Test("another group, another version or a deeper path is unknown but still a resource request")
    func unknown() {
        #expect(Endpoint.classify(method: .POST, path: "/apis/other.example.com/v1alpha1/memory", group: group).0 == .unknown)
        #expect(Endpoint.classify(method: .POST, path: "/apis/acme.example.com/v1/memory", group: group).0 == .unknown)
        let (endpoint, attributes) = Endpoint.classify(method: .GET, path: "/apis/acme.example.com/v1alpha1/memory/x", group: group)
        #expect(endpoint == .unknown)
        #expect(attributes == .resource(verb: "get", group: group, version: "v1alpha1", resource: "memory", name: "x", subresource: nil))
        #expect(Endpoint.classify(method: .GET, path: "/openapi/v2", group: group).0 == .unknown)
        #expect(Endpoint.classify(method: .GET, path: "/apis/other.example.com", group: group).0 == .unknown)
    }

    @Test("segments are split on slashes, empty ones dropped, like the Kubernetes RequestInfo")
    func segments() {
        #expect(Endpoint.classify(method: .POST, path: "//apis//acme.example.com/v1alpha1/memory/", group: group).0 == .solver("memory"))
        #expect(Endpoint.classify(method: .GET, path: "/apis/", group: group).0 == .groupList)
        #expect(Endpoint.classify(method: .GET, path: "/", group: group).0 == .unknown)
        #expect(Endpoint.classify(method: .GET, path: "", group: group).0 == .unknown)
        #expect(Endpoint.classify(method: .GET, path: "/healthz/ping", group: group).0 == .health(.healthz, check: "ping"))
        #expect(Endpoint.classify(method: .GET, path: "/healthz/ping/more", group: group).0 == .unknown)
        #expect(Endpoint.classify(method: .POST, path: "/apis/acme.example.com/v1alpha1/mémoire", group: group).0 == .solver("mémoire"))
        let deep = PathSegments("/a/bb/ccc/dddd/e/f")
        #expect(deep.count == 6)
        #expect([deep[0], deep[1], deep[2], deep[3]] == ["a", "bb", "ccc", "dddd"])
        #expect(PathSegments("///").count == 0 && PathSegments("///").first == nil)
    }
}
