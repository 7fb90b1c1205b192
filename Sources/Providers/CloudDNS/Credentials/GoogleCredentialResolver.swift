import DNS01
import Foundation
import ProviderKit

/// Chooses one challenge's credentials, in order:
/// 1. the service-account key in the Secret `serviceAccountSecretRef` names;
/// 2. only when the challenge allows ambient credentials (cert-manager: ClusterIssuers), the
///    Application Default Credentials: the file `GOOGLE_APPLICATION_CREDENTIALS` names (a
///    service-account key, or an `external_account` file for workload identity federation),
///    then the metadata server (`GCE_METADATA_HOST`, else 169.254.169.254).
struct GoogleCredentialResolver: Sendable {
    let client: GoogleTokenClient
    /// A metadata server that has not answered in this long is not there.
    static let metadataTimeout: Duration = .seconds(3)

    func resolve(_ configuration: CloudDNSConfiguration, context: ProviderContext) async throws -> any GoogleTokenSource {
        if let reference = configuration.serviceAccountSecretRef {
            let field = configuration.path.appending("serviceAccountSecretRef")
            let secret = try await context.secret(reference, field: field)
            let secretDescription = "secret \(context.namespace)/\(reference.name) key \"\(reference.key)\""
            let key = try Self.serviceAccountKey(secret.bytes, describedAs: "\(field): the \(secretDescription)")
            let tokenURL: BaseURL
            if let configured = configuration.tokenEndpoint {
                tokenURL = configured
            } else if let uri = key.tokenURI {
                // The key comes from the Issuer's namespace: its token_uri is held to the same
                // policy as the block's own endpoints.
                guard let parsed = BaseURL(uri) else {
                    throw DNS01Error(.credentialsUnavailable, "\(field): the token_uri of the key in the \(secretDescription) is not an http(s) URL")
                }
                try configuration.source.checkEndpoint(parsed.description, at: field.appending("token_uri"), official: CloudDNSPlugin.descriptor.officialHosts)
                tokenURL = parsed
            } else {
                tokenURL = CloudDNSConfiguration.defaultTokenEndpoint
            }
            return try Self.serviceAccountSource(key, tokenURL: tokenURL, client: client, origin: "the service account \(key.clientEmail) (key in \(secretDescription), \(field))", describedAs: "\(field): the \(secretDescription)")
        }
        guard context.allowAmbientCredentials else {
            throw DNS01Error(
                .credentialsUnavailable,
                "no Cloud DNS credentials: set serviceAccountSecretRef to a Secret holding a service-account key; ambient credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity, the metadata server) are not allowed for this challenge (cert-manager allows them for ClusterIssuers only)"
            )
        }
        if let path = context.environment["GOOGLE_APPLICATION_CREDENTIALS"]?.trimmingWhitespace(), !path.isEmpty {
            return try applicationDefault(path, configuration: configuration)
        }
        var metadata = configuration.metadataEndpoint ?? CloudDNSConfiguration.defaultMetadataEndpoint
        if configuration.metadataEndpoint == nil, let host = context.environment["GCE_METADATA_HOST"]?.trimmingWhitespace(), !host.isEmpty {
            guard let parsed = BaseURL("http://" + host), parsed.path.isEmpty else {
                throw DNS01Error(.credentialsUnavailable, "GCE_METADATA_HOST must be a host or host:port, got \"\(host)\"")
            }
            metadata = parsed
        }
        // Off GCP the metadata address may swallow packets: a short timeout and one retry,
        // so a missing server costs seconds, not the challenge's whole deadline.
        var metadataClient = client
        metadataClient.requestTimeout = min(client.requestTimeout, Self.metadataTimeout)
        metadataClient.retryPolicy.maximumAttempts = min(client.retryPolicy.maximumAttempts, 2)
        return MetadataServerTokenSource(base: metadata, client: metadataClient)
    }

    /// The file `GOOGLE_APPLICATION_CREDENTIALS` names; the operator's, so its endpoints are
    /// trusted.
    private func applicationDefault(_ path: String, configuration: CloudDNSConfiguration) throws -> any GoogleTokenSource {
        let described = "GOOGLE_APPLICATION_CREDENTIALS (\(path))"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNS01Error(.credentialsUnavailable, "cannot read the credentials file \(described)")
        }
        guard let object = GoogleCredentialJSON.object(Array(data)) else {
            throw DNS01Error(.credentialsUnavailable, "the credentials file \(described) is not JSON")
        }
        switch object["type"] as? String {
        case "service_account":
            let key = try Self.serviceAccountKey(Array(data), describedAs: "the credentials file \(described)")
            let tokenURL =
                try configuration.tokenEndpoint ?? key.tokenURI.map { uri throws(DNS01Error) in
                    guard let parsed = BaseURL(uri) else { throw DNS01Error(.credentialsUnavailable, "the token_uri of \(described) is not an http(s) URL") }
                    return parsed
                } ?? CloudDNSConfiguration.defaultTokenEndpoint
            return try Self.serviceAccountSource(key, tokenURL: tokenURL, client: client, origin: "the service account \(key.clientEmail) (key file \(described))", describedAs: "the credentials file \(described)")
        case "external_account":
            let file: ExternalAccountFile
            do {
                file = try ExternalAccountFile.parse(object)
            } catch {
                throw DNS01Error(.credentialsUnavailable, "the workload identity federation file \(described) cannot be used: \(error.problem)")
            }
            let sts =
                try configuration.stsEndpoint ?? file.tokenURL.map { url throws(DNS01Error) in
                    guard let parsed = BaseURL(url) else { throw DNS01Error(.credentialsUnavailable, "the token_url of \(described) is not an http(s) URL") }
                    return parsed
                } ?? CloudDNSConfiguration.defaultSTSEndpoint
            return ExternalAccountTokenSource(file: file, stsURL: sts, client: client, path: path)
        case let type:
            throw DNS01Error(
                .credentialsUnavailable,
                "the credentials file \(described) is of type \(type.map { "\"\($0)\"" } ?? "(none)"); this webhook takes \"service_account\" keys and \"external_account\" (workload identity federation) files")
        }
    }

    static func serviceAccountKey(_ bytes: [UInt8], describedAs described: String) throws(DNS01Error) -> ServiceAccountKeyFile {
        guard let object = GoogleCredentialJSON.object(bytes) else {
            throw DNS01Error(.credentialsUnavailable, "\(described) is not a service-account key: not JSON (create a JSON key under IAM, Service accounts, Keys)")
        }
        do {
            return try ServiceAccountKeyFile.parse(object)
        } catch {
            throw DNS01Error(.credentialsUnavailable, "\(described) is not a usable service-account key: \(error.problem)")
        }
    }

    static func serviceAccountSource(_ key: ServiceAccountKeyFile, tokenURL: BaseURL, client: GoogleTokenClient, origin: String, describedAs described: String) throws(DNS01Error) -> ServiceAccountTokenSource {
        do {
            return try ServiceAccountTokenSource(key: key, tokenURL: tokenURL, client: client, origin: origin)
        } catch {
            throw DNS01Error(.credentialsUnavailable, "\(described) is not a usable service-account key: \(error.problem)")
        }
    }
}
