import Foundation

/// An OAuth 2.0 access-token answer (RFC 6749 §5.1) as token endpoints and cloud metadata
/// services send it. Metadata services (Azure's IMDS) send `expires_in` as a string, token
/// endpoints as a number; both are read.
public struct OAuth2TokenResponse: Sendable, Decodable {
    public var accessToken: String
    public var tokenType: String?
    /// Seconds the token stays valid from when it was issued.
    public var expiresIn: Int64?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }

    public init(accessToken: String, tokenType: String? = nil, expiresIn: Int64? = nil) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        tokenType = try container.decodeIfPresent(String.self, forKey: .tokenType)
        if let seconds = try? container.decodeIfPresent(Int64.self, forKey: .expiresIn) {
            expiresIn = seconds
        } else if let text = try? container.decodeIfPresent(String.self, forKey: .expiresIn) {
            expiresIn = Int64(text.trimmingCharacters(in: .whitespaces))
        } else {
            expiresIn = nil
        }
    }

    /// The answer in `body`, or `nil` when it is not one (no `access_token`).
    public static func decode(_ body: [UInt8]) -> OAuth2TokenResponse? {
        guard let response = try? JSONDecoder().decode(OAuth2TokenResponse.self, from: Data(body)), !response.accessToken.isEmpty else { return nil }
        return response
    }
}

/// An OAuth 2.0 error answer (RFC 6749 §5.2): `error` and, usually, `error_description`.
public struct OAuth2ErrorResponse: Sendable, Decodable, Hashable {
    public var error: String
    public var errorDescription: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }

    public init(error: String, errorDescription: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
    }

    /// The error in `body`, or `nil` when it is not one.
    public static func decode(_ body: [UInt8]) -> OAuth2ErrorResponse? {
        try? JSONDecoder().decode(OAuth2ErrorResponse.self, from: Data(body))
    }
}
