/// The resources a server serves, arranged the way requests look them up: by group, then by
/// version. Made once, when the server is.
struct ServedAPIs: Sendable {
    /// One `/apis/<group>/<version>` and the resources under it, in registration order.
    struct GroupVersion: Sendable {
        let group: String
        let version: String
        let resources: [any APIResource]
    }

    let groupVersions: [GroupVersion]
    /// Every group with its versions, in registration order (the first version is preferred).
    let groups: [(name: String, versions: [String])]

    init(_ resources: [any APIResource]) {
        var groupVersions: [GroupVersion] = []
        var groups: [(name: String, versions: [String])] = []
        for resource in resources {
            if let index = groupVersions.firstIndex(where: { $0.group == resource.group && $0.version == resource.version }) {
                let existing = groupVersions[index]
                groupVersions[index] = GroupVersion(group: existing.group, version: existing.version, resources: existing.resources + [resource])
            } else {
                groupVersions.append(GroupVersion(group: resource.group, version: resource.version, resources: [resource]))
            }
            if let index = groups.firstIndex(where: { $0.name == resource.group }) {
                if !groups[index].versions.contains(resource.version) { groups[index].versions.append(resource.version) }
            } else {
                groups.append((resource.group, [resource.version]))
            }
        }
        self.groupVersions = groupVersions
        self.groups = groups
    }

    func groupIndex(_ name: Substring) -> Int? {
        groups.firstIndex { $0.name == name }
    }

    func groupVersionIndex(group: Substring, version: Substring) -> Int? {
        groupVersions.firstIndex { $0.version == version && $0.group == group }
    }

    /// The resource of `groupVersions[index]` that serves `name`.
    func resource(_ index: Int, serving name: String) -> (any APIResource)? {
        groupVersions[index].resources.first { $0.serves(name) }
    }

    /// What the names of `groupVersions[index]` are called (`solver`).
    func noun(_ index: Int) -> String {
        groupVersions[index].resources.first?.noun ?? "resource"
    }

    /// For a 404: what is served, as `group "g" version v1 with solvers: a, b`.
    var summary: String {
        groupVersions.map { groupVersion in
            let names = groupVersion.resources.flatMap(\.names)
            let nouns = groupVersion.resources.first.map { "\($0.noun)s" } ?? "resources"
            return "group \"\(groupVersion.group)\" version \(groupVersion.version) with \(nouns): \(names.joined(separator: ", "))"
        }.joined(separator: "; ")
    }
}
