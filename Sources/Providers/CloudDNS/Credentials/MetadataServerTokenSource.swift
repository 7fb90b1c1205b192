import DNS01
import ProviderKit

/// The GCE/GKE metadata server: the token of the instance's service account, or, on GKE with
/// Workload Identity, of the Kubernetes service account's bound identity.
struct MetadataServerTokenSource: GoogleTokenSource {
    let base: BaseURL
    let client: GoogleTokenClient

    var origin: String { "the metadata server's service account (\(base))" }
    var identity: String { "metadata:\(base)" }

    func fetch(epochSeconds: Int64) async throws -> IssuedAccessToken {
        do {
            return try await client.metadataToken(base: base, scopes: CloudDNSClient.scopes)
        } catch let error as TransportError where error.isPermanent || error.kind == .timedOut {
            throw DNS01Error(
                .credentialsUnavailable,
                "no Cloud DNS credentials: serviceAccountSecretRef is not set, GOOGLE_APPLICATION_CREDENTIALS is not set, and the metadata server at \(base) cannot be reached (\(error.underlying)); set serviceAccountSecretRef, or run the webhook on GKE/GCE (with Workload Identity) or with GOOGLE_APPLICATION_CREDENTIALS"
            )
        } catch {
            throw CloudDNSErrorMessages.tokenFailure(error, origin: origin, endpoint: base.description, advice: "check that the node or the workload has a service account with the Cloud DNS scope")
        }
    }
}
