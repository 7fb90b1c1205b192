import AggregatedAPIServer
import NIOCore

/// A resource that answers `ok` to `create`, for tests of what the server does around
/// resources.
struct StubResource: APIResource {
    let group: String
    let version: String
    let names: [String]
    var kind: APIResourceKind { APIResourceKind(kind: "Stub", singularName: "stub", namespaced: false, verbs: ["create"]) }
    var noun: String { "stub" }

    func respond(to request: APIRequest, name: String, context: RequestContext) async -> APIResponse {
        .text("ok")
    }
}
