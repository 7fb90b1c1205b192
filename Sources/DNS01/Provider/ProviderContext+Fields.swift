extension ProviderContext {
    /// Reads the Secret value that the config field at `field` references. A Secret or key that
    /// is missing, unreadable or empty fails with a message that starts with the field's path
    /// (`cloudflare.apiTokenSecretRef: secret "cf" not found in namespace "team-a" (…)`), so the
    /// user knows which reference of the block to fix.
    public func secret(_ reference: SecretReference, field: ConfigPath) async throws -> SecretValue {
        do {
            return try await secret(reference)
        } catch let error as DNS01Error {
            throw DNS01Error(error.code, "\(field): \(error.message)")
        }
    }
}
