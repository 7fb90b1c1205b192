/// The discovery documents an aggregated API server serves, worked out from its resources.
/// The aggregator's availability probe reads `APIResourceList` (`GET /apis/<group>/<version>`);
/// a plain `APIGroupList` on `/apis` makes it fall back to that legacy discovery.
enum DiscoveryDocuments {
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

    /// One entry of an `APIResourceList` (metav1.APIResource).
    struct Resource: Encodable, Sendable {
        var name: String
        var singularName: String
        var namespaced: Bool
        var group: String?
        var version: String?
        var kind: String
        var verbs: [String]
    }

    struct APIResourceList: Encodable, Sendable {
        var kind = "APIResourceList"
        var apiVersion = "v1"
        var groupVersion: String
        var resources: [Resource]
    }

    /// `/apis/<group>`: its versions in the order first registered, the first preferred.
    static func group(_ name: String, versions: [String]) -> APIGroup {
        let groupVersions = versions.map { GroupVersion(groupVersion: "\(name)/\($0)", version: $0) }
        return APIGroup(name: name, versions: groupVersions, preferredVersion: groupVersions[0])
    }

    /// `/apis`. Inside a list the items carry no TypeMeta, as the Go server writes them.
    static func groupList(_ groups: [(name: String, versions: [String])]) -> APIGroupList {
        APIGroupList(groups: groups.map { entry in
            var group = group(entry.name, versions: entry.versions)
            group.kind = nil
            group.apiVersion = nil
            return group
        })
    }

    /// `/apis/<group>/<version>`: every name of every resource served there.
    static func resourceList(group: String, version: String, resources: [any APIResource]) -> APIResourceList {
        var entries: [Resource] = []
        for resource in resources {
            let kind = resource.kind
            for name in resource.names {
                entries.append(Resource(
                    name: name, singularName: kind.singularName, namespaced: kind.namespaced,
                    group: kind.kindGroup, version: kind.kindVersion, kind: kind.kind, verbs: kind.verbs
                ))
            }
        }
        return APIResourceList(groupVersion: "\(group)/\(version)", resources: entries)
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
