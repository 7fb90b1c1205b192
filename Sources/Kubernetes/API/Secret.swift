import Foundation

/// `v1 Secret`, reduced to what a provider needs: its decoded `data`.
public struct Secret: Decodable, Sendable {
    public var metadata: ObjectMeta
    /// Values as the API sends them: base64.
    public var data: [String: String]?

    /// The decoded value of `key`, or `nil` when the Secret has no such key.
    /// Throws when the API sent something that is not base64 (it never should).
    public func value(for key: String) throws(KubernetesError) -> [UInt8]? {
        guard let encoded = data?[key] else { return nil }
        guard let decoded = Data(base64Encoded: encoded) else {
            throw KubernetesError(.invalidResponse, "secret \(metadata.namespace ?? "")/\(metadata.name ?? "") key \"\(key)\" is not valid base64")
        }
        return Array(decoded)
    }

    public var keys: [String] { (data ?? [:]).keys.sorted() }
}
