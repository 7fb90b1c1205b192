import DNS01
import Foundation
import ProviderKit

/// EKS Pod Identity and ECS task credentials: `GET` the agent's URI with the pod's token as
/// `Authorization`, answered with JSON. The token file is re-read on every call, because the
/// kubelet rotates it.
struct ContainerCredentialsClient: Sendable {
    var uri: String
    var authorization: SecretValue?
    var sender: AWSRequestSender

    /// The container credentials endpoint the environment names, if any. Like the AWS SDKs, a
    /// plain-HTTP `FULL_URI` must point at loopback or the EKS/ECS agents' link-local addresses.
    static func fromEnvironment(
        _ environment: [String: String], readFile: @Sendable (String) throws -> String, sender: AWSRequestSender
    ) throws(DNS01Error) -> ContainerCredentialsClient? {
        let uri: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            uri = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            guard isAllowed(full) else {
                throw DNS01Error(.credentialsUnavailable, "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to loopback or the EKS/ECS agent (169.254.170.2, 169.254.170.23, fd00:ec2::23)")
            }
            uri = full
        } else {
            return nil
        }
        var authorization: SecretValue?
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            do {
                authorization = SecretValue(try readFile(file))
            } catch {
                throw DNS01Error(.credentialsUnavailable, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file): \(PlainErrorText.describe(error))")
            }
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            authorization = SecretValue(token)
        }
        return ContainerCredentialsClient(uri: uri, authorization: authorization, sender: sender)
    }

    static func isAllowed(_ uri: String) -> Bool {
        let lower = uri.lowercased()
        if lower.hasPrefix("https://") { return true }
        guard lower.hasPrefix("http://") else { return false }
        let host = APIRequest(method: "GET", url: uri).host
        return host == "localhost" || host.hasPrefix("127.") || host == "[::1]"
            || ["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"].contains(host)
    }

    func fetch() async throws -> AWSCredentials {
        var headers: [APIRequest.Header] = [.init("Accept", "application/json")]
        if let authorization { headers.append(.init("Authorization", authorization.text)) }
        let response = try await sender.send(APIRequest(method: "GET", url: uri, headers: headers), operation: "GetContainerCredentials", signer: nil)
        guard let credentials = CredentialsDocument.decode(response.body)?.credentials else {
            throw DNS01Error(.credentialsUnavailable, "the container credentials endpoint answered without credentials")
        }
        return credentials
    }
}
