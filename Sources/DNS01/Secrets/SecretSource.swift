/// Where Secret values come from: a file of manifests (CLI), the Kubernetes API (server), or a
/// dictionary (tests). Implementations throw `DNS01Error` with code `.secretNotFound` or
/// `.secretAccessDenied`, naming namespace, Secret and key, never the value.
public protocol SecretSource: Sendable {
    func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue
}

extension SecretSource {
    public func secretValue(_ reference: SecretReference, namespace: String) async throws -> SecretValue {
        try await secretValue(namespace: namespace, name: reference.name, key: reference.key)
    }
}

/// The standard "not found" errors, so every source words them the same way.
extension DNS01Error {
    public static func secretNotFound(namespace: String, name: String, origin: String) -> DNS01Error {
        DNS01Error(.secretNotFound, "secret \"\(name)\" not found in namespace \"\(namespace)\" (\(origin))")
    }

    public static func secretKeyNotFound(namespace: String, name: String, key: String, availableKeys: [String]) -> DNS01Error {
        let known = availableKeys.isEmpty ? "it has no keys" : "it has: \(availableKeys.sorted().joined(separator: ", "))"
        return DNS01Error(.secretNotFound, "secret \(namespace)/\(name) has no key \"\(key)\" (\(known))")
    }
}

/// Secrets held in memory, keyed by namespace and name; for tests and embedding.
public struct StaticSecretSource: SecretSource {
    public struct Key: Hashable, Sendable {
        public var namespace: String
        public var name: String
        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
    }
    private let secrets: [Key: [String: SecretValue]]
    private let origin: String

    public init(_ secrets: [Key: [String: SecretValue]], origin: String = "in-memory secrets") {
        self.secrets = secrets
        self.origin = origin
    }

    public func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue {
        guard let data = secrets[Key(namespace: namespace, name: name)] else {
            throw DNS01Error.secretNotFound(namespace: namespace, name: name, origin: origin)
        }
        guard let value = data[key] else {
            throw DNS01Error.secretKeyNotFound(namespace: namespace, name: name, key: key, availableKeys: Array(data.keys))
        }
        return value
    }
}

/// A source with no Secrets at all, for configs that reference none.
public struct NoSecretSource: SecretSource {
    private let reason: String
    public init(reason: String) { self.reason = reason }

    public func secretValue(namespace: String, name: String, key: String) async throws -> SecretValue {
        throw DNS01Error(.secretNotFound, "cannot read secret \(namespace)/\(name): \(reason)")
    }
}
