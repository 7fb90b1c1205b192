import DNS01
import Foundation

/// Secrets read from Kubernetes `Secret` manifests in a file, exactly as
/// `kubectl get secret -o yaml` writes them: several YAML documents or a `kind: List`, `data`
/// base64-encoded and/or `stringData` in clear (which wins per key, as the API server merges it).
/// A manifest without `metadata.namespace` lands in `defaultNamespace`, as `kubectl apply -n` would.
public struct SecretManifestSource: SecretSource {
    private let secrets: StaticSecretSource
    /// The namespaces each Secret name appears in, for the hint when a reference misses.
    private let namespacesByName: [String: [String]]
    private let source: String

    public init(path: String, defaultNamespace: String) throws {
        try self.init(text: try ConfigDocument.readText(path), source: path, defaultNamespace: defaultNamespace)
    }

    public init(text: String, source: String, defaultNamespace: String) throws {
        var secrets: [StaticSecretSource.Key: [String: SecretValue]] = [:]
        var documents = try ConfigDocument.parseAll(text, source: source)
        var index = 0
        while index < documents.count {
            defer { index += 1 }
            let document = documents[index]
            let place = "\(source) document \(index + 1)"
            guard case .object(let fields) = document else {
                if document == .null { continue }
                throw DNS01Error(.invalidConfiguration, "\(place) is not a Kubernetes object")
            }
            switch fields["kind"]?.stringValue {
            case "List", "SecretList":
                if case .array(let items)? = fields["items"] { documents.append(contentsOf: items) }
                continue
            case "Secret":
                break
            default:
                throw DNS01Error(.invalidConfiguration, "\(place) has kind \(fields["kind"]?.stringValue.map { "\"\($0)\"" } ?? "missing"); only Secret manifests are read")
            }
            let metadata = fields["metadata"]?.objectValue ?? [:]
            guard let name = metadata["name"]?.stringValue, !name.isEmpty else {
                throw DNS01Error(.invalidConfiguration, "\(place): Secret has no metadata.name")
            }
            let namespace = metadata["namespace"]?.stringValue ?? defaultNamespace
            var values: [String: SecretValue] = [:]
            for (key, encoded) in fields["data"]?.objectValue ?? [:] {
                guard let text = encoded.stringValue,
                    let data = Data(base64Encoded: text.filter { !$0.isWhitespace })
                else {
                    throw DNS01Error(.invalidConfiguration, "\(place): Secret \(namespace)/\(name) data key \"\(key)\" is not valid base64")
                }
                values[key] = SecretValue(bytes: Array(data))
            }
            for (key, plain) in fields["stringData"]?.objectValue ?? [:] {
                guard let text = plain.stringValue else {
                    throw DNS01Error(.invalidConfiguration, "\(place): Secret \(namespace)/\(name) stringData key \"\(key)\" must be a string")
                }
                values[key] = SecretValue(text)
            }
            let key = StaticSecretSource.Key(namespace: namespace, name: name)
            guard secrets[key] == nil else {
                throw DNS01Error(.invalidConfiguration, "\(source): Secret \(namespace)/\(name) appears twice")
            }
            secrets[key] = values
        }
        self.secrets = StaticSecretSource(secrets, origin: "read from \(source)")
        self.namespacesByName = Dictionary(grouping: secrets.keys, by: \.name).mapValues { $0.map(\.namespace).sorted() }
        self.source = source
    }

    public func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue {
        do {
            return try await secrets.secretValue(namespace: namespace, name: name, key: key)
        } catch let error as DNS01Error where error.code == .secretNotFound {
            // The usual cause: a Secret exported from the Issuer's namespace, the CLI run with
            // another --namespace (references resolve in the challenge's namespace).
            guard let elsewhere = namespacesByName[name], !elsewhere.isEmpty, !elsewhere.contains(namespace) else { throw error }
            let listed = elsewhere.map { "\"\($0)\"" }.joined(separator: ", ")
            let plural = elsewhere.count == 1 ? "namespace" : "namespaces"
            throw DNS01Error(
                .secretNotFound,
                "\(error.message); \(source) has a Secret \"\(name)\" in \(plural) \(listed): pass --namespace \(elsewhere[0]) (the namespace Secret references resolve in, cert-manager's resourceNamespace)"
            )
        }
    }
}
