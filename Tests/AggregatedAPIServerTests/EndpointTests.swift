import NIOHTTP1
import Testing
import TestSupport
@testable import AggregatedAPIServer

@Suite("Request classification (Kubernetes RequestInfo)")
struct EndpointTests {
    let group = "acme.example.com"
    let apis = ServedAPIs([
        StubResource(group: "acme.example.com", version: "v1alpha1", names: ["memory", "dispatch"]),
        StubResource(group: "acme.example.com", version: "v1beta1", names: ["memory"]),
        StubResource(group: "other.example.org", version: "v1", names: ["things"]),
    ])

    private func classify(_ method: HTTPMethod, _ path: String) -> (Endpoint, AuthorizationAttributes) {
        Endpoint.classify(method: method, path: path, apis: apis)
    }

    @Test("a POST to a resource is create on that resource in the group")
    func resource() {
        let (endpoint, attributes) = classify(.POST, "/apis/acme.example.com/v1alpha1/memory")
        #expect(endpoint == .resource(0, name: "memory"))
        #expect(attributes == .resource(verb: "create", group: group, version: "v1alpha1", resource: "memory", name: nil, subresource: nil))
        #expect(classify(.POST, "/apis/other.example.org/v1/things").0 == .resource(2, name: "things"))
        // A name not served still addresses the group version (404 after authorization).
        #expect(classify(.POST, "/apis/acme.example.com/v1beta1/dispatch").0 == .resource(1, name: "dispatch"))
    }

    @Test("discovery paths are non-resource gets")
    func discovery() {
        #expect(classify(.GET, "/apis").0 == .groupList)
        #expect(classify(.GET, "/apis/acme.example.com").0 == .group(0))
        #expect(classify(.GET, "/apis/other.example.org").0 == .group(1))
        let (endpoint, attributes) = classify(.GET, "/apis/acme.example.com/v1alpha1")
        #expect(endpoint == .resourceList(0))
        #expect(attributes == .nonResource(path: "/apis/acme.example.com/v1alpha1", verb: "get"))
        #expect(classify(.GET, "/apis/acme.example.com/v1beta1").0 == .resourceList(1))
    }

    @Test("versions and groups are listed in the order registered, versions under their group")
    func servedAPIs() {
        #expect(apis.groups.map(\.name) == ["acme.example.com", "other.example.org"])
        #expect(apis.groups.map(\.versions) == [["v1alpha1", "v1beta1"], ["v1"]])
        #expect(apis.summary.hasPrefix(#"group "acme.example.com" version v1alpha1 with stubs: memory, dispatch; "#))
    }

    @Test("health paths and their checks are recognised", arguments: ["/healthz", "/livez", "/readyz", "/readyz/shutdown"])
    func health(path: String) {
        guard case .health = classify(.GET, path).0 else {
            Issue.record("\(path) is not a health endpoint")
            return
        }
    }

    @Test("another group, another version or a deeper path is unknown but still a resource request")
    func unknown() {
        #expect(classify(.POST, "/apis/other.example.com/v1alpha1/memory").0 == .unknown)
        #expect(classify(.POST, "/apis/acme.example.com/v1/memory").0 == .unknown)
        let (endpoint, attributes) = classify(.GET, "/apis/acme.example.com/v1alpha1/memory/x")
        #expect(endpoint == .unknown)
        #expect(attributes == .resource(verb: "get", group: group, version: "v1alpha1", resource: "memory", name: "x", subresource: nil))
        #expect(classify(.GET, "/openapi/v2").0 == .unknown)
        #expect(classify(.GET, "/apis/other.example.com").0 == .unknown)
    }

    @Test("segments are split on slashes, empty ones dropped, like the Kubernetes RequestInfo")
    func segments() {
        #expect(classify(.POST, "//apis//acme.example.com/v1alpha1/memory/").0 == .resource(0, name: "memory"))
        #expect(classify(.GET, "/apis/").0 == .groupList)
        #expect(classify(.GET, "/").0 == .unknown)
        #expect(classify(.GET, "").0 == .unknown)
        #expect(classify(.GET, "/healthz/ping").0 == .health(.healthz, check: "ping"))
        #expect(classify(.GET, "/healthz/ping/more").0 == .unknown)
        #expect(classify(.POST, "/apis/acme.example.com/v1alpha1/mémoire").0 == .resource(0, name: "mémoire"))
        let deep = PathSegments("/a/bb/ccc/dddd/e/f")
        #expect(deep.count == 6)
        #expect([deep[0], deep[1], deep[2], deep[3]] == ["a", "bb", "ccc", "dddd"])
        #expect(PathSegments("///").count == 0 && PathSegments("///").first == nil)
    }
}
