import DNS01
import ProviderKit

/// The two STS calls of the credentials chain (Query API, version 2011-06-15):
/// `AssumeRole`, signed with the caller's credentials, and `AssumeRoleWithWebIdentity`, which is
/// unsigned because the web identity token is the proof.
public struct STSClient: Sendable {
    public var endpoint: String
    /// The region STS requests are signed for (the endpoint's region).
    public var signingRegion: String
    public var sender: AWSRequestSender

    public init(endpoint: String, signingRegion: String, sender: AWSRequestSender) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.signingRegion = signingRegion
        self.sender = sender
    }

    /// cert-manager's session name, so CloudTrail shows the same caller as the built-in solver.
    public static let sessionName = "cert-manager"

    public func assumeRole(roleARN: String, sessionName: String = STSClient.sessionName, using credentials: AWSCredentials) async throws -> AWSCredentials {
        let signer = SigV4Signer(credentials: credentials, region: signingRegion, service: "sts")
        return try await call("AssumeRole", [("RoleArn", roleARN), ("RoleSessionName", sessionName)], signer: signer)
    }

    public func assumeRoleWithWebIdentity(roleARN: String, sessionName: String = STSClient.sessionName, token: SecretValue) async throws -> AWSCredentials {
        try await call("AssumeRoleWithWebIdentity", [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token.text)], signer: nil)
    }

    private func call(_ action: String, _ parameters: [(String, String)], signer: SigV4Signer?) async throws -> AWSCredentials {
        let body = PercentEncoding.query([("Action", action), ("Version", "2011-06-15")] + parameters)
        let request = APIRequest(
            method: "POST", url: endpoint + "/",
            headers: [.init("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8)
        )
        let response = try await sender.send(request, operation: action, signer: signer)
        guard let root = try? XMLNode.parse(response.body),
            let credentials = root.node(at: ["\(action)Result", "Credentials"]),
            let accessKeyID = credentials.text(at: "AccessKeyId"), !accessKeyID.isEmpty,
            let secret = credentials.text(at: "SecretAccessKey"), !secret.isEmpty
        else {
            throw AWSServiceError(operation: action, status: response.status, code: "MalformedResponse", messages: ["the answer carries no credentials"])
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: SecretValue(secret),
            sessionToken: credentials.text(at: "SessionToken").map(SecretValue.init),
            expiration: credentials.text(at: "Expiration").flatMap { AWSTimestamp(iso8601: $0) }
        )
    }
}
