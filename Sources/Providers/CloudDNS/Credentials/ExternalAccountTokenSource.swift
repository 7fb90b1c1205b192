import DNS01
import ProviderKit

/// Workload identity federation: the subject token in a file (read again for every exchange,
/// since the kubelet rotates projected tokens) is exchanged at Google's STS for a federated
/// token, and, when the file names a service account to impersonate, that for the service
/// account's token.
struct ExternalAccountTokenSource: GoogleTokenSource {
    let file: ExternalAccountFile
    let stsURL: BaseURL
    let client: GoogleTokenClient
    /// The credentials file, for messages.
    let path: String

    var origin: String { "workload identity federation (\(file.audience), GOOGLE_APPLICATION_CREDENTIALS \(path))" }
    var identity: String { "external-account:\(file.audience)|\(file.subjectTokenFile)|\(file.impersonationURL ?? "")|\(stsURL)" }

    func fetch(epochSeconds: Int64) async throws -> IssuedAccessToken {
        let subjectToken = try file.readSubjectToken()
        let federated: IssuedAccessToken
        do {
            federated = try await client.exchange(
                stsURL: stsURL.url(""), audience: file.audience, scopes: CloudDNSClient.stsScopes(impersonating: file.impersonationURL != nil),
                subjectToken: subjectToken, subjectTokenType: file.subjectTokenType)
        } catch {
            throw CloudDNSErrorMessages.tokenFailure(
                error, origin: origin, endpoint: stsURL.description, advice: "check the pool provider's audience, its issuer and attribute condition, and that the subject token file holds a current token")
        }
        guard let impersonationURL = file.impersonationURL else { return federated }
        do {
            return try await client.impersonate(url: impersonationURL, federatedToken: federated.token, scopes: CloudDNSClient.scopes, epochSeconds: epochSeconds)
        } catch {
            throw CloudDNSErrorMessages.tokenFailure(
                error, origin: origin, endpoint: APIRequest.hostOf(impersonationURL), advice: "check that the federated principal has roles/iam.workloadIdentityUser on the service account it impersonates")
        }
    }
}
