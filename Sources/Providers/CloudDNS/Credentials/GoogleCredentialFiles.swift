import DNS01
import Foundation

/// A service-account key file as the Cloud console writes it (`"type": "service_account"`).
/// Only the fields the JWT grant needs are read.
struct ServiceAccountKeyFile: Sendable {
    var clientEmail: String
    var privateKeyID: String?
    var privateKeyPEM: SecretValue
    var tokenURI: String?
    var projectID: String?

    /// Parses a key file; the error says what is wrong with it, never what it holds.
    static func parse(_ object: [String: Any]) throws(ServiceAccountKeyError) -> ServiceAccountKeyFile {
        let type = object["type"] as? String
        guard type == "service_account" else {
            throw ServiceAccountKeyError("its \"type\" is \(type.map { "\"\($0)\"" } ?? "missing") (expected \"service_account\": a key created under IAM, Service accounts, Keys)")
        }
        guard let email = (object["client_email"] as? String)?.trimmingWhitespace(), !email.isEmpty else {
            throw ServiceAccountKeyError("it has no client_email")
        }
        guard let key = object["private_key"] as? String, key.contains("PRIVATE KEY-----") else {
            throw ServiceAccountKeyError("it has no private_key in PEM form")
        }
        return ServiceAccountKeyFile(
            clientEmail: email,
            privateKeyID: (object["private_key_id"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            privateKeyPEM: SecretValue(key),
            tokenURI: (object["token_uri"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            projectID: object["project_id"] as? String
        )
    }
}

/// A workload identity federation file (`"type": "external_account"`, from `gcloud iam
/// workload-identity-pools create-cred-config`): a subject token read from a file (a projected
/// Kubernetes service-account token, say) is exchanged at Google's STS for an access token,
/// optionally then for a service account's token through `service_account_impersonation_url`.
struct ExternalAccountFile: Sendable, Hashable {
    enum TokenFormat: Sendable, Hashable {
        case text
        /// A JSON file whose field holds the token.
        case json(field: String)
    }

    var audience: String
    var subjectTokenType: String
    var tokenURL: String?
    var subjectTokenFile: String
    var format: TokenFormat
    var impersonationURL: String?

    static func parse(_ object: [String: Any]) throws(ServiceAccountKeyError) -> ExternalAccountFile {
        guard let audience = object["audience"] as? String, !audience.isEmpty else {
            throw ServiceAccountKeyError("it has no audience (the workload identity pool provider)")
        }
        guard let tokenType = object["subject_token_type"] as? String, !tokenType.isEmpty else {
            throw ServiceAccountKeyError("it has no subject_token_type")
        }
        guard let source = object["credential_source"] as? [String: Any] else {
            throw ServiceAccountKeyError("it has no credential_source")
        }
        guard let file = source["file"] as? String, !file.isEmpty else {
            let kind = source["url"] != nil ? "a URL" : source["executable"] != nil ? "an executable" : source["environment_id"] != nil ? "a cloud environment" : "no file"
            throw ServiceAccountKeyError("its credential_source names \(kind); this webhook reads subject tokens from a file (credential_source.file)")
        }
        var format = TokenFormat.text
        if let formatObject = source["format"] as? [String: Any], (formatObject["type"] as? String) == "json" {
            guard let field = formatObject["subject_token_field_name"] as? String, !field.isEmpty else {
                throw ServiceAccountKeyError("its credential_source.format is json but names no subject_token_field_name")
            }
            format = .json(field: field)
        }
        return ExternalAccountFile(
            audience: audience, subjectTokenType: tokenType, tokenURL: (object["token_url"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            subjectTokenFile: file, format: format,
            impersonationURL: (object["service_account_impersonation_url"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        )
    }

    /// The subject token as the file holds it now (read on every exchange: the kubelet rotates
    /// projected tokens).
    func readSubjectToken() throws -> String {
        guard let data = FileManager.default.contents(atPath: subjectTokenFile) else {
            throw DNS01Error(
                .credentialsUnavailable, "workload identity federation: cannot read the subject token file \(subjectTokenFile) (credential_source.file of GOOGLE_APPLICATION_CREDENTIALS); is the service-account token projected into the pod?")
        }
        var token: String
        switch format {
        case .text:
            token = String(decoding: data, as: UTF8.self)
        case .json(let field):
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            guard let value = object?[field] as? String else {
                throw DNS01Error(.credentialsUnavailable, "workload identity federation: the subject token file \(subjectTokenFile) is not JSON with a \"\(field)\" field")
            }
            token = value
        }
        token = token.trimmingWhitespace()
        guard !token.isEmpty else {
            throw DNS01Error(.credentialsUnavailable, "workload identity federation: the subject token file \(subjectTokenFile) is empty")
        }
        return token
    }
}

/// A credential file's JSON object, or a plain error.
enum GoogleCredentialJSON {
    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}
