import Crypto
import ProviderKit

/// The OVH API's request signature (`$1$`), as a pure value: the same inputs always give the
/// same signature. The timestamp comes in from the caller (the server's clock, as learned
/// from `/auth/time`), so vectors test it directly.
///
/// `X-Ovh-Signature: "$1$" + hex(SHA1(AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TIMESTAMP))`
/// where URL is exactly the URL sent (scheme, host, `/1.0`, path and query) and BODY the exact
/// bytes of the body (empty for none).
public struct OVHSignature: Sendable {
    private let applicationSecret: [UInt8]
    public let consumerKey: String

    public init(applicationSecret: String, consumerKey: String) {
        self.applicationSecret = Array(applicationSecret.utf8)
        self.consumerKey = consumerKey
    }

    /// The text that is hashed (for tests and other implementations).
    public func stringToSign(method: String, url: String, body: [UInt8], timestamp: Int64) -> [UInt8] {
        var text = applicationSecret
        text.append(UInt8(ascii: "+"))
        text += Array(consumerKey.utf8)
        text.append(UInt8(ascii: "+"))
        text += Array(method.uppercased().utf8)
        text.append(UInt8(ascii: "+"))
        text += Array(url.utf8)
        text.append(UInt8(ascii: "+"))
        text += body
        text.append(UInt8(ascii: "+"))
        text += Array(String(timestamp).utf8)
        return text
    }

    /// The `X-Ovh-Signature` value.
    public func signature(method: String, url: String, body: [UInt8], timestamp: Int64) -> String {
        "$1$" + Array(Insecure.SHA1.hash(data: stringToSign(method: method, url: url, body: body, timestamp: timestamp))).hexString
    }

    /// The four headers a signed request carries (the application key's as well).
    public func headers(applicationKey: String, method: String, url: String, body: [UInt8], timestamp: Int64) -> [APIRequest.Header] {
        [
            .init("X-Ovh-Application", applicationKey),
            .init("X-Ovh-Consumer", consumerKey),
            .init("X-Ovh-Timestamp", String(timestamp)),
            .init("X-Ovh-Signature", signature(method: method, url: url, body: body, timestamp: timestamp)),
        ]
    }
}
