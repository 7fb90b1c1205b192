/// Validation of the names that go into API paths. A namespace or Secret name from a
/// ChallengePayload is untrusted input; checking it against Kubernetes' own rules keeps
/// `../` or `?` out of the URL and gives a clear message instead of a confusing 404.
public enum KubernetesName {
    /// A DNS-1123 label (namespaces): lower-case alphanumerics and `-`, at most 63, alphanumeric at both ends.
    public static func isValidLabel(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        let bytes = Array(name.utf8)
        guard isAlphanumeric(bytes.first!), isAlphanumeric(bytes.last!) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// A DNS-1123 subdomain (Secrets, ServiceAccounts): labels joined by `.`, at most 253.
    public static func isValidSubdomain(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidLabel(String($0)) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
