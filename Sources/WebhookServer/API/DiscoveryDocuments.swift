/// The discovery documents an aggregated API server serves. The aggregator's availability
/// probe reads `APIResourceList` (`GET /apis/<group>/v1alpha1`); a plain `APIGroupList` on
/// `/apis` makes it fall back to that legacy discovery.
enum DiscoveryDocuments {
    static let version = "v1alpha1"

    struct GroupVersion: Encodable, Sendable {
        var groupVersion: String
        var version: String
    }

    struct APIGroup: Encodable, Sendable {
        var kind: String? = "APIGroup"
        var apiVersion: String? = "v1"
        var name: String
        var versions: [GroupVersion]
        var preferredVersion: GroupVersion
    }

    struct APIGroupList: Encodable, Sendable {
        var kind = "APIGroupList"
        var apiVersion = "v1"
        var groups: [APIGroup]
    }

    struct APIResource: Encodable, Sendable {
        var name: String
        var singularName = "ChallengePayload"
        var namespaced = false
        var group = "webhook.acme.cert-manager.io"
        var version = "v1alpha1"
        var kind = "ChallengePayload"
        var verbs = ["create"]
    }

    struct APIResourceList: Encodable, Sendable {
        var kind = "APIResourceList"
        var apiVersion = "v1"
        var groupVersion: String
        var resources: [APIResource]
    }

    static func group(_ name: String) -> APIGroup {
        let groupVersion = GroupVersion(groupVersion: "\(name)/\(version)", version: version)
        return APIGroup(name: name, versions: [groupVersion], preferredVersion: groupVersion)
    }

    static func groupList(_ name: String) -> APIGroupList {
        var group = group(name)
        // Inside a list the items carry no TypeMeta, as the Go server writes them.
        group.kind = nil
        group.apiVersion = nil
        return APIGroupList(groups: [group])
    }

    static func resourceList(group: String, solvers: [String]) -> APIResourceList {
        APIResourceList(groupVersion: "\(group)/\(version)", resources: solvers.map { APIResource(name: $0) })
    }

    /// `version.Info`, what `kubectl version` and `/version` clients expect.
    struct VersionInfo: Encodable, Sendable {
        var major: String
        var minor: String
        var gitVersion: String
        var gitCommit = ""
        var gitTreeState = ""
        var buildDate = ""
        var goVersion = ""
        var compiler = "swift"
        var platform: String
    }
}
