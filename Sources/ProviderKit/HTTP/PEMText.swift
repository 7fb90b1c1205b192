import Foundation

/// CA bundles as people paste them: PEM text, or the base64 of PEM text (as Kubernetes
/// `caBundle` fields hold it). Shared by the providers that take a private CA (`http`, `pdns`).
public enum PEMText {
    /// The PEM text of `text`, or `nil` when it is neither PEM certificates nor their base64.
    public static func normalise(_ text: String) -> String? {
        if text.contains("-----BEGIN CERTIFICATE-----") { return text }
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact) else { return nil }
        let decoded = String(decoding: data, as: UTF8.self)
        return decoded.contains("-----BEGIN CERTIFICATE-----") ? decoded : nil
    }
}
