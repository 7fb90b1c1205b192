import DNS01
import Foundation
import ProviderKit

/// EC2 instance-profile credentials from the instance metadata service, where the AWS SDKs'
/// default chain (and so cert-manager's) ends: IMDSv2, a session token from
/// `PUT /latest/api/token` sent with every read, falling back to IMDSv1 when the token call is
/// refused (403, 404, 405) unless `AWS_EC2_METADATA_V1_DISABLED=true`.
///
/// The environment settings are the SDKs': `AWS_EC2_METADATA_DISABLED=true` skips the service,
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` replaces its address, and
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` uses `[fd00:ec2::254]`. Each call has one
/// second and one retry, so a cluster where nothing answers at the link-local address (not
/// EC2, or a hop limit that keeps pods out) fails in seconds with a message saying so.
struct InstanceMetadataCredentialsClient: Sendable {
    var endpoint: String
    var allowsV1: Bool
    var transport: any HTTPTransport

    static let defaultEndpoint = "http://169.254.169.254"
    static let attemptTimeout: Duration = .seconds(1)

    /// `nil` when the environment disables the service.
    static func fromEnvironment(_ environment: [String: String], transport: any HTTPTransport) -> InstanceMetadataCredentialsClient? {
        func flag(_ name: String) -> Bool { environment[name]?.lowercased() == "true" }
        guard !flag("AWS_EC2_METADATA_DISABLED") else { return nil }
        var endpoint = defaultEndpoint
        if let override = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !override.isEmpty {
            endpoint = override
            while endpoint.hasSuffix("/") { endpoint.removeLast() }
        } else if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" {
            endpoint = "http://[fd00:ec2::254]"
        }
        return InstanceMetadataCredentialsClient(endpoint: endpoint, allowsV1: !flag("AWS_EC2_METADATA_V1_DISABLED"), transport: transport)
    }

    func fetch() async throws -> AWSCredentials {
        var headers: [APIRequest.Header] = []
        if let token = try await sessionToken() {
            headers.append(.init("X-aws-ec2-metadata-token", token.text))
        }
        let rolesPath = "/latest/meta-data/iam/security-credentials/"
        let roles = try await read(rolesPath, headers: headers)
        guard let role = roles.split(whereSeparator: \.isNewline).lazy.map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty }) else {
            throw DNS01Error(.credentialsUnavailable, "the instance metadata service lists no IAM role: attach an instance profile to the node")
        }
        let document = CredentialsDocument.decode(try await read(rolesPath + role, headers: headers).utf8)
        guard let credentials = document?.credentials else {
            let reason = document.map { "\($0.code ?? "no code"): \($0.message ?? "no message")" } ?? "not a credentials document"
            throw DNS01Error(.credentialsUnavailable, "the instance metadata service gave no credentials for role \(role) (\(reason))")
        }
        return credentials
    }

    /// The IMDSv2 session token, or `nil` to go on with IMDSv1.
    private func sessionToken() async throws -> SecretValue? {
        let request = APIRequest(method: "PUT", url: endpoint + "/latest/api/token", headers: [.init("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        let response = try await send(request)
        switch response.status {
        case 200..<300 where !response.body.isEmpty:
            return SecretValue(response.bodyText)
        case 403 where allowsV1, 404 where allowsV1, 405 where allowsV1:
            return nil
        default:
            throw DNS01Error(.credentialsUnavailable, "the instance metadata service refused an IMDSv2 session token (HTTP \(response.status))\(allowsV1 ? "" : "; IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED")")
        }
    }

    private func read(_ path: String, headers: [APIRequest.Header]) async throws -> String {
        let response = try await send(APIRequest(method: "GET", url: endpoint + path, headers: headers))
        guard (200..<300).contains(response.status) else {
            throw DNS01Error(.credentialsUnavailable, "the instance metadata service answered HTTP \(response.status) for \(path)")
        }
        return response.bodyText
    }

    private func send(_ request: APIRequest) async throws -> APIResponse {
        do {
            return try await transport.send(request, timeout: Self.attemptTimeout)
        } catch is TransportError {
            return try await transport.send(request, timeout: Self.attemptTimeout)
        }
    }
}
